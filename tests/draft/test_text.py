from __future__ import annotations

from sessionsketch.text import split_sentences


def texts(s: str) -> list[str]:
    return [x.text for x in split_sentences(s)]


def test_spans_point_into_the_source() -> None:
    src = "  First one.  Second one? Third!\n\nFourth after a break"
    for span in split_sentences(src):
        assert src[span.start : span.end] == span.text
    assert texts(src) == ["First one.", "Second one?", "Third!", "Fourth after a break"]


def test_abbreviations_initials_and_acronyms_do_not_end_sentences() -> None:
    assert texts("Thank you, Mr. Chair. Dr. Lee met J. Smith at 3 p.m. today.") == [
        "Thank you, Mr. Chair.",
        "Dr. Lee met J. Smith at 3 p.m. today.",
    ]
    assert texts("The U.S. Congress agreed. See No. 5 for details.") == [
        "The U.S. Congress agreed.",
        "See No. 5 for details.",
    ]


def test_acronym_before_a_sentence_starter_ends_a_sentence() -> None:
    assert texts("They moved to the U.S. The rest stayed.") == ["They moved to the U.S.", "The rest stayed."]


def test_missing_space_after_title_and_quotes() -> None:
    assert texts('Thank you, Mr.Chair. She said "no." Then she left.') == [
        "Thank you, Mr.Chair.",
        'She said "no."',
        "Then she left.",
    ]
    assert texts("I said no. The vote failed.") == ["I said no.", "The vote failed."]


def test_a_figure_with_its_unit_ends_a_sentence() -> None:
    """ "1.5C." is a temperature, not a dotted acronym like "U.S.": the next sentence starts after it."""
    assert texts("Warming must stay under 1.5C. Quill argued that the harbour comes first.") == [
        "Warming must stay under 1.5C.",
        "Quill argued that the harbour comes first.",
    ]
