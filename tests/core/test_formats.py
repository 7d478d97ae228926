"""Transcripts as people bring them: one realistic sample in each service's shape.

Every panel here is fictional (Ada Quill, Bram Teller, Cleo Marsh and friends), except the
Zoom sample quoted from issue 14, which is the issue's own test case. Each test reads the
file through format detection, as ``sessionsketch transcript`` does, and checks turns,
speakers and times.
"""

from __future__ import annotations

import io
import json
import logging
import zipfile
from pathlib import Path

import pytest

from sessionsketch.errors import UserError
from sessionsketch.files import check_text_input, read_bytes
from sessionsketch.model import Transcript
from sessionsketch.readers import detect


def read(path: Path) -> Transcript:
    """Read a transcript file as the registry does: detect the format, then read it."""
    data = read_bytes(path)
    if not data.startswith(b"PK"):
        check_text_input(data, path)
    reader = detect(data, path, "transcript")
    transcript = reader.read(data, path)
    transcript.format = reader.name
    return transcript


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def turns(transcript: Transcript) -> list[tuple[str, str]]:
    return [(t.label, t.text) for t in transcript.turns]


# ----------------------------------------------------------------------------- the trust defect

ISSUE_ZOOM_VTT = """WEBVTT

1
00:00:01.000 --> 00:00:04.000
Samson Zhang: We need to publish the leak data every month.

2
00:00:05.000 --> 00:00:09.000
yuki wang: I disagree, monthly publication is too costly for small towns.
"""


def test_zoom_vtt_lower_case_label_starts_a_new_turn(tmp_path: Path) -> None:
    """Issue 14's sample: the lower-case label must not be glued onto Samson Zhang's turn."""
    transcript = read(write(tmp_path, "zoom.vtt", ISSUE_ZOOM_VTT))
    assert transcript.format == "vtt"
    assert [(t.label, t.text, t.start, t.end) for t in transcript.turns] == [
        ("Samson Zhang", "We need to publish the leak data every month.", 1.0, 4.0),
        ("yuki wang", "I disagree, monthly publication is too costly for small towns.", 5.0, 9.0),
    ]


@pytest.mark.parametrize(
    "label", ["Speaker 1", "SPEAKER_00", "iPhone", "Galaxy S21", "cleo", "+44 20 7946 0000"]
)
def test_zoom_vtt_labels_of_any_shape_start_a_turn(tmp_path: Path, label: str) -> None:
    vtt = (
        "WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.000\nAda Quill: Shall we begin?\n\n"
        f"2\n00:00:04.500 --> 00:00:07.000\n{label}: Yes, the pilot town is ready.\n"
    )
    transcript = read(write(tmp_path, "zoom.vtt", vtt))
    assert turns(transcript) == [("Ada Quill", "Shall we begin?"), (label, "Yes, the pilot town is ready.")]


def test_unsure_label_in_running_text_is_kept_apart_with_a_warning(tmp_path: Path, caplog) -> None:
    text = (
        "Ada Quill: We need to publish the figures every month.\n"
        "And we should say so in the report.\n"
        "bram teller: I disagree, that is too costly.\n"
        "so the point is: the towns cannot pay.\n"
    )
    with caplog.at_level(logging.WARNING, logger="sessionsketch"):
        transcript = read(write(tmp_path, "panel.txt", text))
    assert turns(transcript) == [
        ("Ada Quill", "We need to publish the figures every month. And we should say so in the report."),
        ("bram teller", "I disagree, that is too costly. so the point is: the towns cannot pay."),
    ]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("panel.txt:3:" in w and "'bram teller:'" in w for w in warnings), warnings


def test_wrapped_text_prose_colon_continues_and_a_capitalised_one_is_flagged(tmp_path: Path, caplog) -> None:
    text = (
        "Ada Quill: I want to be absolutely\n"
        "clear: we are working with the towns.\n"
        "[Laughter.]\n"
        "Bram Teller: We send our messages to the Harbour\n"
        "Board: publish monthly.\n"
    )
    with caplog.at_level(logging.WARNING, logger="sessionsketch"):
        transcript = read(write(tmp_path, "wrapped.txt", text))
    assert turns(transcript) == [
        ("Ada Quill", "I want to be absolutely clear: we are working with the towns. [Laughter.]"),
        ("Bram Teller", "We send our messages to the Harbour"),
        ("Board", "publish monthly."),
    ]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "wrapped.txt:5:" in warnings[0] and "mid-sentence" in warnings[0]


def test_numbered_and_device_labels_in_plain_text(tmp_path: Path, caplog) -> None:
    text = "Speaker 1: Welcome, everyone.\nSPEAKER_00: Thanks.\niPhone: Can you hear me?\n"
    with caplog.at_level(logging.WARNING, logger="sessionsketch"):
        transcript = read(write(tmp_path, "labels.txt", text))
    assert [t.label for t in transcript.turns] == ["Speaker 1", "SPEAKER_00", "iPhone"]
    assert not [r for r in caplog.records if r.levelno == logging.WARNING]  # sure labels: no warning


# ----------------------------------------------------------------------------- Zoom, Teams

ZOOM_CAPTIONS = """[Ada Quill] 10:02:31
Good morning and welcome to the water panel.

[Bram Teller] 10:02:40
Thank you, Ada. The pilot towns report monthly.
We will publish the first figures in spring.

[Ada Quill] 10:03:05
Cleo, your view?
"""


def test_zoom_saved_captions_time_becomes_the_start(tmp_path: Path) -> None:
    transcript = read(write(tmp_path, "meeting_saved_closed_caption.txt", ZOOM_CAPTIONS))
    assert transcript.format == "zoom-captions"
    assert [(t.label, t.text, t.start) for t in transcript.turns] == [
        ("Ada Quill", "Good morning and welcome to the water panel.", 10 * 3600 + 2 * 60 + 31),
        (
            "Bram Teller",
            "Thank you, Ada. The pilot towns report monthly. We will publish the first figures in spring.",
            10 * 3600 + 2 * 60 + 40,
        ),
        ("Ada Quill", "Cleo, your view?", 10 * 3600 + 3 * 60 + 5),
    ]


TEAMS_VTT = """WEBVTT

3f2a9c1e-1b2c-4d5e-8f90-a1b2c3d4e5f6/12-0
00:00:02.150 --> 00:00:05.890
<v Ada Quill>Let's start with the budget.</v>

3f2a9c1e-1b2c-4d5e-8f90-a1b2c3d4e5f6/13-0
00:00:06.010 --> 00:00:08.400
<v Bram Teller>The budget is on the shared drive.</v>
"""


def test_teams_vtt_voice_tags(tmp_path: Path) -> None:
    transcript = read(write(tmp_path, "teams.vtt", TEAMS_VTT))
    assert [(t.label, t.text, t.start, t.end) for t in transcript.turns] == [
        ("Ada Quill", "Let's start with the budget.", 2.15, 5.89),
        ("Bram Teller", "The budget is on the shared drive.", 6.01, 8.4),
    ]


def docx_bytes(paragraphs: list[str]) -> bytes:
    """A Word document with one paragraph per item (python-docx, as Word would save it)."""
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def test_teams_docx_name_and_time_then_text(tmp_path: Path) -> None:
    p = tmp_path / "Water panel.docx"
    p.write_bytes(
        docx_bytes(
            [
                "Water panel",
                "December 1, 2026, 10:00AM",
                "32m 5s",
                "Ada Quill   0:03",
                "Let's start with the budget.",
                "Bram Teller   0:09",
                "The budget is on the shared drive.",
                "Ada Quill   1:02:10",
                "Yes",
            ]
        )
    )
    transcript = read(p)
    assert transcript.format == "docx"
    assert [(t.label, t.text, t.start) for t in transcript.turns] == [
        ("Ada Quill", "Let's start with the budget.", 3.0),
        ("Bram Teller", "The budget is on the shared drive.", 9.0),
        ("Ada Quill", "Yes", 3730.0),
    ]


def test_older_teams_docx_time_range_then_name_then_text(tmp_path: Path, caplog) -> None:
    p = tmp_path / "Water panel.docx"
    p.write_bytes(
        docx_bytes(
            [
                "0:0:0.0 --> 0:0:3.760",
                "Ada Quill",
                "Let's start with the budget.",
                "0:0:4.100 --> 0:0:7.0",
                "Bram Teller",
                "The budget is on the shared drive.",
            ]
        )
    )
    with caplog.at_level(logging.WARNING, logger="sessionsketch"):
        transcript = read(p)
    assert [(t.label, t.text, t.start) for t in transcript.turns] == [
        ("Ada Quill", "Let's start with the budget.", 0.0),
        ("Bram Teller", "The budget is on the shared drive.", 4.1),
    ]
    assert not [r for r in caplog.records if r.levelno == logging.WARNING]


# ----------------------------------------------------------------------------- Google Meet

MEET_TXT = """Water panel - Transcript
Attendees
Ada Quill, Bram Teller, Cleo Marsh
Transcript
00:00:00

Ada Quill: Welcome to the water panel.
Bram Teller: Thanks. The pilot towns report monthly.
00:05:00

Cleo Marsh: Monthly is too often for small towns.
This editable transcript was computer generated and might contain errors. People can also change the text after it was created.
"""


def test_google_meet_text(tmp_path: Path) -> None:
    transcript = read(write(tmp_path, "Water panel - Transcript.txt", MEET_TXT))
    assert transcript.format == "meet"
    assert [(t.label, t.text, t.start) for t in transcript.turns] == [
        ("Ada Quill", "Welcome to the water panel.", 0.0),
        ("Bram Teller", "Thanks. The pilot towns report monthly.", None),
        ("Cleo Marsh", "Monthly is too often for small towns.", 300.0),
    ]


def test_google_meet_docx_name_paragraphs(tmp_path: Path) -> None:
    p = tmp_path / "Water panel - Transcript.docx"
    p.write_bytes(
        docx_bytes(
            [
                "Water panel - Transcript",
                "Attendees",
                "Ada Quill, Bram Teller",
                "Transcript",
                "00:00:00",
                "Ada Quill",
                "Welcome to the water panel.",
                "Bram Teller",
                "Thanks. The pilot towns report monthly.",
                "Ada Quill",
                "Good.",
                "Bram Teller: And we publish in spring.",
            ]
        )
    )
    transcript = read(p)
    assert [(t.label, t.text) for t in transcript.turns] == [
        ("Ada Quill", "Welcome to the water panel."),
        ("Bram Teller", "Thanks. The pilot towns report monthly."),
        ("Ada Quill", "Good."),
        ("Bram Teller", "And we publish in spring."),
    ]
    assert transcript.turns[0].start == 0.0


# ----------------------------------------------------------------------------- Otter

OTTER_TXT = """Ada Quill  0:00
Welcome to the water panel. Bram, you first.

Bram Teller  0:07
Thanks. The pilot towns report monthly.

Unknown Speaker  1:02
Can you repeat the question?

Bram Teller  1:05:09
Of course.



Transcribed by https://otter.ai
"""


def test_otter_text_with_unknown_speaker_and_footer(tmp_path: Path) -> None:
    transcript = read(write(tmp_path, "water_panel.txt", OTTER_TXT))
    assert transcript.format == "otter"
    assert [(t.label, t.text, t.start) for t in transcript.turns] == [
        ("Ada Quill", "Welcome to the water panel. Bram, you first.", 0.0),
        ("Bram Teller", "Thanks. The pilot towns report monthly.", 7.0),
        ("Unidentified speaker", "Can you repeat the question?", 62.0),
        ("Bram Teller", "Of course.", 3909.0),
    ]


def test_otter_docx(tmp_path: Path) -> None:
    p = tmp_path / "water_panel.docx"
    p.write_bytes(
        docx_bytes(
            ["Ada Quill  0:00", "Welcome.", "Speaker 2  0:04", "Thanks.", "Transcribed by https://otter.ai"]
        )
    )
    assert [(t.label, t.text, t.start) for t in read(p).turns] == [
        ("Ada Quill", "Welcome.", 0.0),
        ("Speaker 2", "Thanks.", 4.0),
    ]


def test_otter_speaker_number_labels(tmp_path: Path) -> None:
    text = "Speaker 1: Welcome to the panel.\nSpeaker 2: Thanks.\nit is good to be here.\nSpeaker 1: Good.\n"
    assert turns(read(write(tmp_path, "otter.txt", text))) == [
        ("Speaker 1", "Welcome to the panel."),
        ("Speaker 2", "Thanks. it is good to be here."),
        ("Speaker 1", "Good."),
    ]


# ----------------------------------------------------------------------------- Rev

REV_JSON = {
    "speakers": [{"id": 1, "name": "Bram Teller"}],
    "monologues": [
        {
            "speaker": 0,
            "speaker_info": {"id": 0, "name": "Ada Quill"},
            "elements": [
                {"type": "text", "value": "Welcome", "ts": 0.5, "end_ts": 0.9, "confidence": 1},
                {"type": "punct", "value": " "},
                {"type": "text", "value": "everyone", "ts": 1.0, "end_ts": 1.4, "confidence": 1},
                {"type": "punct", "value": "."},
            ],
        },
        {
            "speaker": 1,
            "elements": [
                {"type": "text", "value": "Thanks", "ts": 2.0, "end_ts": 2.3},
                {"type": "punct", "value": "."},
            ],
        },
        {"speaker": 2, "elements": [{"type": "text", "value": "Hello", "ts": 3.0, "end_ts": 3.2}]},
    ],
}


def test_rev_json(tmp_path: Path) -> None:
    transcript = read(write(tmp_path, "rev.json", json.dumps(REV_JSON)))
    assert transcript.format == "rev"
    assert [(t.label, t.text, t.start, t.end) for t in transcript.turns] == [
        ("Ada Quill", "Welcome everyone.", 0.5, 1.4),
        ("Bram Teller", "Thanks.", 2.0, 2.3),
        ("Speaker 2", "Hello", 3.0, 3.2),
    ]


def test_rev_text(tmp_path: Path) -> None:
    text = (
        "Speaker 0    00:00:00    Welcome to the water panel.\n\n"
        "Speaker 1    00:00:07    Thanks. The pilot towns report monthly.\n\n"
        "Ada Quill\t00:01:02\tGood.\n"
    )
    transcript = read(write(tmp_path, "rev.txt", text))
    assert transcript.format == "rev-text"
    assert [(t.label, t.text, t.start) for t in transcript.turns] == [
        ("Speaker 0", "Welcome to the water panel.", 0.0),
        ("Speaker 1", "Thanks. The pilot towns report monthly.", 7.0),
        ("Ada Quill", "Good.", 62.0),
    ]


# ----------------------------------------------------------------------------- YouTube

# "·" stands for the line of one space YouTube puts inside its cues
YOUTUBE_VTT = """WEBVTT
Kind: captions
Language: en

00:00:00.000 --> 00:00:02.500 align:start position:0%
·
welcome<00:00:00.480><c> to</c><00:00:00.960><c> the</c><00:00:01.200><c> water</c><00:00:01.600><c> panel</c>

00:00:02.500 --> 00:00:02.510 align:start position:0%
welcome to the water panel
·

00:00:02.510 --> 00:00:05.000 align:start position:0%
welcome to the water panel
the<00:00:03.000><c> pilot</c><00:00:03.500><c> towns</c><00:00:04.000><c> report</c><00:00:04.500><c> monthly</c>

00:00:05.000 --> 00:00:05.010 align:start position:0%
the pilot towns report monthly
·
""".replace("·", " ")


def test_youtube_vtt_rolling_lines_read_once(tmp_path: Path, caplog) -> None:
    with caplog.at_level(logging.WARNING, logger="sessionsketch"):
        transcript = read(write(tmp_path, "panel.en.vtt", YOUTUBE_VTT))
    assert [(t.label, t.text, t.start, t.end) for t in transcript.turns] == [
        ("Unidentified speaker", "welcome to the water panel the pilot towns report monthly", 0.0, 5.0)
    ]
    assert any("no speaker labels" in r.getMessage() for r in caplog.records)


SBV = """0:00:00.500,0:00:03.000
>> ADA QUILL: Welcome to the water panel.

0:00:03.000,0:00:05.000
Bram, you first.

0:00:05.000,0:00:08.250
>> BRAM TELLER: Thanks. The pilot towns
report monthly.
"""


def test_youtube_sbv(tmp_path: Path) -> None:
    transcript = read(write(tmp_path, "captions.sbv", SBV))
    assert transcript.format == "sbv"
    assert [(t.label, t.text, t.start, t.end) for t in transcript.turns] == [
        ("ADA QUILL", "Welcome to the water panel. Bram, you first.", 0.5, 5.0),
        ("BRAM TELLER", "Thanks. The pilot towns report monthly.", 5.0, 8.25),
    ]


# ----------------------------------------------------------------------------- ASR without speakers


@pytest.mark.parametrize(
    "doc",
    [
        {
            "text": " Welcome.",
            "segments": [{"id": 0, "seek": 0, "start": 0.0, "end": 2.0, "text": " Welcome."}],
        },
        [{"start": 0.0, "end": 2.0, "text": " Welcome."}, {"start": 2.0, "end": 3.0, "text": " Thanks."}],
    ],
    ids=["whisper", "faster-whisper"],
)
def test_whisper_without_speakers_says_how_to_add_them(tmp_path: Path, doc) -> None:
    with pytest.raises(UserError) as err:
        read(write(tmp_path, "asr.json", json.dumps(doc)))
    message = str(err.value)
    assert "asr.json" in message and "no speaker turns" in message and "--diarize" in message
    assert "QMSum" not in message and "\n" not in message


# ----------------------------------------------------------------------------- parliaments

PARLPARSE = """<?xml version="1.0" encoding="ISO-8859-1"?>
<publicwhip>
<major-heading id="uk.org.publicwhip/debate/2026-12-01a.1.0">Imaginary Waterways</major-heading>
<speech id="uk.org.publicwhip/debate/2026-12-01a.1.1" speakername="Ada Quill" speakerid="x/1" time="14:32:00">
<p pid="a1">What steps are being taken to publish leak data?</p>
</speech>
<speech id="uk.org.publicwhip/debate/2026-12-01a.1.2" speakername="Bram Teller" speakerid="x/2" time="14:33:10">
<p pid="a2">The data will be published <i>monthly</i>.</p>
<p pid="a3">Small towns will get support.</p>
</speech>
<speech id="uk.org.publicwhip/debate/2026-12-01a.1.3" nospeaker="true" time="14:34:00">
<p pid="a4">Hon. Members: Hear, hear.</p>
</speech>
</publicwhip>
"""


def test_theyworkforyou_xml(tmp_path: Path) -> None:
    transcript = read(write(tmp_path, "debates2026-12-01a.xml", PARLPARSE))
    assert transcript.format == "parlparse"
    assert [(t.label, t.text, t.start) for t in transcript.turns] == [
        ("Ada Quill", "What steps are being taken to publish leak data?", 14 * 3600 + 32 * 60),
        (
            "Bram Teller",
            "The data will be published monthly. Small towns will get support.",
            14 * 3600 + 33 * 60 + 10,
        ),
        ("Unidentified speaker", "Hon. Members: Hear, hear.", 14 * 3600 + 34 * 60),
    ]


def test_parlparse_entities_refused(tmp_path: Path) -> None:
    """Entities that expand into entities are refused (issue 26 honours plain ones, as ParlParse declares)."""
    bomb = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY b "bb"><!ENTITY a "&b;&b;">]><publicwhip><speech speakername="A">&a;</speech></publicwhip>'
    with pytest.raises(UserError, match="refers to other entities"):
        read(write(tmp_path, "bomb.xml", bomb))


HANSARD = """Imaginary Waterways
1. Ada Quill (Imaginary West) (Lab): What steps is the Minister taking to publish leak data?
The Minister for Waterways (Bram Teller): The data will be published monthly.
Cleo Marsh (Upper Fen) (LD): Will small towns get support?
Bram Teller: They will.
"""


def test_hansard_lines(tmp_path: Path) -> None:
    transcript = read(write(tmp_path, "hansard.txt", HANSARD))
    assert transcript.format == "hansard"
    assert [t.label for t in transcript.turns] == [
        "Ada Quill (Imaginary West) (Lab)",
        "The Minister for Waterways (Bram Teller)",
        "Cleo Marsh (Upper Fen) (LD)",
        "Bram Teller",
    ]
    assert transcript.turns[0].text == "What steps is the Minister taking to publish leak data?"


# ----------------------------------------------------------------------------- detection and zips


def test_detection_picks_rev_not_qmsum_by_content(tmp_path: Path) -> None:
    data = json.dumps(REV_JSON).encode()
    assert detect(data, tmp_path / "x.json", "transcript").name == "rev"


def test_nobody_claims_the_file_one_line_with_what_was_tried(tmp_path: Path) -> None:
    p = write(tmp_path, "notes.txt", "Shopping list\neggs, milk, bread\n")
    with pytest.raises(UserError) as err:
        read(p)
    message = str(err.value)
    assert "\n" not in message and "notes.txt" in message
    assert "'Shopping list'" in message and ".txt" in message
    assert "otter" in message and "vtt" in message  # the formats tried


def test_zip_bomb_docx_refused_before_decompressing(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", b"<w:document>" + b" " * 60_000_000 + b"</w:document>")
    p = tmp_path / "bomb.docx"
    p.write_bytes(buf.getvalue())
    with pytest.raises(UserError, match="unpacks to 60 MB"):
        read(p)
