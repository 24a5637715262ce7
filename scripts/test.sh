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
# Two workers on a two-core machine (TCR_TEST_WORKERS=0 runs in one process); a file stays on one worker, so a
# module's tests keep their order.
exec "$VENV/bin/python" -m pytest -n "${TCR_TEST_WORKERS:-auto}" --dist loadfile "$@"
