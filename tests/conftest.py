"""Fixtures shared by the whole suite: where the real data lives."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: the shared data beside the checkout; SESSIONSKETCH_SHARED points elsewhere (a missing
#: folder shows what a clone without it runs: the tests that need it skip with a reason)
SHARED = Path(os.environ.get("SESSIONSKETCH_SHARED") or ROOT.parent / "shared")
QMSUM = SHARED / "qmsum" / "committee"
REFERENCE_TXT = SHARED / "reference" / "000_d2e8a4bbf7783717.txt"
EXAMPLES = ROOT / "examples"


def qmsum_meetings() -> list[Path]:
    """Every QMSum committee meeting (train and val), sorted."""
    return sorted(QMSUM.glob("*/*.json"))


@pytest.fixture(scope="session")
def reference_txt() -> Path:
    if not REFERENCE_TXT.exists():
        pytest.skip("../shared/reference is not present")
    return REFERENCE_TXT


@pytest.fixture(scope="session")
def qmsum_dir() -> Path:
    if not QMSUM.exists():
        pytest.skip("../shared/qmsum is not present")
    return QMSUM
