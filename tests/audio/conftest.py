"""Recordings made at test time: a fictional panel read by espeak-ng in three voices.

Tests that need espeak-ng (a Debian package) or the ``[audio]`` extra skip with a reason
on a laptop without them, and fail under ``CI=true``, where ``.ci/setup.d/audio.sh`` and
the test extra install both.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from sessionsketch import audio
from sessionsketch.audio import synth

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _need(ok: bool, reason: str) -> None:
    if ok:
        return
    if IN_CI:
        pytest.fail(f"{reason} in CI (.ci/setup.d/audio.sh and the test extra install it)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def audio_stack() -> None:
    gone = audio.missing()
    _need(not gone, f"the audio extra is not installed (missing: {', '.join(gone)})")


@pytest.fixture(scope="session")
def espeak() -> None:
    _need(synth.espeak_available(), "espeak-ng is not installed (apt-get install espeak-ng)")


@dataclass
class Panel:
    folder: Path
    wav: Path
    programme: Path
    truth: list[synth.SpokenTurn]


@pytest.fixture(scope="session")
def panel(tmp_path_factory: pytest.TempPathFactory, espeak: None, audio_stack: None) -> Panel:
    folder = tmp_path_factory.mktemp("panel")
    wav = folder / "eastmere.wav"
    truth = synth.synthesise(wav)
    programme = folder / "programme.yaml"
    programme.write_text(synth.EASTMERE_PROGRAMME, encoding="utf-8")
    return Panel(folder, wav, programme, truth)


@pytest.fixture(scope="session")
def panel_doc(panel: Panel) -> dict:
    """The panel transcribed once (with its programme) for the tests that only read the result."""
    from sessionsketch.readers.programme import load_programme

    return audio.transcribe(panel.wav, load_programme(panel.programme))
