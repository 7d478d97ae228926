"""Attribution reads a bounded window around each name a sentence mentions (issue 16 §2).

``tests/core/test_linear.py`` shows the work is linear; these show the windows read what the
whole sentence said: the comma before a name, the reporter after "according to" or "said",
and "For X, …" only at the start of the sentence.
"""

from __future__ import annotations

import pytest

from sessionsketch.analysis import syntax
from sessionsketch.analysis.attribute import (
    _WINDOW,
    PARSED_CHARS,
    _comma_before,
    attribute_sketch,
    parsed_part,
)
from sessionsketch.model import Metadata, Paragraph, PersonRef, Sentence, Sketch


@pytest.mark.parametrize(
    "text",
    [
        "",
        ",",
        " ,",
        ", ",
        "a,  b",
        "Asked by Quill,   Teller said",
        "x\t,\n \u00a0y",
        "a" + " " * 700 + ",  b",
    ],
)
def test_comma_before_is_rstrip_endswith(text: str) -> None:
    for at in range(len(text) + 1):
        assert _comma_before(text, at) == text[:at].rstrip().endswith(","), (text, at)


def _attributed(*texts: str) -> list[Sentence]:
    meta = Metadata(
        session="Harbour Fees",
        speakers=[PersonRef("Ada Quill", "Harbour Institute"), PersonRef("Bo Teller", "Cloud Ministry")],
    )
    sketch = Sketch(meta, [Paragraph([Sentence(t) for t in texts])])
    return attribute_sketch(sketch).sentences


needs_parser = pytest.mark.skipif(not syntax.available(), reason="no spaCy model installed")


@needs_parser
def test_the_reporter_named_before_or_after_is_still_found() -> None:
    first, second, third = _attributed(
        "The towns will publish their figures monthly, according to Teller.",
        "“Fees will fall,” said Quill.",
        "For Teller, the harbour is the town's first concern.",
    )
    assert (first.speaker, second.speaker, third.speaker) == ("Bo Teller", "Ada Quill", "Bo Teller")
    assert "according to Teller" in (first.why or "")
    assert "said Quill" in (second.why or "")
    assert third.why == "“For Teller” names the reporter"


@needs_parser
def test_for_a_name_counts_only_at_the_start_of_the_sentence() -> None:
    """A window that starts at "for" is not the sentence's start: "^for" must not match there."""
    opening = "The towns’ fees rose "
    text = opening + "for" + " " * (_WINDOW - len("for")) + "Teller, and the harbour closed."
    assert text.index("Teller") - _WINDOW == len(opening)  # the window starts on "for"
    (sentence,) = _attributed(text)
    assert "for teller" not in (sentence.why or "").lower()


def test_the_parser_reads_a_bounded_part_of_a_sentence() -> None:
    short = "Quill said that the towns will publish their figures monthly."
    assert parsed_part(short) == short
    assert parsed_part("a" * PARSED_CHARS) == "a" * PARSED_CHARS
    long = "Quill said that " + "the towns will publish " * 200
    part = parsed_part(long)
    assert len(part) <= PARSED_CHARS and long.startswith(part) and long[len(part)] == " "
    assert parsed_part("a" * (3 * PARSED_CHARS)) == "a" * PARSED_CHARS  # no space: cut at the bound


@needs_parser
def test_a_huge_sentence_is_attributed_from_its_opening() -> None:
    """A 40 KB "sentence" (a damaged file): its subject comes first and still decides."""
    (sentence,) = _attributed(
        "Teller argued that " + "the towns will publish their figures monthly and " * 800
    )
    assert sentence.speaker == "Bo Teller"
    assert len(syntax.parse(parsed_part(sentence.text))) < 500
