"""Any bytes give a Transcript or a UserError from every transcript reader, never another exception."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sessionsketch.errors import UserError
from sessionsketch.model import Transcript
from sessionsketch.readers import readers

READERS = sorted(readers("transcript"))

# text that looks a little like each format, so the fuzzer reaches the parsers
fragments = st.sampled_from(
    [
        "WEBVTT\n",
        "\n\n",
        "00:00:01.000 --> 00:00:02.000\n",
        "00:01,5 --> x\n",
        "<v Ada Quill>",
        ">>BRAM: ",
        "Ada Quill: ",
        "[Bram Teller] ",
        "1\n",
        '{"segments": [',
        '{"start": 0, "text": "hi", "speaker": null}',
        "]}",
        '{"meeting_transcripts": [',
        '{"speaker": "A", "content": "b"}',
        "é",
        "\x00",
        "\ufeff",
    ]
)
inputs = st.one_of(
    st.binary(max_size=400),
    st.lists(fragments, max_size=25).map(lambda xs: "".join(xs).encode("utf-8", "surrogatepass")),
)


@pytest.mark.parametrize("name", READERS)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=inputs)
def test_reader_gives_a_transcript_or_a_user_error(name: str, data: bytes) -> None:
    reader = readers("transcript")[name]
    path = Path("fuzz." + (reader.extensions or ("txt",))[0])
    with contextlib.suppress(UserError):  # a user error is a right answer too
        assert isinstance(reader.read(data, path), Transcript)
