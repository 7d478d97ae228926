"""Rule ``language``: confused words in context, doubled words, sentences cut at a page break."""

from __future__ import annotations

import pytest

from sessionsketch.checks import run_checks
from sessionsketch.model import Paragraph, Sentence, Sketch


def _language(*paragraphs: list[str]) -> list[tuple[str, str]]:
    sketch = Sketch(paragraphs=[Paragraph([Sentence(t) for t in p]) for p in paragraphs])
    return [(f.rule, f.message) for f in run_checks(sketch, only=["language"])]


@pytest.mark.parametrize(
    "wrong",
    [
        "Quill backed the broader principals of free navigation.",
        "Otterly defended principals such as open ports.",
        "Tan met school principles and teachers in the marsh towns.",
        "Quill said that its time to act on the harbour.",
        "Otterly said the town and it's own fleet would suffer.",
        "Tan said the tariffs had an affect on small boats.",
        "Quill warned that the closure will effect the ferry timetable.",
    ],
)
def test_confused_words_are_flagged(wrong: str) -> None:
    found = _language([wrong])
    assert [rule for rule, _ in found] == ["language.confused"]


@pytest.mark.parametrize(
    "right",
    [
        "Quill backed the broader principles of free navigation.",
        "Tan met the school principals of the marsh towns.",
        "Otterly said the harbour and its fleet would suffer.",
        "Quill said that it's time to act on the harbour.",
        "Tan said the tariffs affect small boats and had an effect on trade.",
        "Quill said the board would effect change quickly.",
    ],
)
def test_right_words_are_not_flagged(right: str) -> None:
    assert _language([right]) == []


def test_doubled_words() -> None:
    assert [r for r, _ in _language(["Otterly said the the tariffs hurt."])] == ["language.doubled"]
    assert _language(["Quill said that that plan, which had had support, works."]) == []


def test_a_sentence_cut_at_a_page_break() -> None:
    cut = _language(
        ["Tan said the wall cannot hold without addressing the"],
        ["funding gap.", "Quill agreed."],
    )
    assert [r for r, _ in cut] == ["language.cut", "language.cut"]
    assert _language(["Tan said the wall cannot hold."], ["Quill agreed."]) == []
