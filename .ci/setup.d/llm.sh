#!/usr/bin/env bash
# llm area (issue 8): pip builds llama-cpp-python from source for the `llm` tests' real
# model server; that needs a C/C++ compiler (with OpenMP: libgomp comes with gcc).
# CMake and Ninja come from PyPI as build requirements when the system has none.
# Idempotent and non-interactive; run as root on Debian.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

need=()
command -v g++ >/dev/null 2>&1 || need+=(g++)
command -v gcc >/dev/null 2>&1 || need+=(gcc)
command -v make >/dev/null 2>&1 || need+=(make)
if [ "${#need[@]}" -gt 0 ]; then
  apt-get update -q
  apt-get install -y --no-install-recommends "${need[@]}"
fi
