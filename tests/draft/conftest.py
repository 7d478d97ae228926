"""A clearly FICTIONAL panel (invented people, invented words) for draft tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

PROGRAMME = """\
conference:
  name: Fictional Forum 2031
  theme: Rivers and Towns
session:
  number: 1
  title: Water Policy
  slug: water-policy
  description: The panel discussed how small towns can pay for clean water.
  rapporteur:
    name: Rhea Quillfeather
    affiliation: Imaginary Institute
  moderator:
    name: Tobin Marsh
    affiliation: Nowhere Weekly
  speakers:
    - name: Odalys Brightwater
      affiliation: Lakeside Polytechnic
      pronouns: she/her
    - name: Henrik Stoneleaf
      affiliation: Valley Water Board
    - name: Park Ji-woo
      affiliation: Hilltop University
      family_name_first: true
"""

TURNS = [
    (
        "Tobin Marsh",
        "Good afternoon and welcome. Today the panel looks at how small towns can pay "
        "for clean water when budgets are shrinking and pipes are old. Odalys, please begin.",
    ),
    (
        "Odalys Brightwater",
        "Thank you, Tobin. I think small towns should pool their purchasing of "
        "pipes and pumps across the whole region. In our study of forty towns, shared contracts cut "
        "costs by a fifth within three years. We also found that towns with shared engineers "
        "repaired leaks twice as fast as towns that worked alone.",
    ),
    (
        "Henrik Stoneleaf",
        "I'd like to make three points. I am worried that the federal grants "
        "will run out before the pipes are replaced. Our board has seen water rates double in ten "
        "years, and poorer households cannot carry that burden. We should tie any grant to a "
        "published plan for replacing lead service lines.",
    ),
    (
        "Park Ji-woo",
        "Will the regional authorities commit to publishing their leak data every "
        "month? Without open data, residents cannot judge whether the money is well spent. My "
        "students built a public map of leaks in two weeks using only open records.",
    ),
    ("Tobin Marsh", "Thank you. Odalys, a short reply?"),
    (
        "Odalys Brightwater",
        "Yes. Open leak data is cheap to publish and it builds trust between "
        "towns and their residents. Regional authorities should publish it as a condition of "
        "shared contracts.",
    ),
    ("Henrik Stoneleaf", "Thank you."),
]


@pytest.fixture()
def panel(tmp_path: Path) -> tuple[Path, Path]:
    prog = tmp_path / "programme.yaml"
    prog.write_text(PROGRAMME, encoding="utf-8")
    tr = tmp_path / "transcript.json"
    tr.write_text(
        json.dumps({"meeting_transcripts": [{"speaker": s, "content": c} for s, c in TURNS]}),
        encoding="utf-8",
    )
    return prog, tr
