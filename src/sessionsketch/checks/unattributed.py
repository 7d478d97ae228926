"""Rule ``unattributed`` (Chatham House sketches): nobody in the body can be identified.

Under the Chatham House rule a sketch reports what was said, not who said it: any
participant's name (or family name alone, or a near misspelling of it), affiliation,
or identifying role in the body is an error.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from sessionsketch.analysis.names import fold
from sessionsketch.checks import Context, Finding, rule
from sessionsketch.checks.names import NameFinder
from sessionsketch.errors import UserError
from sessionsketch.model import Programme, Session, Sketch

_ROLE_RE = re.compile(
    r"\b(?:the\s+)?(?:moderator|chair(?:man|woman|person)?|rapporteur|minister|ambassador|senator|"
    r"professor|president|secretary|governor|director|commissioner|chief\s+executive|ceo)\b"
    r"(?:\s+(?:of|for)\s+(?:the\s+)?[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*)?",
    re.IGNORECASE,
)


@rule("unattributed", unattributed_only=True)
def check_unattributed(ctx: Context) -> Iterator[Finding]:
    """Names, affiliations and identifying roles of participants in the body."""
    finder = NameFinder(ctx.people)
    affiliations = sorted({p.affiliation for p in ctx.people if p.affiliation}, key=lambda a: -len(a))
    # a given name alone ("as Bethan said") identifies someone too; names are written capitalised
    given_names = sorted({g for p in ctx.people for g in (p.given_name or "").split() if len(g) >= 3})
    for passage in ctx.passages:
        named = False
        for m in finder.mentions(passage.text):
            named = True
            yield Finding(
                "unattributed.name",
                "error",
                f"'{m.written}' names a participant in an unattributed sketch",
                "say 'one speaker' or 'a participant' instead",
                passage.location,
            )
        for given in given_names if not named else ():
            if re.search(rf"(?<![\w-]){re.escape(given)}(?![\w-])", passage.text):
                yield Finding(
                    "unattributed.name",
                    "error",
                    f"'{given}' is a participant's given name in an unattributed sketch",
                    "say 'one speaker' or 'a participant' instead",
                    passage.location,
                )
        folded = f" {fold(passage.text)} "
        for aff in affiliations:
            if f" {fold(aff)} " in folded:
                yield Finding(
                    "unattributed.affiliation",
                    "error",
                    f"'{aff}' identifies a participant's institution in an unattributed sketch",
                    "describe the institution in general terms or leave it out",
                    passage.location,
                )
        for m in _ROLE_RE.finditer(passage.text):
            if m.group(0)[0].islower() and not m.group(0).lower().startswith("the "):
                continue
            yield Finding(
                "unattributed.role",
                "error",
                f"'{m.group(0)}' identifies a participant by their role",
                "leave out roles that point at one person",
                passage.location,
            )


# ----------------------------------------------------------------- the engines' gate


def identifying_words(session: Session) -> list[str]:
    """Names, family names, given names, aliases and affiliations of everyone on the panel."""
    out: set[str] = set()
    for p in session.participants:
        for form in [p.name, p.family_name, p.given_name or "", p.affiliation or "", *p.aliases]:
            form = form.strip()
            if len(form) >= 3:
                out.add(form)
    return sorted(out, key=len, reverse=True)


def leaks(text: str, words: list[str]) -> list[str]:
    """Which identifying words occur in ``text`` (whole words, as capitalised as written:
    "Young" the name, not "young people")."""
    return [w for w in words if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)]


def make_unattributed(sketch: Sketch, session: Session, programme: Programme | None = None) -> Sketch:
    """Make a drafted sketch a Chatham House one, proved by the rule ``check`` runs.

    Sentence and paragraph speakers are cleared, the panel leaves the metadata block,
    and every body sentence the ``unattributed`` rule flags (a name, an affiliation,
    an identifying role) is left out. Whatever the rule still finds — in the metadata
    block, say — is a user error: nothing is written.
    """
    from sessionsketch.checks import run_checks

    for para in sketch.paragraphs:
        para.speaker = None
        for s in para.sentences:
            s.speaker = None
    meta = sketch.metadata
    meta.moderator = None
    meta.speakers = []
    if hasattr(meta, "participants"):
        meta.participants = []
    visible = " ".join(str(x) for x in (meta.session, meta.theme) if x)
    found = leaks(visible, identifying_words(session))
    if found:
        raise UserError(
            f"unattributed sketch would name {', '.join(found)} in its heading; refusing to write it"
        )
    single = (
        Programme(sessions=[session])
        if programme is None
        else Programme(conference=programme.conference, sessions=[session], disclaimer=programme.disclaimer)
    )
    for _ in range(3):
        findings = run_checks(sketch, single, None, unattributed=True, only=["unattributed"])
        flagged = {(f.location.paragraph, f.location.sentence) for f in findings}
        if not findings:
            return sketch
        if any(p is None or s is None for p, s in flagged):
            named = "; ".join(f.message for f in findings if f.location.paragraph is None)
            raise UserError(
                f"unattributed sketch would identify a participant ({named}); refusing to write it"
            )
        for pi, para in enumerate(sketch.paragraphs):
            para.sentences = [s for si, s in enumerate(para.sentences) if (pi, si) not in flagged]
        sketch.paragraphs = [p for p in sketch.paragraphs if p.sentences]
    raise UserError("unattributed sketch still identifies a participant after the gate; refusing to write it")
