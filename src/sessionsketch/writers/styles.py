"""Styles: folders of Jinja2 templates, CSS and an optional ``style.yaml`` and logo.

A style folder holds ``sketch.md.j2`` (Markdown), ``sketch.html.j2`` (HTML and PDF),
``sketch.css`` (screen and print), ``print.css`` (paged media for the PDF) and
``style.yaml`` (fonts, colours, the logo file and Word style settings). The bundled
styles live in ``sessionsketch/styles/``; ``--style PATH`` takes a user's copy.
"""

from __future__ import annotations

import base64
import functools
import mimetypes
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
import yaml

from sessionsketch.errors import UserError

DEFAULT_STYLE = "session-sketch"
REQUIRED_FILES = ("sketch.md.j2", "sketch.html.j2")


def builtin_styles_dir() -> Path:
    return Path(str(resources.files("sessionsketch") / "styles"))


def available_styles() -> list[str]:
    """The names of the bundled styles."""
    root = builtin_styles_dir()
    return sorted(p.name for p in root.iterdir() if p.is_dir() and (p / "sketch.md.j2").exists())


@dataclass
class Style:
    """A loaded style folder."""

    name: str
    path: Path
    settings: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def _envs(self) -> dict[bool, jinja2.Environment]:
        """Two environments (autoescaped for HTML, plain for Markdown), each caching templates."""
        from sessionsketch.writers.escape import md_escape, md_url

        envs = {}
        for autoescape in (False, True):
            env = jinja2.Environment(
                loader=jinja2.FileSystemLoader(str(self.path)),
                undefined=jinja2.StrictUndefined,
                autoescape=autoescape,
                keep_trailing_newline=True,
                trim_blocks=True,
                lstrip_blocks=True,
            )
            env.filters["md"] = md_escape
            env.filters["md_url"] = md_url
            envs[autoescape] = env
        return envs

    def template(self, filename: str, autoescape: bool) -> jinja2.Template:
        """A template of this style; HTML templates autoescape everything they print."""
        try:
            return self._envs[autoescape].get_template(filename)
        except jinja2.TemplateNotFound:
            raise UserError(f"style '{self.name}' has no {filename}", self.path) from None
        except jinja2.TemplateSyntaxError as exc:
            raise UserError(f"template error: {exc.message}", exc.filename or self.path, exc.lineno) from None

    def render(self, filename: str, context: dict[str, Any], autoescape: bool) -> str:
        template = self.template(filename, autoescape)
        try:
            return template.render(**context)
        except jinja2.TemplateError as exc:
            raise UserError(f"template error: {exc}", self.path / filename) from None

    def text(self, filename: str) -> str:
        """A text file of the style (CSS); empty when the style has none."""
        p = self.path / filename
        return p.read_text(encoding="utf-8") if p.is_file() else ""

    @property
    def logo_data_uri(self) -> str | None:
        """The logo named in ``style.yaml`` as a ``data:`` URI (self-contained output)."""
        logo = self.settings.get("logo")
        if not logo:
            return None
        p = self.path / str(logo)
        if not p.is_file():
            raise UserError(f"logo file {logo} not found", self.path / "style.yaml")
        mime = mimetypes.guess_type(p.name)[0] or "application/octet-stream"
        return f"data:{mime};base64,{base64.b64encode(p.read_bytes()).decode('ascii')}"

    @property
    def logo_path(self) -> Path | None:
        logo = self.settings.get("logo")
        return self.path / str(logo) if logo else None

    def setting(self, *keys: str, default: Any = None) -> Any:
        node: Any = self.settings
        for k in keys:
            if not isinstance(node, dict) or k not in node:
                return default
            node = node[k]
        return node


def load_style(style: str | Path = DEFAULT_STYLE) -> Style:
    """A bundled style by name, or a user's style folder by path.

    An unknown name is a user error that lists the available styles.
    """
    text = str(style)
    candidate = Path(text).expanduser()
    is_path = isinstance(style, Path) or "/" in text or "\\" in text or candidate.is_dir()
    if is_path:
        if not candidate.is_dir():
            raise UserError("style folder not found", candidate)
        folder = candidate
        name = folder.name
    else:
        folder = builtin_styles_dir() / text
        name = text
        if not (folder / "sketch.md.j2").is_file():
            raise UserError(f"unknown style '{text}' (available: {', '.join(available_styles())})")
    missing = [f for f in REQUIRED_FILES if not (folder / f).is_file()]
    if missing:
        raise UserError(f"not a style folder: {', '.join(missing)} missing", folder)
    settings_file = folder / "style.yaml"
    stamp = settings_file.stat().st_mtime_ns if settings_file.is_file() else None
    # One Style (and so one Jinja2 environment, which reloads edited templates) per
    # folder and style.yaml version: templates are compiled once, not on every render.
    return _load_folder(folder.resolve(), name, stamp)


@functools.lru_cache(maxsize=32)
def _load_folder(folder: Path, name: str, stamp: int | None) -> Style:
    settings: dict[str, Any] = {}
    settings_file = folder / "style.yaml"
    if settings_file.is_file():
        try:
            loaded = yaml.safe_load(settings_file.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            raise UserError("invalid style.yaml", settings_file, mark.line + 1 if mark else None) from None
        if loaded is not None and not isinstance(loaded, dict):
            raise UserError("style.yaml must be a mapping", settings_file)
        settings = loaded or {}
    return Style(name=name, path=folder, settings=settings)
