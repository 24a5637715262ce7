#!/usr/bin/env bash
# Serve TCR through gunicorn with gunicorn.conf.py: the production entry point (scripts/run.sh uses it too).
# Expects a migrated database (`flask db upgrade`) and the TCR_* settings of the README in the environment;
# TCR_HOST and TCR_PORT choose the address, TCR_WORKERS and TCR_THREADS the size (see gunicorn.conf.py).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${TCR_VENV:-.venv}"
exec "$VENV/bin/gunicorn" --config gunicorn.conf.py "$@"
