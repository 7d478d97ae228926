#!/usr/bin/env bash
# parse area (issue 5): the tests render their fictional sketch PDFs with WeasyPrint,
# which needs Pango (and a font). Idempotent and non-interactive; run as root on Debian.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

need=()
for pkg in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
if [ "${#need[@]}" -gt 0 ]; then
  apt-get update -q
  apt-get install -y --no-install-recommends "${need[@]}"
fi
