"""Fixtures shared by the whole suite: where the real data lives."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
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
