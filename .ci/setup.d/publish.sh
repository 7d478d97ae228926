#!/usr/bin/env bash
# publish area (issue 4): WeasyPrint needs Pango; the PDF's CSS names Liberation
# (Latin with accents) and Noto CJK (Korean, Chinese, Japanese names); the tests turn
# page 1 into a PNG with pdftoppm (poppler-utils).
# Idempotent and non-interactive; run as root on Debian.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

need=()
for pkg in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-liberation fonts-noto-cjk fonts-dejavu-core poppler-utils; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
if [ "${#need[@]}" -gt 0 ]; then
  apt-get update -q
  apt-get install -y --no-install-recommends "${need[@]}"
fi
