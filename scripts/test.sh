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
exec "$VENV/bin/python" -m pytest "$@"
