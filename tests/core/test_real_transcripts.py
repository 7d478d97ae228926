"""The corpus of transcripts as found in the wild (issue 26), each read right.

``tests/data/real/MANIFEST.md`` gives every file's source (repository, path, commit,
licence), or says it is a fictional copy of a real shape. Real files fetched from public
repositories are not committed: they are looked for in the shared data
(``../shared/wild``), and their tests skip, saying so, where it does not have them. ``CORPUS`` below is what each
must read as: its format, its speakers, how many turns, and how many of its words come
out (words in, counted from the file itself, against words out, within a tolerance).
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

import pytest

from sessionsketch.readers import read_transcript_file

REAL = Path(__file__).resolve().parents[1] / "data" / "real"
#: real files fetched from public repositories are not committed: they live in the shared
#: data beside the checkout (``../shared/wild``, or $SESSIONSKETCH_SHARED/wild)
WILD = Path(os.environ.get("SESSIONSKETCH_SHARED") or Path(__file__).resolve().parents[3] / "shared") / "wild"


def corpus_file(name: str) -> Path:
    """A corpus file: a fictional one in tests/data/real, a real one in the shared data."""
    for folder in (REAL, WILD):
        if (folder / name).exists():
            return folder / name
    pytest.skip(f"{name} is a real file kept in the shared data ({WILD}), which is not present")


_TAG = re.compile(r"<[^<>\n]{0,400}>")
_TIMING = re.compile(r"-->")


def vtt_words_in(path: Path) -> int:
    """A caption file's words: each distinct caption line once (rolling captions repeat them)."""
    lines = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        if _TIMING.search(line) or line.startswith(("WEBVTT", "Kind:", "Language:", "Style:", "::cue", "#")):
            continue
        plain = html.unescape(_TAG.sub("", line)).replace(">>", " ").strip()
        if plain and not plain.startswith("}"):
            lines.append(plain)
    return len(" ".join(dict.fromkeys(lines)).split())


def xml_words_in(path: Path) -> int:
    """The words of a ParlParse file's speeches: every <p> inside a <speech>, tags removed."""
    text = path.read_text(encoding="utf-8")
    speeches = re.findall(r"<speech\b[^>]{0,2000}>(.*?)</speech>", text, re.S)
    return sum(len(html.unescape(_TAG.sub(" ", s)).split()) for s in speeches)


_MD_LABEL = re.compile(r"^[ \t]*(?:\*\*|__)[^*_\n]{1,160}(?::(?:\*\*|__)|(?:\*\*|__):)")
_MD_TIME = re.compile(r"\\?\[(?:\d{1,2}:)?\d{1,2}:\d\d(?:[.,]\d{1,3})?\\?\]")


def md_words_in(path: Path, after_headings: int = 0) -> int:
    """A Markdown transcript's words: without front matter, headings, labels, times and
    markup (``after_headings``: words of lists under a heading, which no one said)."""
    text = path.read_text(encoding="utf-8")
    if text.startswith("---\n"):
        text = text[text.index("\n---\n", 4) + 5 :]
    count = 0
    for line in text.split("\n"):
        if line.lstrip().startswith("#") or line.startswith("*Notes"):
            continue
        if re.match(r"^\*\*Break:\*\*", line):
            continue
        line = _MD_TIME.sub(" ", _MD_LABEL.sub(" ", line))
        count += len(line.replace("**", " ").replace("\\", "").split())
    return count - after_headings


#: file → (format, speakers, turns, words_in counter or a number)
CORPUS: dict[str, tuple[str, set[str], int | None, object]] = {
    "webvtt-py-youtube_dl.en.vtt": ("vtt", {"Unidentified speaker"}, 1, vtt_words_in),
    "harbour-forum-youtube.en.vtt": ("vtt", {"Unidentified speaker"}, 1, vtt_words_in),
    "changelog-103.md": ("markdown", {"Adam Stacoviak", "Andrew Thorp", "Sid Sijbrandij"}, 156, md_words_in),
    "go-time-1.md": ("markdown", {"Erik St. Martin", "Brian Ketelsen", "Carlisia Thompson"}, 88, md_words_in),
    "harbour-forum-notes.md": (
        "markdown",
        {"Ada Quill", "Bram Teller", "Cleo Marsh"},
        6,
        lambda p: md_words_in(p, after_headings=20),  # the two action items under "## Action items"
    ),
    "imaginary-waterways-hansard.md": (
        "markdown",
        {
            "Ada Quill (Imaginary West) (Lab)",
            "The Minister for Waterways (Bram Teller)",
            "Mr. Cleo Marsh (Upper Fen) (LD)",
            "Bram Teller",
            "Hon. Members",
        },
        5,
        md_words_in,
    ),
    "harbour-forum-zoom.vtt": (
        "vtt",
        {"Ada Quill", "Bram Teller", "Cleo Marsh", "Unidentified speaker"},
        4,
        87,
    ),
    "harbour-forum-rev.json": ("rev", {"Ada Quill", "Bram Teller", "Speaker 2"}, 4, 17),
    "debates2026-11-30a-fictional.xml": (
        "parlparse",
        {"Ada Quill", "Bram Teller", "Cleo Marsh", "Unidentified speaker"},
        7,
        xml_words_in,
    ),
}


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_real_transcript_reads_right(name: str) -> None:
    fmt, speakers, n_turns, words_in = CORPUS[name]
    path = corpus_file(name)
    assert path.stat().st_size < 200_000
    transcript = read_transcript_file(path)
    assert transcript.format == fmt
    assert {t.label for t in transcript.turns} == speakers
    if n_turns is not None:
        assert len(transcript.turns) == n_turns
    expected = words_in(path) if callable(words_in) else words_in
    out = sum(len(t.text.split()) for t in transcript.turns)
    assert abs(out - expected) <= max(2, 0.02 * expected), (out, expected)
    for turn in transcript.turns:
        assert not re.search(r"<\d|</?c[.>]|&gt;|&amp;|\*\*", turn.text), turn.text[:200]


def test_transformers_chunks_with_their_diarisation() -> None:
    """Word-level chunks from transformers' ASR pipeline, given the RTTM: split at the word."""
    from sessionsketch.readers.whisperx import read_with_speakers

    transcript = read_with_speakers(
        REAL / "harbour-forum.transformers.json", diarisation=REAL / "harbour-forum.rttm"
    )
    assert [t.label for t in transcript.turns] == ["SPEAKER_00", "SPEAKER_01"] * 2 + ["SPEAKER_00"]
    assert sum(len(t.text.split()) for t in transcript.turns) == 54
    assert transcript.turns[2].text == "Should the towns publish that every month?"


PAIRED = {"harbour-forum.transformers.json", "harbour-forum.rttm"}


def test_the_bench_table_says_the_same() -> None:
    """``expected.json`` (what ``bench/formats.py`` checks) agrees with the table above."""
    import json

    expected = json.loads((REAL / "expected.json").read_text(encoding="utf-8"))
    assert set(expected) == set(CORPUS) | {"harbour-forum.transformers.json"}
    for name, (fmt, speakers, n_turns, words_in) in CORPUS.items():
        want = {"format": fmt, "speakers": sorted(speakers), "turns": n_turns}
        assert {k: expected[name][k] for k in want} == want, name
        if not callable(words_in):
            assert expected[name]["words"] == words_in, name
        elif (REAL / name).exists() or (WILD / name).exists():
            assert expected[name]["words"] == words_in(corpus_file(name)), name


def test_every_corpus_file_is_in_the_table_and_the_manifest() -> None:
    manifest = (REAL / "MANIFEST.md").read_text(encoding="utf-8")
    for path in REAL.iterdir():
        if path.name in {"MANIFEST.md", "README.md", "expected.json"}:
            continue
        assert path.name in CORPUS or path.name in PAIRED, path.name
        assert path.name in manifest, path.name
