#!/usr/bin/env bash
# Set everything up, lint, and run the whole test suite (SQLite; PostgreSQL when TCR_TEST_DATABASE_URL is set).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
VENV="${TCR_VENV:-.venv}"
echo "test: lint and format (ruff, configured in pyproject.toml)"
"$VENV/bin/ruff" check .
"$VENV/bin/ruff" format --check .
echo "test: database ${TCR_TEST_DATABASE_URL:-sqlite (embedded)}"
# One worker per core (TCR_TEST_WORKERS=0: one process), tests dealt out one by one. The schemathesis module runs
# in a process of its own after the rest: its generated cases run inside one test item, which pytest-xdist does not
# carry whole. Naming a test path runs just that part.
WORKERS=("-n" "${TCR_TEST_WORKERS:-auto}" "--dist" "load")
CONFORMANCE=tests/api/test_openapi_conformance.py
paths=0
for arg in "$@"; do  # a test path (a file or folder, perhaps with ::name) names a part of the suite
  [ -e "${arg%%::*}" ] || continue
  paths=1
  case "$arg" in *"$CONFORMANCE"*) WORKERS=("-p" "no:xdist") ;; esac
done
if [ "$paths" -eq 1 ]; then
  exec "$VENV/bin/python" -m pytest "${WORKERS[@]}" "$@"
fi
status=0
"$VENV/bin/python" -m pytest "${WORKERS[@]}" --ignore="$CONFORMANCE" "$@" || status=$?
"$VENV/bin/python" -m pytest -p no:xdist "$CONFORMANCE" "$@" || status=$?
exit "$status"
