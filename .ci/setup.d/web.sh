#!/usr/bin/env bash
# web area (issue 7): headless Chromium for the end-to-end tests and a PostgreSQL
# cluster with a test database for the `postgres`-marked archive tests.
# Idempotent and non-interactive; run as root on Debian.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ -x /usr/lib/postgresql/15/bin/postgres ] || need+=(postgresql-15)
if [ "${#need[@]}" -gt 0 ]; then
  apt-get update -q
  apt-get install -y --no-install-recommends "${need[@]}" fonts-dejavu-core
fi

# PostgreSQL: start the Debian cluster (create it if missing), then a role and a database
# the tests reach at SESSIONSKETCH_TEST_POSTGRES (default below, see tests/web/conftest.py).
if ! pg_lsclusters -h 2>/dev/null | grep -q '^15 *main'; then
  pg_createcluster 15 main
fi
pg_ctlcluster 15 main start 2>/dev/null || pg_ctlcluster 15 main status >/dev/null
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p 5432 && break
  sleep 1
done
su postgres -c "psql -q -tAc \"SELECT 1 FROM pg_roles WHERE rolname='sessionsketch'\"" | grep -q 1 \
  || su postgres -c "psql -q -c \"CREATE ROLE sessionsketch LOGIN PASSWORD 'sessionsketch'\""
su postgres -c "psql -q -tAc \"SELECT 1 FROM pg_database WHERE datname='sessionsketch_test'\"" | grep -q 1 \
  || su postgres -c "createdb -O sessionsketch sessionsketch_test"
echo "PostgreSQL test database: postgresql://sessionsketch:sessionsketch@127.0.0.1:5432/sessionsketch_test"
