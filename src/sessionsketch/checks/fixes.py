"""The safe fixes (name spellings) applied to a sketch, or to a Markdown or text file in place."""

from __future__ import annotations

import re
from collections.abc import Iterable

from sessionsketch.checks.findings import Finding
from sessionsketch.model import Sketch


def _word_re(old: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])" + re.escape(old) + r"(?![\w-])")


def replace_words(text: str, old: str, new: str) -> str:
    """``text`` with whole-word occurrences of ``old`` replaced by ``new``."""
    return _word_re(old).sub(new, text)


def apply_fixes(sketch: Sketch, findings: Iterable[Finding]) -> Sketch:
    """A copy of ``sketch`` with every finding's safe fix applied.

    A fix located at a sentence changes that sentence; a fix without a sentence (the
    metadata block) changes the names and affiliations in the block.
    """
    out = Sketch.from_dict(sketch.to_dict())
    for para_out, para_in in zip(out.paragraphs, sketch.paragraphs, strict=True):
        for s_out, s_in in zip(para_out.sentences, para_in.sentences, strict=True):
            s_out.confidence, s_out.why = s_in.confidence, s_in.why
    meta = out.metadata
    for f in findings:
        if f.fix is None:
            continue
        loc = f.location
        if loc.paragraph is not None and loc.sentence is not None:
            try:
                sent = out.paragraphs[loc.paragraph].sentences[loc.sentence]
            except IndexError:
                continue
            sent.text = replace_words(sent.text, f.fix.old, f.fix.new)
            continue
        for ref in meta.people:
            if ref.name == f.fix.old:
                ref.name = f.fix.new
            elif ref.affiliation == f.fix.old:
                ref.affiliation = f.fix.new
    return out


def fix_text(text: str, findings: Iterable[Finding]) -> tuple[str, int]:
    """Apply the safe fixes to the text of a Markdown or plain-text sketch in place.

    Only the words a fix names change (on the finding's line when it has one),
    so everything else in the file — layout, emphasis, page furniture — is kept.
    Returns the new text and the number of replacements made.
    """
    lines = text.split("\n")
    count = 0
    for f in findings:
        if f.fix is None:
            continue
        pattern = _word_re(f.fix.old)
        line = (f.location.line or 0) - 1
        made = 0
        for i in [line] if 0 <= line < len(lines) else []:
            lines[i], made = pattern.subn(f.fix.new, lines[i])
        if not made:  # the sentence runs on to later lines, or no line was known
            for i, text_line in enumerate(lines):
                lines[i], n = pattern.subn(f.fix.new, text_line)
                made += n
        count += made
    return "\n".join(lines), count
