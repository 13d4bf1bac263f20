#!/usr/bin/env bash
# FastStream on the runtime benchmark's scenarios, in a throwaway virtualenv.
#
#   bench/faststream/run.sh [--mqtt HOST:PORT] [--kafka HOST:PORT] [--messages N] [--in-flight K] \
#       [--repeats R]
#
# Creates a virtualenv in a temporary directory (python3 -m venv), installs requirements.txt
# into it with pip, runs bench.py with the arguments given (one JSON line per case appended to
# $ASYNCAPI_BENCH_OUT, stdout when unset) and removes the virtualenv, whatever happened.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
python=${PYTHON:-python3}
venv=$(mktemp -d "${TMPDIR:-/tmp}/faststream-bench.XXXXXX")
trap 'rm -rf "$venv"' EXIT

started=$(date +%s)
"$python" -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
echo "faststream virtualenv ready in $(( $(date +%s) - started )) s ($("$venv/bin/python" --version))" >&2

"$venv/bin/python" "$here/bench.py" "$@"
