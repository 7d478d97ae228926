"""A FICTIONAL panel (invented names, invented body) written as a rapporteur would, in
every format a sketch comes in, with the speaker of every sentence written by hand."""

from __future__ import annotations

import datetime as dt
import html
import io
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest

from sessionsketch.model import DEFAULT_DISCLAIMER, Metadata, Paragraph, PersonRef, Sentence, Sketch

BRENNICK = "Orla Brennick"
MARQUAND = "Tadeo R. Marquand, Jr."
PARK = "Park Ji-woo"
LIN = "Lin Qiao"

METADATA = Metadata(
    conference="Velmora Coastal Forum 2031",
    theme="Living with Water",
    url="www.velmora-forum.example",
    session="Harbours at Risk",
    date=dt.date(2031, 4, 23),
    start="13:00",
    end="14:30",
    rapporteur=PersonRef("Ines Halvorsen", "Institute for Coastal Studies, Velmora"),
    moderator=PersonRef("Dalia Okonkwo-Reyes", "Velmora Public Radio"),
    speakers=[
        PersonRef(BRENNICK, "Harbour Towns Alliance, Northern Chapter"),
        PersonRef(MARQUAND, "Velmora Institute of Engineering"),
        PersonRef(PARK, "Seoharbor University"),
        PersonRef(LIN, "Coastal Insurance Council of Velmora"),
    ],
)

#: Paragraphs of (sentence, who it reports on): fictional people, fictional towns.
BODY: list[list[tuple[str, str | None]]] = [
    [
        (
            "The panel on harbour resilience explored how the fishing towns of the fictional "
            "Republic of Velmora can prepare for rising seas while keeping their economies alive, "
            "and who should pay for the work.",
            None,
        ),
    ],
    [
        ("Orla Brennick opened by arguing that sea walls alone buy time but not safety.", BRENNICK),
        (
            "She noted that the towns that fared best in the storms of the last decade were those "
            "that had moved schools, clinics and fuel depots inland well before the water arrived.",
            BRENNICK,
        ),
        (
            "Funding remains the main obstacle, and national budgets rarely reward prevention over repair.",
            BRENNICK,
        ),
        (
            "In her experience, councils will act when residents see neighbouring towns act first, "
            "which is why the alliance publishes a yearly table of what each town has built.",
            BRENNICK,
        ),
        (
            "Mayor Ostrander of Kellhaven has called that table unfair to small towns, but Brennick "
            "said the point is to show what is possible, not to shame anyone.",
            BRENNICK,
        ),
    ],
    [
        ("Tadeo Marquand pushed back on the idea that retreat is the only answer.", MARQUAND),
        (
            "He said that floating harbours and raised quays have worked in several pilot towns, and "
            "that fishermen trust what they can see being built in front of them.",
            MARQUAND,
        ),
        (
            "According to Marquand, the cost of moving a whole town is rarely counted honestly, "
            "because the loss of a working waterfront does not appear in any budget line.",
            MARQUAND,
        ),
        (
            "The engineering is not the hard part; the hard part is maintenance over fifty years, "
            "long after the ribbon has been cut and the ministers have moved on.",
            MARQUAND,
        ),
        (
            "Marquand also noted that the pilot quays at Dunmere cost a third of what the ministry "
            "had estimated, largely because local crews built them with local stone.",
            MARQUAND,
        ),
    ],
    [
        ("Park Ji-woo noted that insurance markets are already pricing the risk.", PARK),
        (
            "Park argued that public disclosure of flood maps would speed decisions more than any "
            "subsidy, since buyers and lenders would then see what insurers already see.",
            PARK,
        ),
        (
            "The harbour minister, Park Min-seo, has so far refused to publish the maps, and "
            "Governor Falk has called them alarmist.",
            PARK,
        ),
        ("That, in her view, is a mistake that will cost the coast dearly.", PARK),
        (
            "She added that the maps are already in the hands of every large insurer, so keeping "
            "them from residents only protects the people who sell houses on the waterfront.",
            PARK,
        ),
        (
            "When Park Min-seo spoke to the coastal committee last spring, he promised the maps "
            "within a year, and nothing has appeared since.",
            PARK,
        ),
    ],
    [
        ("Lin Qiao agreed with much of this but warned against treating insurance as a cure.", LIN),
        (
            "Lin said that when premiums rise faster than incomes, families simply go uninsured, "
            "and the state ends up paying for the damage anyway.",
            LIN,
        ),
        (
            "A pooled fund for the smallest towns, backed by a levy on coastal property sales, "
            "would spread the cost more fairly than premiums alone.",
            LIN,
        ),
        (
            "The council has modelled such a fund for three years of claims, and the levy needed "
            "would be under one percent of the sale price.",
            LIN,
        ),
        (
            "Lin likewise noted that a fund of this kind only works if it is paired with building "
            "rules, otherwise it rewards building in exactly the wrong places.",
            LIN,
        ),
    ],
    [
        (
            "Returning to the question of timing, Brennick stressed that the next five years "
            "matter more than the next fifty, because that is when the cheap options close.",
            BRENNICK,
        ),
        (
            "Towns that wait for certainty about sea levels will find that the choices left to "
            "them are the expensive ones.",
            BRENNICK,
        ),
        (
            "She called for every harbour town to publish a plan, however modest, by the end of "
            "the decade, and for the ministry to fund the drafting of those plans.",
            BRENNICK,
        ),
        (
            "The alliance has offered to share the templates it drew up with the towns of the "
            "northern chapter, which have already been tested in four councils.",
            BRENNICK,
        ),
    ],
    [
        (
            "On the question of who decides, Marquand suggested that engineers should advise but "
            "that residents must choose, since they are the ones who will live with the result.",
            MARQUAND,
        ),
        (
            "He described public meetings in which fishermen redesigned a quay with the engineers "
            "on a whiteboard, and said the result was both cheaper and better used.",
            MARQUAND,
        ),
        (
            "Consultation of this kind takes months, and it is often the first thing cut when "
            "money is short.",
            MARQUAND,
        ),
        (
            "Even so, the towns that skipped it have quays that nobody uses, and a few have had to "
            "rebuild them within a decade.",
            MARQUAND,
        ),
    ],
    [
        (
            "Closing the discussion, Park Ji-woo returned to the maps and said that disclosure is "
            "the cheapest adaptation measure available to any government.",
            PARK,
        ),
        (
            "It costs almost nothing, it changes behaviour within a year, and it gives every other "
            "measure discussed by the panel a better chance of working.",
            PARK,
        ),
        (
            "She said she hoped the ministry would publish the maps before the next storm season "
            "rather than after it.",
            PARK,
        ),
    ],
]


def fictional_sketch(with_speakers: bool = True) -> Sketch:
    return Sketch(
        metadata=METADATA,
        paragraphs=[Paragraph([Sentence(t, s if with_speakers else None) for t, s in para]) for para in BODY],
        disclaimer=DEFAULT_DISCLAIMER,
    )


def expected_speakers() -> list[str | None]:
    return [s for para in BODY for _, s in para]


def _person(p: PersonRef) -> str:
    return f"{p.name}, {p.affiliation}"


def fictional_markdown() -> str:
    """The panel as a PDF converted to Markdown: furniture in the flow, a page break inside a sentence."""
    m = METADATA
    head = f"## Session Sketch\n\n{m.conference}: “{m.theme}”  \n[{m.url}](https://{m.url})\n\n"
    parts = [
        head,
        f"**Session:** {m.session}\n\n",
        "**Date/Time:** April 23, 2031 / 13:00-14:30\n\n",
        f"**Rapporteur:**\n\n{_person(m.rapporteur)}\n\n",
        f"**Moderator:**\n\n{_person(m.moderator)}\n\n",
        "**Speakers:**\n\n" + "".join(f"{_person(p)}\n\n" for p in m.speakers),
        "**Session Sketch:**\n\n",
    ]
    paras = [" ".join(t for t, _ in para) for para in BODY]
    footer = f"*\\* {DEFAULT_DISCLAIMER}*\n\n"
    # cut paragraph 4 mid-sentence by a page break with the running furniture in between
    cut = paras[3].index("refused to publish") + len("refused to")
    for i, p in enumerate(paras):
        if i == 3:
            parts.append(p[:cut] + "\n\n" + footer + "\n\n" + head + "---\n\n" + p[cut + 1 :] + "\n\n")
        else:
            parts.append(p + "\n\n")
    parts.append("---\n\n" + footer)
    return "".join(parts)


def fictional_html(marks: bool = False) -> str:
    m = METADATA

    def sentence(text: str, speaker: str | None) -> str:
        if not marks:
            return html.escape(text)
        return f'<span class="sentence" data-speaker="{html.escape(speaker or "")}" data-evidence="[]">{html.escape(text)}</span>'

    body = "\n".join("<p>" + " ".join(sentence(t, s) for t, s in para) + "</p>" for para in BODY)
    people = "\n".join(f"<p>{html.escape(_person(p))}</p>" for p in m.speakers)
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>Session Sketch</title>
<style>@page {{ size: A4; margin: 2.5cm 2.2cm;
  @top-center {{ content: "Session Sketch — {m.conference}"; font-size: 9pt }}
  @bottom-center {{ content: "* {DEFAULT_DISCLAIMER}"; font-size: 7.5pt; font-style: italic }} }}
body {{ font-family: serif; font-size: 12pt; line-height: 1.5 }} p {{ margin: 0 0 11pt 0 }}
h1 {{ font-size: 20pt }}</style></head><body>
<h1>Session Sketch</h1>
<p>{m.conference}: “{m.theme}”<br>{m.url}</p>
<p><b>Session:</b> {m.session}</p>
<p><b>Date/Time:</b> 23 April 2031, 1:00 pm – 2:30 pm</p>
<p><b>Rapporteur:</b> {html.escape(_person(m.rapporteur))}</p>
<p><b>Moderator:</b> {html.escape(_person(m.moderator))}</p>
<p><b>Speakers:</b></p>
{people}
<p><b>Session Sketch:</b></p>
{body}
<footer><p><i>* {DEFAULT_DISCLAIMER}</i></p></footer>
</body></html>"""


def weasyprint_module() -> ModuleType:
    """WeasyPrint, or a skip where Pango is missing (a failure in CI, see .ci/setup.d/parse.sh)."""
    try:
        import weasyprint
    except (ImportError, OSError) as exc:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip(f"WeasyPrint cannot load ({exc}); install Pango (.ci/setup.d/parse.sh)")
    return weasyprint


def fictional_pdf() -> bytes:
    return weasyprint_module().HTML(string=fictional_html()).write_pdf()


def fictional_docx() -> bytes:
    import docx

    m = METADATA
    doc = docx.Document()
    section = doc.sections[0]
    section.header.paragraphs[0].text = f"Session Sketch — {m.conference}"
    section.footer.paragraphs[0].text = f"* {DEFAULT_DISCLAIMER}"
    doc.add_heading("Session Sketch", level=1)
    doc.add_paragraph(f"{m.conference}: “{m.theme}”\n{m.url}")
    for label, value in (
        ("Session", m.session),
        ("Date/Time", "2031-04-23, 13:00–14:30"),
        ("Rapporteur", _person(m.rapporteur)),
        ("Moderator", _person(m.moderator)),
    ):
        p = doc.add_paragraph()
        p.add_run(f"{label}: ").bold = True
        p.add_run(value)
    doc.add_paragraph().add_run("Speakers:").bold = True
    for person in m.speakers:
        doc.add_paragraph(_person(person))
    doc.add_paragraph().add_run("Session Sketch:").bold = True
    for para in BODY:
        doc.add_paragraph(" ".join(t for t, _ in para))
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


@pytest.fixture(scope="session")
def fictional_files(tmp_path_factory) -> dict[str, Path]:
    """The fictional panel as .md, .html (with and without marks), .pdf and .docx."""
    folder = tmp_path_factory.mktemp("fictional")
    files = {
        "md": (folder / "panel.md", fictional_markdown()),
        "html": (folder / "panel.html", fictional_html()),
        "marked.html": (folder / "marked.html", fictional_html(marks=True)),
        "pdf": (folder / "panel.pdf", fictional_pdf()),
        "docx": (folder / "panel.docx", fictional_docx()),
    }
    out = {}
    for key, (path, data) in files.items():
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_bytes(data)
        out[key] = path
    return out


@pytest.fixture(scope="session")
def fictional() -> ModuleType:
    """This module: the panel's metadata, body and expected speakers."""
    return sys.modules[__name__]


# ----------------------------------------------------------------------------- speakers after a round trip
# Used by test_speakers_round_trip.py and bench/round_trip.py: draft a real meeting, write it in
# a format, parse it back and pair each drafted sentence with the speaker it came back with.

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "welsh-education-committee"
QMSUM = ROOT.parent / "shared" / "qmsum" / "committee"
#: What a drafted sentence "came back with" when its text is not found in the parsed sketch.
LOST = "(sentence lost)"


def draft_example() -> Sketch:
    """The bundled example drafted with its programme (the extractive engine)."""
    from sessionsketch.engines import DraftOptions, get_engine
    from sessionsketch.pipeline import read_transcript
    from sessionsketch.readers.programme import load_programme

    programme = load_programme(EXAMPLE / "programme.yaml")
    transcript = read_transcript(EXAMPLE / "transcript.json", programme)
    return get_engine("extractive").draft(programme, programme.session, transcript, DraftOptions())


def draft_meeting(path: Path) -> Sketch:
    """A QMSum meeting drafted with the programme inferred from its speaker labels."""
    from sessionsketch.analysis.resolve import infer_programme, resolve_transcript
    from sessionsketch.engines import DraftOptions, get_engine
    from sessionsketch.pipeline import read_transcript

    transcript = read_transcript(path)
    programme = infer_programme(transcript)
    resolve_transcript(transcript, programme)
    return get_engine("extractive").draft(programme, programme.session, transcript, DraftOptions())


def parse_back(path: Path) -> Sketch:
    """``sessionsketch parse`` of a written sketch (no programme: the block is all it knows)."""
    from sessionsketch.pipeline import parse_sketch

    return parse_sketch(path)


def speaker_pairs(drafted: Sketch, parsed: Sketch) -> list[tuple[str, str | None, str | None]]:
    """(text, drafted speaker, parsed speaker) for every drafted sentence, in order.

    The parsed sketch may split sentences differently: each drafted sentence is found in the
    parsed body text (in order) and takes the speaker of the parsed sentence it starts in.
    A sentence not found comes back with :data:`LOST`.
    """
    body: list[str] = []
    starts: list[tuple[int, str | None]] = []
    size = 0
    for s in parsed.sentences:
        text = " ".join(s.text.split())
        starts.append((size, s.speaker))
        body.append(text)
        size += len(text) + 1
    joined = " ".join(body)
    out: list[tuple[str, str | None, str | None]] = []
    cursor = 0
    for s in drafted.sentences:
        text = " ".join(s.text.split())
        if not text:
            continue
        at = joined.find(text[:60], cursor)
        if at < 0:
            out.append((text, s.speaker, LOST))
            continue
        speaker = next(sp for start, sp in reversed(starts) if start <= at)
        out.append((text, s.speaker, speaker))
        cursor = at + 1
    return out
