"""The real reference sketch (a PDF converted to Markdown), read back and attributed.

The expected speaker of every body sentence was written by reading the text, not by
running the code: a sentence belongs to the participant the rapporteur is reporting.
"""

from __future__ import annotations

import datetime as dt

import pytest

from sessionsketch.model import DEFAULT_DISCLAIMER
from sessionsketch.pipeline import parse_sketch, read_sketch

KIM, KNAPPER, SEILER, SOEYA, ZHU = (
    "Kim Sung-han",
    "Marc Knapper",
    "Sydney A. Seiler",
    "Soeya Yoshihide",
    "Zhu Feng",
)

#: (start of the sentence, who it reports on) for every body sentence, in order.
EXPECTED: list[tuple[str, str | None]] = [
    ("At a time when the ROK-U.S. alliance has seen", None),  # framing paragraph
    ("North Korea is the number one issue in the alliance from Kim Sung-han", KIM),
    ("In the aftermath of the no-deal summit in Hanoi, he noted", KIM),
    ("Trump realizes that sanctions have been working", KIM),
    ("If the United States remains committed to a “big deal,” Kim Jong-un", KIM),
    ("Despite the failure of its strategy in Hanoi, Pyongyang", KIM),
    ("It will also continue to miniaturize", KIM),
    ("In light of the result in Hanoi, Moon needs to convince Kim", KIM),
    ("The ideal solution according to Kim", KIM),
    ("On the potential for South Korea to cooperate", KIM),
    ("He also noted that South Korea should not have", KIM),
    ("While acknowledging the important role", KNAPPER),
    ("However, before talking about economic cooperation, Knapper pushed back", KNAPPER),
    ("He noted that shortly after Hanoi", KNAPPER),
    ("In recent years, Knapper noted", KNAPPER),
    ("In this sense, economic security", KNAPPER),
    ("The KORUS FTA, along with its revisions", KNAPPER),
    ("The two countries have also worked together on energy security", KNAPPER),
    ("The increased imports of U.S. fossil fuels", KNAPPER),
    ("Knapper likewise noted", KNAPPER),
    ("Sydney Seiler also pushed back", SEILER),
    ("He noted that the relationship has become one of equals", SEILER),
    ("The goal has been to make the alliance", SEILER),
    ("However, North Korea does use its propaganda", SEILER),
    ("He said that he does not share concerns", SEILER),
    ("The two issues go hand-in-hand.", SEILER),
    ("He also noted that the alliance has been able to maintain deterrence", SEILER),
    ("While much of the focus during the session", SOEYA),  # "Soeya Yoshida": misspelt
    ("On North Korea, he suggested that he believes that Kim Jong-un", SOEYA),
    ("He noted that this is not a position that is shared", SOEYA),
    ("However, this will have to be in his preferred phased process.", SOEYA),
    ("If we do engage it will be a long and difficult process", SOEYA),
    ("That is where the real negotiations will begin.", SOEYA),
    ("This will require significant cooperation", SOEYA),
    ("On the potential for cooperation in the Indo-Pacific, he also noted", SOEYA),
    ("The two countries could find common ground", SOEYA),
    ("In the Indo-Pacific area, there could be both", SOEYA),
    ("Soeya also noted", SOEYA),
    ("Zhu Feng noted that the U.S.-Korea alliance", ZHU),
    ("He believes that it can continue", ZHU),
    ("He noted that China has strategic anxiety", ZHU),
    ("He also suggested that South Korea is sophisticated", ZHU),
]


@pytest.fixture(scope="module")
def sketch(reference_txt):
    return parse_sketch(reference_txt)


def test_metadata_exactly_as_printed(sketch) -> None:
    m = sketch.metadata
    assert m.conference == "Asan Plenum 2019"
    assert m.theme == "Korea’s Choice"
    assert m.url == "www.asanplenum.org"
    assert m.session == "ROK-U.S. Alliance"
    assert (m.date, m.start, m.end) == (dt.date(2019, 4, 23), "13:00", "14:30")
    assert (m.rapporteur.name, m.rapporteur.affiliation) == (
        "Troy Stangarone",
        "Korea Economic Institute of America",
    )
    assert (m.moderator.name, m.moderator.affiliation) == (
        "Sue Mi Terry",
        "Center for Strategic and International Studies",
    )


def test_five_speakers_with_affiliations(sketch) -> None:
    assert [(p.name, p.affiliation) for p in sketch.metadata.speakers] == [
        ("Kim Sung-han", "Korea University"),
        ("Marc Knapper", "U.S. Department of State"),
        ("Sydney A. Seiler", "U.S. Forces Korea"),
        ("Soeya Yoshihide", "Keio University"),
        ("Zhu Feng", "Nanjing University"),
    ]


def test_page_broken_sentence_is_joined(sketch) -> None:
    texts = [s.text for s in sketch.sentences]
    joined = [t for t in texts if "without addressing the nuclear issue." in t]
    assert len(joined) == 1 and joined[0].startswith("He said that he does not share concerns")
    assert not any(t.startswith("nuclear issue") for t in texts)


def test_disclaimer_found_once_and_not_in_body(sketch) -> None:
    assert sketch.disclaimer == DEFAULT_DISCLAIMER
    body = " ".join(s.text for s in sketch.sentences)
    assert "views expressed herein" not in body
    assert "Session Sketch" not in body
    assert "asanplenum" not in body
    assert "Asan Plenum" not in body


def test_paragraphs_as_printed(sketch) -> None:
    # eleven body paragraphs; the one cut by the page break counts once
    assert len(sketch.paragraphs) == 11
    assert [p.speaker for p in sketch.paragraphs] == [
        None,
        KIM,
        KIM,
        KIM,
        KIM,
        KNAPPER,
        KNAPPER,
        SEILER,
        SOEYA,
        SOEYA,
        ZHU,
    ]


def test_every_sentence_attributed_as_read(sketch) -> None:
    got = [(s.text, s.speaker) for s in sketch.sentences]
    assert len(got) == len(EXPECTED)
    for (text, speaker), (start, expected) in zip(got, EXPECTED, strict=True):
        assert text.startswith(start), (text, start)
        assert speaker == expected, text


def test_every_sentence_has_confidence_and_why(sketch) -> None:
    for s in sketch.sentences:
        assert s.why
        assert 0.0 < s.confidence <= 1.0


def test_misspelt_participant_is_resolved_and_recorded(sketch) -> None:
    s = next(s for s in sketch.sentences if "Soeya Yoshida" in s.text)
    assert s.speaker == SOEYA
    assert "misspelt" in s.why and "Soeya Yoshida" in s.why
    assert s.confidence < 0.9


def test_kim_jong_un_is_not_kim_sung_han(sketch) -> None:
    # Kim Jong-un is talked about in Soeya's paragraph; the sentences stay Soeya's
    for s in sketch.sentences:
        if "Kim Jong-un" in s.text or "Kim is serious" in s.text or "Kim will reach" in s.text:
            assert s.speaker in (KIM, SOEYA)
            assert "Kim Jong-un" not in (s.why or "") or "not as the reporter" in s.why


def test_reads_without_attribution_too(reference_txt) -> None:
    sketch = read_sketch(reference_txt)
    assert all(s.speaker is None for s in sketch.sentences)
    assert len(sketch.sentences) == len(EXPECTED)
