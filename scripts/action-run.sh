#!/usr/bin/env bash
# Second step of the composite actions: run one pgrelease subcommand and record its exit
# code as the step output `exit-code` (the step then fails with that code).
#
#   PGRELEASE_PY        interpreter that imports pgrelease (action-install.sh's output)  [required]
#   PGRELEASE_COMMAND   subcommand: gate, push, status, lint, ...                        [required]
#   PGRELEASE_ARGS      extra arguments, split the way a POSIX shell splits words (quotes
#                       and backslashes work; nothing is expanded: no $VAR, no globs, no `cmd`)
#   PGRELEASE_WORKDIR   the project directory (default: the workspace): passed as --workdir
#                       to commands that have it, else the directory the command runs in
#   PGRELEASE_OPT_<NAME>   (optional) an option of the command: a non-empty value becomes the
#                       one word `--<name>=<value>` (NAME upper case with underscores:
#                       PGRELEASE_OPT_GATE_CONTEXT -> --gate-context=...), before the args words
#   PGRELEASE_FLAG_<NAME>  (optional) a flag: `true` adds `--<name>`, `false` or empty nothing,
#                       anything else is a usage error (exit 2)
#   PGRELEASE_REPORT_FILE  (optional) where the command writes its JSON report; its
#                       directory is created, and the step output `report` names it when written
# Every other setting reaches pgrelease through its own environment variables
# (PGRELEASE_DB_URL, REDIS_URL, ...); empty ones are removed first so "not set" and "" mean the same.
set -uo pipefail

py=${PGRELEASE_PY:?PGRELEASE_PY must name the interpreter from the install step}
command=${PGRELEASE_COMMAND:-}
workdir=${PGRELEASE_WORKDIR:-.}
record() { echo "exit-code=$1" >>"${GITHUB_OUTPUT:-/dev/null}"; exit "$1"; }

if ! [[ $command =~ ^[a-z][a-z0-9-]*$ ]]; then
  echo "::error title=pgrelease::command must be one pgrelease subcommand such as gate, push or status (got '${command}'); put options in args"
  record 2
fi
if [ ! -d "$workdir" ]; then
  echo "::error title=pgrelease::workdir '$workdir' is not a directory of the checkout"
  record 2
fi

for name in $(compgen -e); do
  case $name in
    PGRELEASE_PY | PGRELEASE_COMMAND | PGRELEASE_ARGS | PGRELEASE_WORKDIR) ;;
    PGRELEASE_* | APP_SCHEMA_VERSION | GITHUB_TOKEN | REDIS_URL | REDIS_PREFIX) [ -n "${!name}" ] || unset "$name" ;;
  esac
done

# inputs that are options or flags of the command, as single words (values are never split or expanded)
options=()
for name in $(compgen -e); do
  case $name in
    PGRELEASE_OPT_* | PGRELEASE_FLAG_*) ;;
    *) continue ;;
  esac
  value=${!name}
  flag=${name#PGRELEASE_*_}
  flag=${flag,,}
  flag=--${flag//_/-}
  unset "$name"
  if [[ $name == PGRELEASE_OPT_* ]]; then
    [ -z "$value" ] || options+=("$flag=$value")
  elif [ "$value" = true ]; then
    options+=("$flag")
  elif [ -n "$value" ] && [ "$value" != false ]; then
    echo "::error title=pgrelease::the input for $flag must be true or false"
    record 2
  fi
done

extra=()
if [ -n "${PGRELEASE_ARGS:-}" ]; then
  argfile=$(mktemp)
  if ! "$py" -c '
import os, shlex, sys
try:
    words = shlex.split(os.environ["PGRELEASE_ARGS"], comments=False, posix=True)
except ValueError as exc:
    sys.exit(f"::error title=pgrelease::cannot split args: {exc}")
sys.stdout.write("".join(w + "\0" for w in words))
' >"$argfile"; then
    rm -f "$argfile"
    record 2
  fi
  while IFS= read -r -d '' word; do
    extra+=("$word")
  done <"$argfile"
  rm -f "$argfile"
fi
unset PGRELEASE_PY PGRELEASE_COMMAND PGRELEASE_ARGS PGRELEASE_WORKDIR
report=${PGRELEASE_REPORT_FILE:-}
if [ -n "$report" ]; then
  mkdir -p "$(dirname "$report")"
  rm -f "$report"
fi

# -P: the working directory is not put on sys.path (a pgrelease/ or click.py there must not shadow the install)
pgrelease() { "$py" -P -m pgrelease "$@"; }
# A command with --workdir gets it as given (it names the project in comment markers and
# paths: examples/acme, not "."); one without runs inside the directory instead.
if pgrelease "$command" --help 2>/dev/null | grep -q -- '--workdir'; then
  pgrelease "$command" --workdir "$workdir" "${options[@]}" "${extra[@]}"
else
  cd "$workdir" && pgrelease "$command" "${options[@]}" "${extra[@]}"
fi
rc=$?
# the report file as an output only when the command wrote one (upload steps can rely on it)
if [ -n "$report" ] && [ -f "$report" ]; then
  echo "report=$(cd "$(dirname "$report")" && pwd)/$(basename "$report")" >>"${GITHUB_OUTPUT:-/dev/null}"
fi
record "$rc"
