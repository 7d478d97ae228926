"""Any bytes given to a sketch reader give a Sketch or a UserError, never a crash."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sessionsketch.errors import UserError
from sessionsketch.model import Sketch
from sessionsketch.readers import readers

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _check(name: str, data: bytes) -> None:
    reader = readers("sketch")[name]
    try:
        out = reader.read(data, Path(f"fuzz.{reader.extensions[0]}"))
    except UserError:
        return
    assert isinstance(out, Sketch)


@pytest.mark.parametrize("name", ["text", "html", "pdf", "docx", "json"])
@FUZZ
@given(data=st.binary(max_size=2048))
def test_random_bytes(name, data) -> None:
    _check(name, data)


@pytest.mark.parametrize("name", ["pdf", "docx"])
@FUZZ
@given(cut=st.floats(0.0, 1.0), flips=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), max_size=8))
def test_damaged_real_files(name, fictional_files, cut, flips) -> None:
    data = bytearray(fictional_files[name].read_bytes())
    for where, value in flips:
        data[int(where * (len(data) - 1))] = value
    _check(name, bytes(data[: max(1, int(len(data) * cut))]))


@FUZZ
@given(text=st.text(max_size=1500))
def test_random_text_as_markdown(text) -> None:
    _check("text", text.encode("utf-8"))
    _check("html", f"<html><body><p>{text}</p></body></html>".encode())
