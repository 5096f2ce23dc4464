#!/usr/bin/env bash
# First step of the composite actions (action.yml, pr-gate/, promote/): mask this run's
# secrets, then make an interpreter with pgrelease ready and write its path to
# $GITHUB_OUTPUT as `python`.
#
#   PGRELEASE_SOURCE   the pgrelease source tree to install (holds pyproject.toml)   [required]
#   PGRELEASE_PYTHON   interpreter, a name on PATH or a path (default python3); 3.11 or newer
#   PGRELEASE_DB_URL, PGRELEASE_DB_PASSWORD, PGRELEASE_SHADOW_URL, PGRELEASE_REDIS_URL,
#   GITHUB_TOKEN   masked (the URLs whole and the password inside them)
#
# Reuse: when PGRELEASE_PYTHON already imports pgrelease of the same version as the source
# tree (a venv made by an earlier step, a self-hosted runner's own install), it is used as
# it is. Otherwise a venv is made with it in $RUNNER_TEMP and pgrelease is pip-installed
# there from a copy of the source tree (so the build leaves nothing in the workspace); a
# second action step of the same job finds that venv and reuses it.
# Inputs arrive only through the environment (never interpolated into the script).
set -euo pipefail

# --- 1. masks, before anything else can print -----------------------------------------
mask() {  # every line of a value; GitHub matches masks line by line
  local value=$1 line
  [ -n "$value" ] || return 0
  while IFS= read -r line; do
    [ -n "$line" ] && printf '::add-mask::%s\n' "$line"
  done <<<"$value"
}
mask_dsn() {  # the whole URL, and the password inside it (as written and percent-decoded)
  local dsn=$1 pw=""
  [ -n "$dsn" ] || return 0
  mask "$dsn"
  if [[ $dsn =~ ^[A-Za-z][A-Za-z0-9+.-]*://[^:/?#@]*:(.*)@[^@]*$ ]]; then
    pw=${BASH_REMATCH[1]}
  elif [[ $dsn =~ (^|[?&[:space:]])password=([^&[:space:]]*) ]]; then
    pw=${BASH_REMATCH[2]}
  fi
  if [ -n "$pw" ]; then
    mask "$pw"
    mask "$(printf '%b' "${pw//%/\\x}")"
  fi
}
mask_dsn "${PGRELEASE_DB_URL:-}"
mask_dsn "${PGRELEASE_SHADOW_URL:-}"
mask_dsn "${PGRELEASE_REDIS_URL:-}"
mask "${PGRELEASE_DB_PASSWORD:-}"
mask "${GITHUB_TOKEN:-}"

# --- 2. the interpreter -----------------------------------------------------------------
hint="use runs-on: ubuntu-24.04 (Python 3.12), or run actions/setup-python (3.11 or newer) before this action, or set the action's python input to a Python 3.11+ interpreter"
src=${PGRELEASE_SOURCE:?PGRELEASE_SOURCE must name the pgrelease source tree}
src=$(cd "$src" && pwd)
if [ ! -f "$src/pyproject.toml" ]; then
  echo "::error title=pgrelease install::no pyproject.toml in $src (the action's own checkout is incomplete)"
  exit 3
fi
py=${PGRELEASE_PYTHON:-python3}
if ! command -v "$py" >/dev/null 2>&1; then
  echo "::error title=pgrelease install::Python interpreter '$py' not found. Hint: $hint"
  exit 3
fi
py=$(command -v "$py")
case $py in  # absolute (later steps run elsewhere), but not symlink-resolved (a venv's python is a link)
  /*) ;;
  *) py="$(cd "$(dirname "$py")" && pwd)/$(basename "$py")" ;;
esac
version=$("$py" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])' 2>/dev/null || true)
major=${version%%.*}
minor=${version#*.}
minor=${minor%%.*}
if ! [[ $major =~ ^[0-9]+$ && $minor =~ ^[0-9]+$ ]] || (( major < 3 || (major == 3 && minor < 11) )); then
  echo "::error title=pgrelease install::pgrelease needs Python 3.11 or newer; '$py' is ${version:-not a working Python}. Hint: $hint"
  exit 3
fi

# The version the source tree declares (pyproject.toml: version = "...").
want=$(sed -n 's/^version *= *"\([^"]*\)".*/\1/p' "$src/pyproject.toml" | head -n 1)
installed_version() {  # the pgrelease version $1 imports, or nothing
  "$1" - <<'EOF' 2>/dev/null || true
import importlib.metadata, importlib.util
if importlib.util.find_spec("pgrelease") is not None:
    print(importlib.metadata.version("pgrelease"))
EOF
}
ready() {  # $1 imports pgrelease of the wanted version
  local have
  have=$(installed_version "$1")
  [ -n "$have" ] && [ "$have" = "$want" ]
}
finish() {
  echo "pgrelease $want with $("$1" -c 'import sys; print(sys.version.split()[0])') at $1"
  echo "python=$1" >>"${GITHUB_OUTPUT:-/dev/null}"
  exit 0
}

if ready "$py"; then
  echo "reusing the pgrelease already installed for $py"
  finish "$py"
fi

# --- 3. a venv in RUNNER_TEMP ------------------------------------------------------------
tmp=${RUNNER_TEMP:-${TMPDIR:-/tmp}}
venv="$tmp/pgrelease-venv-$want-py$major.$minor"
if [ -x "$venv/bin/python" ] && ready "$venv/bin/python"; then
  echo "reusing $venv from an earlier step of this job"
  finish "$venv/bin/python"
fi
echo "::group::install pgrelease $want (Python $version, $venv)"
start=$SECONDS
rm -rf "$venv"
"$py" -m venv "$venv"
build="$tmp/pgrelease-src-$$"
rm -rf "$build"
mkdir -p "$build"
for f in pyproject.toml setup.cfg setup.py README.md LICENSE LICENSE.txt LICENSE.md MANIFEST.in; do
  [ -e "$src/$f" ] && cp "$src/$f" "$build/"
done
cp -R "$src/src" "$build/src"
find "$build/src" \( -name __pycache__ -o -name '*.egg-info' \) -prune -exec rm -rf {} +
"$venv/bin/python" -m pip install --disable-pip-version-check --no-input --quiet "$build"
rm -rf "$build"
echo "installed in $((SECONDS - start)) s"
echo "::endgroup::"
if ! ready "$venv/bin/python"; then
  echo "::error title=pgrelease install::pip finished but $venv/bin/python cannot import pgrelease $want"
  exit 3
fi
finish "$venv/bin/python"
