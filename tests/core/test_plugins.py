"""Plugins through Python entry points: an outside package adds a reader, a writer, an
engine and a check rule, and the CLI uses them.

The package is tests/core/plugin_package (a fictional institute's formats). It is
installed the way pip leaves a package: its modules and a ``*.dist-info`` directory
whose ``entry_points.txt`` is made from the package's own pyproject.toml, in a
temporary folder put on the path of a fresh interpreter — so the entry points are found
by ``importlib.metadata`` exactly as for an installed distribution.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

PLUGIN = Path(__file__).parent / "plugin_package"

PROGRAMME = """\
conference: {name: Fictional Forum on Harbour Towns}
session:
  title: Ferries and fares
  moderator: {name: Ines Valcourt, affiliation: Harbour Institute}
  speakers:
    - {name: Tomas Ardelean, affiliation: Port Authority of Nowhere}
    - {name: Wen Okafor, affiliation: Ferry Users' League}
"""

TRANSCRIPT = """\
Ines Valcourt | Welcome to the session on ferries and fares in our harbour towns.
Tomas Ardelean | The night ferry carries twice as many passengers as it did five years ago. Fares have not kept up.
Wen Okafor | Passengers want a single ticket for the ferry and the bus! The league has asked for it since the spring.
"""


def install(target: Path, pyproject: Path, package: Path | None) -> None:
    """Put ``package`` and a dist-info made from ``pyproject`` in ``target`` (as pip would)."""
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    name = project["name"].replace("-", "_")
    info = target / f"{name}-{project['version']}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {project['name']}\nVersion: {project['version']}\n", encoding="utf-8"
    )
    sections = []
    for group, entries in project.get("entry-points", {}).items():
        sections.append(f"[{group}]\n" + "".join(f"{k} = {v}\n" for k, v in entries.items()))
    (info / "entry_points.txt").write_text("\n".join(sections), encoding="utf-8")
    if package is not None:
        shutil.copytree(package, target / package.name)


def sessionsketch(site: Path, *args: object, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run(
        [sys.executable, "-m", "sessionsketch", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=300,
    )


@pytest.fixture
def panel(tmp_path: Path) -> Path:
    (tmp_path / "programme.yaml").write_text(PROGRAMME, encoding="utf-8")
    (tmp_path / "session.pipe").write_text(TRANSCRIPT, encoding="utf-8")
    return tmp_path


def test_an_installed_plugin_adds_a_reader_a_writer_an_engine_and_a_rule(panel: Path) -> None:
    site = panel / "site"
    install(site, PLUGIN / "pyproject.toml", PLUGIN / "fictional_institute_formats")

    # the reader: the pipe transcript is detected by content and resolved
    r = sessionsketch(site, "transcript", "session.pipe", "-p", "programme.yaml", "-f", "json", cwd=panel)
    assert r.returncode == 0, r.stderr
    turns = json.loads(r.stdout)["turns"]
    assert [(t["label"], t["speaker"]) for t in turns] == [
        ("Ines Valcourt", "Ines Valcourt"),
        ("Tomas Ardelean", "Tomas Ardelean"),
        ("Wen Okafor", "Wen Okafor"),
    ]
    r = sessionsketch(site, "transcript", "session.pipe", "--input-format", "pipe", cwd=panel)
    assert r.returncode == 0 and "2. Wen Okafor" in r.stdout, r.stderr

    # the engine and the writer: -o picks the plugin's format by its second extension
    r = sessionsketch(
        site, "draft", "programme.yaml", "session.pipe", "--engine", "opening-lines", "-o", "s.otl", cwd=panel
    )
    assert r.returncode == 0, r.stderr
    assert "opening-lines: 2 speaker(s)" in r.stderr  # the engine's report, logged
    assert (panel / "s.otl").read_text(encoding="utf-8") == (
        "= Ferries and fares =\n"
        "- [Tomas Ardelean] The night ferry carries twice as many passengers as it did five years ago.\n"
        "- [Wen Okafor] Passengers want a single ticket for the ferry and the bus!\n"
    )
    # --quiet keeps the engine's report off stderr
    r = sessionsketch(
        site,
        "-q",
        "draft",
        "programme.yaml",
        "session.pipe",
        "-e",
        "opening-lines",
        "-o",
        "s.json",
        cwd=panel,
    )
    assert r.returncode == 0 and r.stderr == "", r.stderr

    # the rule runs with the built-in ones
    r = sessionsketch(site, "check", "s.json", "-p", "programme.yaml", "-f", "json", cwd=panel)
    assert '"rule": "house.exclamation"' in r.stdout, r.stdout + r.stderr
    assert r.returncode == 1


def test_without_the_plugin_its_formats_are_unknown(panel: Path) -> None:
    r = sessionsketch(
        panel / "nothing-installed", "transcript", "session.pipe", "--input-format", "pipe", cwd=panel
    )
    assert r.returncode == 2 and "unknown transcript format 'pipe'" in r.stderr
    r = sessionsketch(
        panel / "nothing-installed", "draft", "programme.yaml", "session.pipe", "-o", "s.otl", cwd=panel
    )
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and "unknown output format 'otl'" in r.stderr


def test_a_broken_plugin_is_named_in_a_warning_and_the_built_ins_still_work(panel: Path) -> None:
    site = panel / "site"
    broken = panel / "broken.toml"
    broken.write_text(
        '[project]\nname = "broken-plugin"\nversion = "1.0"\n'
        '[project.entry-points."sessionsketch.writers"]\nodt = "no_such_module.odt"\n',
        encoding="utf-8",
    )
    install(site, broken, None)
    (panel / "session.txt").write_text(TRANSCRIPT.replace(" | ", ": "), encoding="utf-8")
    r = sessionsketch(site, "draft", "programme.yaml", "session.txt", "-o", "s.md", cwd=panel)
    assert (
        "plugin odt = no_such_module.odt (sessionsketch.writers) not loaded: ModuleNotFoundError" in r.stderr
    )
    assert r.returncode == 0, r.stderr
    assert "Ferries and fares" in (panel / "s.md").read_text(encoding="utf-8")
