"""Transcripts as they are found in the wild (issue 26): the shapes real files take.

Each test here is one defect the issue found on real files. The corpus itself (real files
with their sources, and faithful fictional copies where no licence allowed a real one) is
read in ``tests/core/test_real_transcripts.py``. Every invented panel is fictional (Ada
Quill, Bram Teller, Cleo Marsh).
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from sessionsketch.errors import UserError
from sessionsketch.model import Transcript
from sessionsketch.readers import read_transcript_file


def read(path: Path, fmt: str | None = None) -> Transcript:
    return read_transcript_file(path, fmt)


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def turns(transcript: Transcript) -> list[tuple[str, str]]:
    return [(t.label, t.text) for t in transcript.turns]


def words(transcript: Transcript) -> int:
    return sum(len(t.text.split()) for t in transcript.turns)


# ----------------------------------------------------------------------------- 1. YouTube captions

# yt-dlp's auto-captions with no WEBVTT line; "·" stands for YouTube's line of one space
HEADERLESS_YOUTUBE = """00:00:00.160 --> 00:00:02.230 align:start position:0%
·
&gt;&gt; welcome<00:00:00.640><c> to</c><00:00:01.120><c> the</c><00:00:01.500><c> forum</c>

00:00:02.230 --> 00:00:02.240 align:start position:0%
&gt;&gt; welcome to the forum
·

00:00:02.240 --> 00:00:04.150 align:start position:0%
&gt;&gt; welcome to the forum
the<00:00:02.560><c> towns</c><00:00:02.800><c> report</c><00:00:03.100><c> monthly</c>

00:00:04.150 --> 00:00:04.160 align:start position:0%
the towns report monthly
·
""".replace("·", " ")


def test_youtube_captions_without_header_read_as_vtt(tmp_path: Path) -> None:
    transcript = read(write(tmp_path, "forum.en.vtt", HEADERLESS_YOUTUBE))
    assert transcript.format == "vtt"
    assert turns(transcript) == [("Unidentified speaker", "welcome to the forum the towns report monthly")]


def test_youtube_captions_without_header_read_as_vtt_whatever_the_extension(tmp_path: Path) -> None:
    transcript = read(write(tmp_path, "forum.txt", HEADERLESS_YOUTUBE))
    assert transcript.format == "vtt"
    assert "<" not in transcript.turns[0].text and "&gt;" not in transcript.turns[0].text


def test_from_vtt_accepts_a_file_without_header(tmp_path: Path) -> None:
    transcript = read(write(tmp_path, "forum.en.vtt", HEADERLESS_YOUTUBE), fmt="vtt")
    assert words(transcript) == 8


# the finished lines repeated two at a time in the short cue between two lines
TWO_LINE_REPEATS = """WEBVTT
Kind: captions
Language: en

00:00:00.000 --> 00:00:02.000 align:start position:0%
the<00:00:00.500><c> towns</c><00:00:01.000><c> report</c>

00:00:02.000 --> 00:00:04.000 align:start position:0%
the towns report
every<00:00:02.500><c> single</c><00:00:03.000><c> month</c>

00:00:04.000 --> 00:00:04.010 align:start position:0%
the towns report
every single month

00:00:04.010 --> 00:00:06.000 align:start position:0%
every single month
and<00:00:04.500><c> publish</c><00:00:05.000><c> it</c>

00:00:06.000 --> 00:00:06.010 align:start position:0%
every single month
and publish it
"""


def test_rolling_lines_repeated_two_at_a_time_are_read_once(tmp_path: Path) -> None:
    transcript = read(write(tmp_path, "two.en.vtt", TWO_LINE_REPEATS))
    assert transcript.turns[0].text == "the towns report every single month and publish it"


GROWING = """WEBVTT

00:00:00.000 --> 00:00:01.000
<c>the towns</c>

00:00:01.000 --> 00:00:02.000
<c>the towns report</c>

00:00:02.000 --> 00:00:03.000
<c>the towns report monthly</c>
"""


def test_rolling_lines_that_grow_give_each_word_once(tmp_path: Path) -> None:
    transcript = read(write(tmp_path, "grow.vtt", GROWING))
    assert transcript.turns[0].text == "the towns report monthly"


# ----------------------------------------------------------------------------- 4. Zoom cues without a name

ZOOM_RUN = """WEBVTT

1
00:00:01.000 --> 00:00:04.000
Ada Quill: Shall we publish the leak data every month?

2
00:00:04.000 --> 00:00:06.500
And street by street, if the towns agree.

3
00:00:12.000 --> 00:00:15.000
I am not sure the small towns can pay for that.

4
00:00:15.200 --> 00:00:18.000
Bram Teller: They can, with the sensors.
"""


def test_zoom_cue_without_a_name_continues_only_a_contiguous_run(tmp_path: Path, caplog) -> None:
    with caplog.at_level(logging.WARNING, logger="sessionsketch"):
        transcript = read(write(tmp_path, "zoom.vtt", ZOOM_RUN))
    assert turns(transcript) == [
        (
            "Ada Quill",
            "Shall we publish the leak data every month? And street by street, if the towns agree.",
        ),
        ("Unidentified speaker", "I am not sure the small towns can pay for that."),
        ("Bram Teller", "They can, with the sensors."),
    ]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("zoom.vtt" in w and "1 cue(s) name no speaker" in w and "line 13" in w for w in warnings), (
        warnings
    )


def test_captions_without_any_names_still_read_as_one_unidentified_speaker(tmp_path: Path) -> None:
    vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nWelcome.\n\n00:00:09.000 --> 00:00:10.000\nThanks.\n"
    assert turns(read(write(tmp_path, "plain.vtt", vtt))) == [("Unidentified speaker", "Welcome. Thanks.")]


# ----------------------------------------------------------------------------- 2. ParlParse entities

PARLPARSE_DOCTYPE = """<?xml version="1.0" encoding="utf-8"?>

<!DOCTYPE publicwhip
[
<!ENTITY pound   "&#163;">
<!ENTITY mdash   "&#8212;">
]>

<publicwhip scraperversion="b" latest="yes">
<speech id="uk.org.publicwhip/debate/2026-11-30a.1.3" speakername="Ada Quill" colnum="1" time="14:30:00" url="">
<p pid="a.1/1">Will it cost &pound;40,000&mdash;or more&hellip;?</p>
</speech>
</publicwhip>
"""


def test_parlparse_doctype_entities_are_honoured(tmp_path: Path) -> None:
    transcript = read(write(tmp_path, "debates2026-11-30a.xml", PARLPARSE_DOCTYPE))
    assert turns(transcript) == [("Ada Quill", "Will it cost £40,000—or more…?")]


def test_parlparse_html_entities_without_a_doctype(tmp_path: Path) -> None:
    xml = '<publicwhip><speech speakername="Ada Quill"><p>&pound;5 &amp; &lt;more&gt; &eacute;</p></speech></publicwhip>'
    assert turns(read(write(tmp_path, "x.xml", xml))) == [("Ada Quill", "£5 & <more> é")]


def _bomb(declarations: str) -> str:
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE publicwhip [\n{declarations}\n]>\n'
        '<publicwhip><speech speakername="A"><p>&lol9;</p></speech></publicwhip>'
    )


BILLION_LAUGHS = "\n".join(
    ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
)


def test_parlparse_entity_expansion_bomb_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="refers to other entities") as err:
        read(write(tmp_path, "bomb.xml", _bomb(BILLION_LAUGHS)))
    assert "bomb.xml:2" in str(err.value) and "\n" not in str(err.value)


def test_parlparse_long_entity_repeated_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="longer than"):
        read(write(tmp_path, "quadratic.xml", _bomb(f'<!ENTITY lol9 "{"x" * 5_000}">')))


def test_parlparse_external_and_parameter_entities_are_refused(tmp_path: Path) -> None:
    for decl in (
        '<!ENTITY lol9 SYSTEM "file:///etc/passwd">',
        '<!ENTITY lol9 PUBLIC "-//x//EN" "http://example.invalid/x.dtd">',
        '<!ENTITY % lol9 SYSTEM "http://example.invalid/x.dtd">',
    ):
        with pytest.raises(UserError, match="could read other files or the network"):
            read(write(tmp_path, "external.xml", _bomb(decl)))


def test_parlparse_doctype_inside_the_document_is_refused(tmp_path: Path) -> None:
    xml = '<publicwhip><speech speakername="A"><p>x</p></speech>\n<!DOCTYPE x [<!ENTITY a "b">]></publicwhip>'
    with pytest.raises(UserError, match="DOCTYPE"):
        read(write(tmp_path, "late.xml", xml))


# ----------------------------------------------------------------------------- linear time

WILD_LINEAR_CASES = {
    "vtt without header: rolling cues": (
        None,
        "x.en.vtt",
        lambda n: fill(HEADERLESS_YOUTUBE, n),
    ),
    "vtt: hostile '--> x ' marks": ("vtt", "x.vtt", lambda n: fill("00:00:01.000 --> x ", n)),
    "parlparse: repeated '<!DOCTYPE p['": ("parlparse", "x.xml", lambda n: fill("<!DOCTYPE p[", n)),
    "parlparse: many entity declarations": (
        "parlparse",
        "x.xml",
        lambda n: fill('<!ENTITY a "&#163;">', n, "<!DOCTYPE publicwhip [", "]><publicwhip></publicwhip>"),
    ),
    "parlparse: an entity declaration's run of spaces": (
        "parlparse",
        "x.xml",
        lambda n: fill(" ", n, "<!DOCTYPE publicwhip [<!ENTITY a", "]><publicwhip></publicwhip>"),
    ),
    "parlparse: a DOCTYPE name's run of letters": (
        "parlparse",
        "x.xml",
        lambda n: fill("a", n, "<!DOCTYPE ", " [<!ENTITY a 'b'>]><publicwhip></publicwhip>"),
    ),
    "parlparse: many entities": (
        "parlparse",
        "x.xml",
        lambda n: fill(
            "&pound;&mdash;", n, '<publicwhip><speech speakername="A"><p>', "</p></speech></publicwhip>"
        ),
    ),
}


def assert_reader_linear(case: str, spec: tuple) -> None:
    """``test_linear``'s measure (best-of-three CPU time over 10k–80k characters) on ``spec``."""
    import importlib.util

    module = Path(__file__).with_name("test_linear.py")
    loaded = importlib.util.spec_from_file_location("wild_test_linear", module)
    assert loaded and loaded.loader
    linear = importlib.util.module_from_spec(loaded)
    loaded.loader.exec_module(linear)
    linear.assert_linear(case, linear._reader_run(*spec))


@pytest.mark.parametrize("case", sorted(WILD_LINEAR_CASES))
def test_wild_readers_are_linear(case: str) -> None:
    assert_reader_linear(case, WILD_LINEAR_CASES[case])


def fill(unit: str, n: int, head: str = "", tail: str = "") -> str:
    return head + unit * max(1, (n - len(head) - len(tail)) // len(unit)) + tail


# ----------------------------------------------------------------------------- 3. Markdown

MEET_NOTES_MD = """---
layout: post
title: "Harbour forum"
tags: [water, leaks]
categories: notes
---

# Harbour forum

**Ada Quill:** Should the towns publish every month?

**Bram Teller**: Yes. The reason is simple: people trust what they can check.

Note: the towns asked for it too.

**Cleo Marsh:** \\[00:04:19.13\\] Not the small ones \\[laughs\\]. __Not yet.__

**Break:** \\[01:33\\] to \\[03:00\\]

## Next steps

- Bram to cost the sensors.
"""


def test_markdown_bold_labels_front_matter_and_headings(tmp_path: Path, caplog) -> None:
    with caplog.at_level(logging.WARNING, logger="sessionsketch"):
        transcript = read(write(tmp_path, "notes.md", MEET_NOTES_MD))
    assert transcript.format == "markdown"
    assert turns(transcript) == [
        ("Ada Quill", "Should the towns publish every month?"),
        (
            "Bram Teller",
            "Yes. The reason is simple: people trust what they can check. Note: the towns asked for it too.",
        ),
        ("Cleo Marsh", "Not the small ones [laughs]. Not yet."),
    ]
    assert transcript.turns[2].start == 4 * 60 + 19.13
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("notes.md" in w and "1 line(s) outside any speaker's turn" in w for w in warnings), warnings


def test_markdown_hansard_labels(tmp_path: Path) -> None:
    md = (
        "**1. Ada Quill (Imaginary West) (Lab):** What steps is the Minister taking?\n\n"
        "**The Minister for Waterways (Bram Teller):** The data will be published monthly.\n"
    )
    assert turns(read(write(tmp_path, "hansard.md", md))) == [
        ("Ada Quill (Imaginary West) (Lab)", "What steps is the Minister taking?"),
        ("The Minister for Waterways (Bram Teller)", "The data will be published monthly."),
    ]


MARKDOWN_LINEAR_CASES = {
    "markdown: many bold labels": (None, "x.md", lambda n: fill("**Ada Quill:** Yes, monthly.\n\n", n)),
    "markdown: runs of '**'": ("markdown", "x.md", lambda n: fill("**", n, "**Ada Quill:** a\n")),
    "markdown: runs of '**a'": ("markdown", "x.md", lambda n: fill("**a", n, "**Ada Quill:** a\n")),
    "markdown: escaped brackets": ("markdown", "x.md", lambda n: fill("\\[", n, "**Ada Quill:** a\n")),
    "markdown: unclosed front matter": ("markdown", "x.md", lambda n: fill("a: b\n", n, "---\n")),
}


@pytest.mark.parametrize("case", sorted(MARKDOWN_LINEAR_CASES))
def test_markdown_reader_is_linear(case: str) -> None:
    assert_reader_linear(case, MARKDOWN_LINEAR_CASES[case])


def test_markdown_front_matter_keys_are_never_speakers(tmp_path: Path) -> None:
    md = (
        "---\nlayout: post\ntags: [a, b]\ncategories: notes\n---\nAda Quill: Welcome.\nBram Teller: Thanks.\n"
    )
    transcript = read(write(tmp_path, "plain.md", md))
    assert transcript.format == "markdown"
    assert turns(transcript) == [("Ada Quill", "Welcome."), ("Bram Teller", "Thanks.")]


# ----------------------------------------------------------------------------- 5. Rev speaker_info


def test_rev_json_display_name_names_the_speaker(tmp_path: Path) -> None:
    doc = (
        '{"monologues": [{"speaker": 0, "speaker_info": {"id": "0", "display_name": "Ada Quill"}, '
        '"elements": [{"type": "text", "value": "Welcome", "ts": 0.5, "end_ts": 0.9}]}, '
        '{"speaker": 1, "elements": [{"type": "text", "value": "Thanks", "ts": 1.0, "end_ts": 1.3}]}]}'
    )
    assert turns(read(write(tmp_path, "rev.json", doc))) == [
        ("Ada Quill", "Welcome"),
        ("Speaker 1", "Thanks"),
    ]


# ----------------------------------------------------------------------------- 7. transformers chunks

CHUNKS = {
    "text": " Should we publish? Yes, monthly.",
    "chunks": [
        {"text": " Should", "timestamp": [0.5, 0.8]},
        {"text": " we", "timestamp": [0.8, 0.9]},
        {"text": " publish?", "timestamp": [0.9, 1.4]},
        {"text": " Yes,", "timestamp": [2.0, 2.3]},
        {"text": " monthly.", "timestamp": [2.3, None]},
    ],
}
RTTM = (
    "SPEAKER forum 1 0.400 1.100 <NA> <NA> SPEAKER_00 <NA> <NA>\n"
    "SPEAKER forum 1 1.900 1.000 <NA> <NA> SPEAKER_01 <NA> <NA>\n"
)


def test_transformers_word_chunks_are_joined_to_the_diarisation_by_time(tmp_path: Path) -> None:
    import json

    from sessionsketch.readers.whisperx import read_with_speakers

    asr = write(tmp_path, "forum.json", json.dumps(CHUNKS))
    rttm = write(tmp_path, "forum.rttm", RTTM)
    transcript = read_with_speakers(asr, diarisation=rttm)
    assert [(t.label, t.text, t.start) for t in transcript.turns] == [
        ("SPEAKER_00", "Should we publish?", 0.5),
        ("SPEAKER_01", "Yes, monthly.", 2.0),
    ]


def test_transformers_segment_chunks_are_segments(tmp_path: Path) -> None:
    import json

    from sessionsketch.readers.whisperx import read_with_speakers

    doc = {
        "text": "",
        "chunks": [
            {"text": " Should we publish?", "timestamp": [0.5, 1.4]},
            {"text": " Yes, monthly.", "timestamp": [2.0, 2.8]},
        ],
    }
    transcript = read_with_speakers(
        write(tmp_path, "forum.json", json.dumps(doc)), diarisation=write(tmp_path, "forum.rttm", RTTM)
    )
    assert turns(transcript) == [("SPEAKER_00", "Should we publish?"), ("SPEAKER_01", "Yes, monthly.")]


def test_transformers_chunks_without_speakers_say_how_to_add_them(tmp_path: Path) -> None:
    import json

    with pytest.raises(UserError, match="no speaker turns") as err:
        read(write(tmp_path, "forum.json", json.dumps(CHUNKS)))
    assert "--diarisation" in str(err.value)
    with pytest.raises(UserError, match="no speaker turns"):
        read(write(tmp_path, "forum.json", json.dumps(CHUNKS)), fmt="whisperx")


# ----------------------------------------------------------------------------- 8. no speech


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("captions.en.vtt", "00:00:01.000 --> 00:00:02.000 align:start position:0%\n \n\n"),
        ("captions.vtt", "WEBVTT\nKind: captions\nLanguage: en\n\n"),
        ("subtitles.srt", "1\n00:00:01,000 --> 00:00:02,000\n\n"),
        ("whisper.json", '{"text": "", "segments": []}'),
        ("transformers.json", '{"text": "", "chunks": []}'),
        ("notes.md", "---\nlayout: post\ntags: [a]\n---\n# Harbour forum\n\n"),
        ("debates.xml", "<publicwhip></publicwhip>"),
    ],
)
def test_draft_with_no_speech_says_so(tmp_path: Path, capsys, name: str, content: str) -> None:
    from sessionsketch.cli import run

    out = tmp_path / "sketch.md"
    code = run(["draft", str(write(tmp_path, name, content)), "-o", str(out)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and not out.exists()
    assert len(err) == 1 and name in err[0] and "no speech found" in err[0], err
    assert "cannot tell" not in err[0]


# ----------------------------------------------------------------------------- 6. generic labels


@pytest.mark.parametrize(
    "label",
    [
        "Speaker 1",
        "SPEAKER_00",
        "speaker_01",
        "Unknown Speaker",
        "Participant 12",
        # a part in the meeting, not a name: "Manager said", "According to Interface", "C said"
        "Project Manager",
        "User Interface",
        "Industrial Designer",
        "Marketing",
        "PhD C",
        "Professor B",
        "Grad A",
    ],
)
def test_generic_labels_are_never_family_names(label: str) -> None:
    from sessionsketch.model import Person

    person = Person(name=label)
    assert person.family_name == label and person.given_name is None
    assert Person(name="Ada Quill").family_name == "Quill"
    assert Person(name="Professor Ada Quill").family_name == "Quill"


@pytest.mark.parametrize(
    ("label", "name"), [("G3P1", "G3P1"), ("ADA QUILL", "Ada Quill"), ("R2D2 TEAM", "R2D2 TEAM")]
)
def test_identifiers_keep_their_case(label: str, name: str) -> None:
    from sessionsketch.analysis.resolve import parse_label

    assert parse_label(label).name == name


GENERIC_PANEL = """Speaker 1: Welcome to the harbour forum. Today we discuss whether the towns should publish their leak data every month, and what it would cost the small towns to do so.
SPEAKER_00: Thank you. I am the co-founder of the Imaginary Waterways Board, and we have measured the leaks in three pilot towns for two years now. We found that one pipe in five loses water before it reaches a tap.
G3P1: I run the pilot in Lower Fen. The sensors write most of the report now, and we check it in an afternoon. Monthly publication costs us one afternoon a month.
Speaker 1: Should every town do it then?
SPEAKER_00: Every town that asks, yes. We would pay for the sensors where a town cannot, because a leak found in a week costs a tenth of one found in a season.
G3P1: The parish meeting argued about the numbers, which is the point. They found an old main that nobody had mapped.
"""


def test_draft_writes_generic_labels_whole_and_identifiers_in_their_case(tmp_path: Path) -> None:
    from sessionsketch.cli import run

    out = tmp_path / "sketch.md"
    assert run(["draft", str(write(tmp_path, "panel.txt", GENERIC_PANEL)), "-o", str(out)]) == 0
    sketch = out.read_text(encoding="utf-8").replace("\\\\_", "_")
    assert "Speaker 1" in sketch and "G3P1" in sketch and "G3p1" not in sketch
    # no bare number stands for a speaker: "According to 1", "1 also asked", "0 is the co-founder"
    assert not re.search(
        r"(?:^|[.:”] |According to )\\d{1,2}\\b(?! (?:per|pipe|in|a|month))", sketch, re.M
    ), sketch


# ----------------------------------------------------------------------------- never an empty sketch

REAL = Path(__file__).resolve().parents[1] / "data" / "real"

PUNCTUATED_CAPTIONS = """WEBVTT

00:00:01.000 --> 00:00:06.000
Welcome to the harbour forum. We will discuss whether the towns should publish their leak data every month.

00:00:06.500 --> 00:00:12.000
People trust what they can check, and a leak found in a week costs a tenth of one found in a season.
"""


def test_captions_without_labels_draft_as_one_unidentified_speaker(tmp_path: Path, capsys) -> None:
    from sessionsketch.cli import run

    out = tmp_path / "sketch.md"
    assert run(["draft", str(write(tmp_path, "captions.vtt", PUNCTUATED_CAPTIONS)), "-o", str(out)]) == 0
    assert "Unidentified speaker" in out.read_text(encoding="utf-8")
    assert "no speaker is named" in capsys.readouterr().err


def test_a_draft_with_no_point_is_refused_not_written_empty(tmp_path: Path, capsys) -> None:
    """yt-dlp's automatic captions have no full stops: one line saying so, exit 2, no file."""
    from sessionsketch.cli import run

    out = tmp_path / "sketch.md"
    code = run(["draft", str(REAL / "harbour-forum-youtube.en.vtt"), "-o", str(out)])
    err = [ln for ln in capsys.readouterr().err.splitlines() if ln.startswith("error:")]
    assert code == 2 and not out.exists()
    assert len(err) == 1 and "nothing to draft" in err[0] and "no sentence punctuation" in err[0], err


def test_markdown_without_bold_labels_names_the_file_s_own_lines(tmp_path: Path, caplog) -> None:
    md = "---\nlayout: post\n---\nAda Quill: Welcome.\nyuki wang: thanks.\n"
    with caplog.at_level(logging.WARNING, logger="sessionsketch"):
        transcript = read(write(tmp_path, "plain.md", md))
    assert turns(transcript) == [("Ada Quill", "Welcome."), ("yuki wang", "thanks.")]
    assert any("plain.md:5:" in r.getMessage() for r in caplog.records), [
        r.getMessage() for r in caplog.records
    ]
