"""Every transcript reader on real QMSum text or a fictional panel."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import qmsum_meetings

from sessionsketch.analysis.resolve import infer_programme
from sessionsketch.errors import UserError
from sessionsketch.pipeline import read_transcript
from sessionsketch.readers.programme import load_programme

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "welsh-education-committee"


MEETINGS = [pytest.param(p, id=p.stem) for p in qmsum_meetings()] or [
    pytest.param(None, marks=pytest.mark.skip(reason="../shared/qmsum is not present"))
]


@pytest.mark.parametrize("meeting", MEETINGS)
def test_every_qmsum_meeting_resolves_against_its_inferred_programme(meeting: Path) -> None:
    transcript = read_transcript(meeting)
    assert transcript.format == "qmsum"
    assert transcript.unresolved == []
    assert all(t.speaker is not None for t in transcript.turns)
    programme = infer_programme(transcript)
    chairs = [p for p in programme.session.moderators if p.role == "chair"]
    assert chairs, "the chair is recognised"


@pytest.mark.parametrize("meeting", ["covid_5", "covid_10"])
def test_bare_chair_in_a_covid_meeting_is_the_chair_who_last_spoke_as_chair(
    qmsum_dir: Path, meeting: str
) -> None:
    """In these sittings the Speaker (Rota, "The Chair (Hon. Anthony Rota ...)") leaves the
    chair to an acting chair ("The Acting Chair (Mrs. Alexandra Mends)") for a while. A bare
    "The Chair" is whoever last spoke under a "The Chair (...)" label — Rota — also when the
    acting chair spoke more recently (the members then address "Mr. Chair")."""
    transcript = read_transcript(qmsum_dir / "train" / f"{meeting}.json")
    chair = acting = None
    checked = after_acting = 0
    for turn in transcript.turns:
        if turn.label.startswith("The Chair ("):
            chair, acting = turn.speaker, None
        elif turn.label.startswith("The Acting Chair ("):
            acting = turn.speaker
        elif turn.label == "The Chair":
            assert chair is not None, f"turn {turn.index}: a bare chair before any named one"
            assert turn.speaker_name == chair.name, (
                f"turn {turn.index}: {turn.speaker_name}, but {chair.name} last spoke as the chair"
            )
            checked += 1
            after_acting += acting is not None
    assert chair is not None and chair.name == "Anthony Rota"
    # the case that tells the two apart: bare turns after the acting chair spoke
    assert checked > after_acting > 0


def test_welsh_meeting_chair_is_the_one_who_opens_and_runs_it(qmsum_dir: Path) -> None:
    transcript = read_transcript(qmsum_dir / "train" / "education_1.json")
    programme = infer_programme(transcript)
    assert [p.name for p in programme.session.moderators] == ["Lynne Neagle"]


def test_bundled_example_resolves_every_label() -> None:
    programme = load_programme(EXAMPLE / "programme.yaml")
    transcript = read_transcript(EXAMPLE / "transcript.json", programme)
    assert transcript.unresolved == []
    assert transcript.turns[0].speaker_name == "Lynne Neagle" and transcript.turns[0].role == "chair"
    assert transcript.turns[1].speaker_name == "Kirsty Williams"


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def qmsum_turns(qmsum: Path, n: int = 4) -> list[tuple[str, str]]:
    doc = json.loads((qmsum / "train" / "education_1.json").read_text(encoding="utf-8"))
    return [(t["speaker"], t["content"][:200]) for t in doc["meeting_transcripts"][:n]]


def test_plain_text_real_qmsum_lines_with_continuations(tmp_path: Path, qmsum_dir: Path) -> None:
    rows = qmsum_turns(qmsum_dir)
    # each turn's text broken over two lines at a word boundary
    body = "\n\n".join(
        f"{label}: {text[: text.index(' ', 80)]}\n{text[text.index(' ', 80) + 1 :]}" for label, text in rows
    )
    transcript = read_transcript(write(tmp_path, "meeting.txt", body))
    assert transcript.format == "text"
    assert [t.label for t in transcript.turns] == [label for label, _ in rows]
    assert transcript.turns[0].text == " ".join(rows[0][1].split())
    assert transcript.unresolved == []


def test_plain_text_upper_case_with_affiliation(tmp_path: Path) -> None:
    text = "ADA QUILL (Institute of Imaginary Studies): Welcome.\nBRAM TELLER: Thanks.\nAnd more.\n"
    transcript = read_transcript(write(tmp_path, "panel.txt", text))
    assert [(t.speaker_name, t.text) for t in transcript.turns] == [
        ("Ada Quill", "Welcome."),
        ("Bram Teller", "Thanks. And more."),
    ]
    assert transcript.turns[0].speaker.affiliation == "Institute of Imaginary Studies"


def test_captions(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        "captions.txt",
        ">>ADA QUILL: Welcome.\nto the panel.\n>>BRAM TELLER: Thanks.\n>> From the floor, a question.\n",
    )
    transcript = read_transcript(p)
    assert transcript.format == "captions"
    assert [t.label for t in transcript.turns] == ["ADA QUILL", "BRAM TELLER", "Unidentified speaker"]
    assert transcript.turns[0].text == "Welcome. to the panel."
    assert transcript.turns[2].role == "audience"


VTT = """WEBVTT

NOTE a fictional panel

1
00:00:01.000 --> 00:00:04.000 align:start
<v Ada Quill>Welcome to the panel.

00:00:04.000 --> 00:00:06.500
<v Ada Quill>Our first speaker is Bram.

00:06.500 --> 00:00:09.250
<v.loud Bram Teller>Thank you &amp; hello.</v><v Ada Quill>Go on.
"""


def test_webvtt_voices_merge_and_keep_times(tmp_path: Path) -> None:
    transcript = read_transcript(write(tmp_path, "panel.vtt", VTT))
    assert transcript.format == "vtt"
    assert [(t.label, t.text, t.start, t.end) for t in transcript.turns] == [
        ("Ada Quill", "Welcome to the panel. Our first speaker is Bram.", 1.0, 6.5),
        ("Bram Teller", "Thank you & hello.", 6.5, 9.25),
        ("Ada Quill", "Go on.", 6.5, 9.25),
    ]


def test_webvtt_broken_timestamp_names_the_line(tmp_path: Path) -> None:
    broken = VTT.replace("00:00:04.000 --> 00:00:06.500", "00:00:04.000 --> soon")
    with pytest.raises(UserError) as err:
        read_transcript(write(tmp_path, "broken.vtt", broken))
    assert err.value.line == 9
    assert "broken cue timing" in err.value.message


def test_webvtt_with_srt_commas_is_read(tmp_path: Path) -> None:
    transcript = read_transcript(write(tmp_path, "commas.vtt", VTT.replace("00:00:04.000", "00:00:04,000")))
    assert transcript.turns[0].end == 6.5


SRT = """1
00:00:01,000 --> 00:00:04,000
ADA QUILL: Welcome.

00:00:04,000 --> 00:00:06,000
<i>still Ada here</i>
3
00:00:06,000 --> 00:00:08,500
[Bram Teller] Hello.
"""


def test_srt_missing_indices_and_labels(tmp_path: Path) -> None:
    transcript = read_transcript(write(tmp_path, "panel.srt", SRT))
    assert transcript.format == "srt"
    assert [(t.label, t.text, t.start, t.end) for t in transcript.turns] == [
        ("ADA QUILL", "Welcome. still Ada here", 1.0, 6.0),
        ("Bram Teller", "Hello.", 6.0, 8.5),
    ]


def test_whisperx_with_speaker_map(tmp_path: Path) -> None:
    segments = [
        {"start": 0.0, "end": 2.0, "text": " Welcome.", "speaker": "SPEAKER_00"},
        {"start": 2.0, "end": 3.5, "text": " Let us begin.", "speaker": "SPEAKER_00"},
        {"start": 3.5, "end": 5.0, "text": " Thanks.", "speaker": "SPEAKER_01"},
    ]
    p = write(tmp_path, "asr.json", json.dumps({"segments": segments}))
    programme_file = write(
        tmp_path,
        "programme.yaml",
        "session:\n  title: Fictional\n  moderator: Ada Quill\n  speakers: [Bram Teller]\n"
        "speaker_map:\n  SPEAKER_00: Ada Quill\n  SPEAKER_01: Bram Teller\n",
    )
    transcript = read_transcript(p, load_programme(programme_file))
    assert transcript.format == "whisperx"
    assert [(t.speaker_name, t.text, t.start, t.end) for t in transcript.turns] == [
        ("Ada Quill", "Welcome. Let us begin.", 0.0, 3.5),
        ("Bram Teller", "Thanks.", 3.5, 5.0),
    ]
