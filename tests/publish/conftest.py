"""Sketches the publish tests render.

- ``panel_sketch``: a FICTIONAL panel (invented people and institutions, invented
  neutral sentences), with accents and CJK names and evidence on every sentence.
- ``reference_sketch``: the reference session's metadata block (real names appear only
  there) with a lorem-style body of neutral sentences that attribute nothing to anyone,
  as long as the reference's body (about three pages).
- ``hostile_sketch``: names and text that would be markup if a writer did not escape.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil

import pytest

from sessionsketch.model import Evidence, Metadata, Paragraph, PersonRef, Sentence, Sketch, Transcript, Turn

CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

PANEL = [
    PersonRef("Ada Quill", "Institute of Imaginary Studies"),
    PersonRef("Zoë Ferrández-Løvik", "Ministry of Invented Affairs"),
    PersonRef("Mori Hanako 森花子", "Imaginary Research Council"),
    PersonRef("Park Ha-eun 박하은", "Fictional University of Seoul"),
]

# Invented sentences about an invented workshop; nobody real said any of this.
PANEL_BODY = {
    "Ada Quill": [
        "Ada Quill described the fictional lighthouse project on the island of Vell.",
        "She said the project's imaginary budget covered three seasons of lamp repairs.",
    ],
    "Zoë Ferrández-Løvik": [
        "Zoë Ferrández-Løvik outlined how the invented ministry catalogues paper boats.",
        "She added that the catalogue now lists forty kinds of folded hulls.",
    ],
    "Mori Hanako 森花子": [
        "Mori Hanako explained that the council's pretend survey counted clouds each morning.",
        "She noted that the clouds were counted twice on windy days.",
    ],
    "Park Ha-eun 박하은": [
        "Park Ha-eun presented a made-up map of the river that runs uphill.",
        "She said the map was drawn with coloured chalk on a long table.",
    ],
}


def panel_transcript() -> Transcript:
    turns = []
    for i, (name, sentences) in enumerate(PANEL_BODY.items()):
        turns.append(Turn(index=i, label=name.split()[0].upper(), text=" ".join(s for s in sentences)))
    return Transcript(turns=turns, source="fictional-panel.txt")


def make_panel_sketch() -> Sketch:
    paragraphs = [
        Paragraph(
            [
                Sentence(
                    "The fictional workshop on imaginary islands met in an invented town hall.",
                    None,
                    [],
                )
            ]
        )
    ]
    for i, (name, sentences) in enumerate(PANEL_BODY.items()):
        offset = 0
        out = []
        for text in sentences:
            out.append(Sentence(text, name, [Evidence(i, offset, offset + len(text))]))
            offset += len(text) + 1
        paragraphs.append(Paragraph(out, name))
    paragraphs.append(
        Paragraph([Sentence("The panel agreed to meet again at the imaginary lighthouse next spring.")])
    )
    return Sketch(
        metadata=Metadata(
            conference="Imaginary Forum 2031",
            theme="Islands That Are Not There",
            url="www.imaginary-forum.example",
            session="Invented Coastlines",
            date=dt.date(2031, 5, 7),
            start="09:30",
            end="11:00",
            rapporteur=PersonRef("Tomas Inkwell", "Office of Fictional Minutes"),
            moderator=PersonRef("Bea Lantern", "Centre for Made-up Dialogue"),
            speakers=list(PANEL),
        ),
        paragraphs=paragraphs,
    )


# The reference session's metadata block, as the institute published it.
REFERENCE_META = Metadata(
    conference="Asan Plenum 2019",
    theme="Korea’s Choice",
    url="www.asanplenum.org",
    session="ROK-U.S. Alliance",
    date=dt.date(2019, 4, 23),
    start="13:00",
    end="14:30",
    rapporteur=PersonRef("Troy Stangarone", "Korea Economic Institute of America"),
    moderator=PersonRef("Sue Mi Terry", "Center for Strategic and International Studies"),
    speakers=[
        PersonRef("Kim Sung-han", "Korea University"),
        PersonRef("Marc Knapper", "U.S. Department of State"),
        PersonRef("Sydney A. Seiler", "U.S. Forces Korea"),
        PersonRef("Soeya Yoshihide", "Keio University"),
        PersonRef("Zhu Feng", "Nanjing University"),
    ],
)

_LOREM_TEXT = (
    "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut "
    "labore et dolore magna aliqua enim ad minim veniam quis nostrud exercitation ullamco laboris "
    "nisi aliquip ex ea commodo consequat duis aute irure in reprehenderit voluptate velit esse "
    "cillum fugiat nulla pariatur excepteur sint occaecat cupidatat non proident sunt culpa qui "
    "officia deserunt mollit anim id est laborum"
)
LOREM = _LOREM_TEXT.split(" ")

#: words in the reference sketch's body (three pages in the institute's PDF)
REFERENCE_BODY_WORDS = 1480


def lorem_paragraphs(words: int, sentence_words: int = 18, paragraph_sentences: int = 5) -> list[Paragraph]:
    """Neutral filler: no names, no attribution verbs, deterministic."""
    paragraphs: list[Paragraph] = []
    sentences: list[Sentence] = []
    i = 0
    while i < words:
        chunk = [LOREM[(i + k * 7) % len(LOREM)] for k in range(sentence_words)]
        sentences.append(Sentence(" ".join(chunk).capitalize() + "."))
        i += sentence_words
        if len(sentences) == paragraph_sentences:
            paragraphs.append(Paragraph(sentences))
            sentences = []
    if sentences:
        paragraphs.append(Paragraph(sentences))
    return paragraphs


def make_reference_sketch() -> Sketch:
    return Sketch(metadata=REFERENCE_META, paragraphs=lorem_paragraphs(REFERENCE_BODY_WORDS))


XSS = "<script>alert(1)</script>"
HOSTILE_TURN = 'He said <b>bold</b> </script><img src=x onerror="alert(2)"> & more'


def make_hostile_sketch() -> tuple[Sketch, Transcript]:
    transcript = Transcript(turns=[Turn(index=0, label="X", text=HOSTILE_TURN)])
    sketch = Sketch(
        metadata=Metadata(
            conference="Forum <b>of</b> Tags",
            theme='Quotes " and <i>',
            url="javascript:alert(3)",
            session="# Not a heading [link](http://evil.example) *stars*",
            rapporteur=PersonRef("Ivy Scribe", "Office & Co <i>"),
            moderator=PersonRef(XSS, "Dept. of <img src=x onerror=alert(4)>"),
            speakers=[PersonRef(XSS, "<iframe src='http://evil.example'>")],
        ),
        paragraphs=[
            Paragraph(
                [Sentence(f"{XSS} spoke about <b>markup</b> &amp; **escapes**.", XSS, [Evidence(0, 0, 7)])],
                XSS,
            )
        ],
    )
    return sketch, transcript


@pytest.fixture
def panel_sketch() -> Sketch:
    return make_panel_sketch()


@pytest.fixture
def panel_turns() -> Transcript:
    return panel_transcript()


@pytest.fixture
def reference_sketch() -> Sketch:
    return make_reference_sketch()


@pytest.fixture
def hostile() -> tuple[Sketch, Transcript]:
    return make_hostile_sketch()


@pytest.fixture(scope="session")
def reference_pdf() -> bytes:
    """The reference-metadata sketch as a PDF, rendered once per test session."""
    need_weasyprint()
    from sessionsketch.writers import render_bytes

    return render_bytes(make_reference_sketch(), "pdf")


@pytest.fixture(scope="session")
def panel_pdf() -> bytes:
    need_weasyprint()
    from sessionsketch.writers import render_bytes

    return render_bytes(make_panel_sketch(), "pdf")


@pytest.fixture(scope="session")
def weasy() -> None:
    need_weasyprint()


@pytest.fixture(scope="session")
def pdftoppm() -> str:
    return need_tool("pdftoppm")


def need_tool(name: str) -> str:
    """The path of a system tool; skipped on a laptop without it, a failure in CI."""
    path = shutil.which(name)
    if path is None:
        if CI:
            pytest.fail(f"{name} is missing in CI: run .ci/setup.d/publish.sh")
        pytest.skip(f"{name} is not installed (Debian: poppler-utils)")
    return path


def need_weasyprint() -> None:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as exc:
        if CI:
            pytest.fail(f"WeasyPrint/Pango missing in CI: {exc}")
        pytest.skip(f"WeasyPrint cannot run here: {exc}")
