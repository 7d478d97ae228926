"""The standing harness of issue 16 §5 (bench/abuse.py), at test size: the hostile inputs
against the readers and against a running server (uvicorn in a subprocess).

No time is asserted: a read past the (generous) budget is a timeout, which fails the test;
a 5xx answer, a reader crash or anything lost fails it too.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from sessionsketch.web.uploads import ParseLimits

BENCH = Path(__file__).resolve().parents[2] / "bench" / "abuse.py"
pytestmark = pytest.mark.skipif(not ParseLimits().sandboxed, reason="the harness forks a child per read")


@pytest.fixture(scope="module")
def abuse():
    spec = importlib.util.spec_from_file_location("bench_abuse", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_abuse"] = module
    spec.loader.exec_module(module)
    return module


def test_the_hostile_inputs_are_those_of_the_issue(abuse) -> None:
    names = {c.name for c in abuse.hostile_inputs()}
    for expected in ("vtt '<v ' repeated", "YAML alias bomb", "YAML nested 1,000", "JSON sketch 100,000 ["):
        assert expected in names
    vtt = next(c for c in abuse.hostile_inputs() if c.name == "vtt '<v ' repeated")
    assert len(vtt.data) >= 120_000  # the 120 KB file that took 26 s to read


def test_every_hostile_input_is_read_or_refused_by_the_readers(abuse) -> None:
    outcomes = list(
        abuse.read_everything(abuse.hostile_inputs(), seconds=120, memory_mb=1024, every_reader=False)
    )
    assert len(outcomes) == len(abuse.hostile_inputs())
    bad = [(o.case, o.result, o.detail) for o in outcomes if o.result not in ("read", "refused")]
    assert bad == []
    refused = {o.case for o in outcomes if o.result == "refused"}
    assert {"YAML alias bomb", "YAML nested 1,000", "DOCX zip bomb (100 MB document.xml)"} <= refused


def test_the_server_survives_the_hostile_inputs(abuse) -> None:
    cases = abuse.hostile_inputs()
    outcomes, lost = abuse.upload_everything(cases, seconds=120, memory_mb=1024)
    assert lost == []
    assert len(outcomes) == len(cases)
    assert [
        (o.case, o.result) for o in outcomes if o.result.startswith("5") or o.result in ("crash", "timeout")
    ] == []
    by_case = {o.case: o for o in outcomes}
    for name in ("YAML alias bomb", "YAML nested 1,000", "YAML 100,000 [", "JSON programme 100,000 ["):
        assert by_case[name].result == "400" and "\n" not in by_case[name].detail
    assert by_case["DOCX sketch zip bomb"].result == "400"
