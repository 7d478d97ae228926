#!/usr/bin/env bash
# audio area (issue 15): tests/audio synthesise their fictional panels with espeak-ng, and
# pip builds webrtcvad (a Resemblyzer dependency, no wheel on PyPI) with a C compiler.
# The audio stack itself (faster-whisper, PyAV with its own FFmpeg, CPU PyTorch) comes from
# PyPI with the test extra. Idempotent and non-interactive; run as root on Debian.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

need=()
command -v espeak-ng >/dev/null 2>&1 || need+=(espeak-ng)
command -v gcc >/dev/null 2>&1 || need+=(gcc)
if [ "${#need[@]}" -gt 0 ]; then
  apt-get update -q
  apt-get install -y --no-install-recommends "${need[@]}"
fi
