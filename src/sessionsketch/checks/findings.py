"""What a rule reports: a finding with its rule id, severity, message, location and safe fix."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

SEVERITIES: tuple[str, ...] = ("error", "warning", "info")


@dataclass(frozen=True)
class Location:
    """Where a finding is: the file, its line (or page), the paragraph and sentence.

    ``paragraph`` and ``sentence`` are 0-based indices into the sketch body; a
    finding about the metadata block has neither.
    """

    file: str | None = None
    line: int | None = None
    page: int | None = None
    paragraph: int | None = None
    sentence: int | None = None

    def __str__(self) -> str:
        where = self.file or "<sketch>"
        if self.line is not None:
            where += f":{self.line}"
        parts = []
        if self.page is not None:
            parts.append(f"page {self.page}")
        if self.paragraph is not None:
            parts.append(f"paragraph {self.paragraph + 1}")
        if self.sentence is not None:
            parts.append(f"sentence {self.sentence + 1}")
        return where + (f" ({', '.join(parts)})" if parts else "")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Fix:
    """A safe replacement: the words ``old`` become ``new`` where the finding points."""

    old: str
    new: str

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


@dataclass(frozen=True)
class Finding:
    rule: str  # "names.misspelt", "support.misattributed", ...
    severity: str  # "error" | "warning" | "info"
    message: str
    suggestion: str | None = None
    location: Location = field(default_factory=Location)
    fix: Fix | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "suggestion": self.suggestion,
            "location": self.location.to_dict(),
            "fix": self.fix.to_dict() if self.fix else None,
        }


def at_least_warning(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity in ("error", "warning")]
