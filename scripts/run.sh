#!/usr/bin/env bash
# Set everything up and run TCR on the embedded SQLite database, with migrated tables and demo data.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
export FLASK_APP="app:create_app"
VENV="${TCR_VENV:-.venv}"
HOST="${TCR_HOST:-127.0.0.1}"
PORT="${TCR_PORT:-5000}"
# links in e-mails and on certificates (the QR code) point at this server unless told otherwise
export TCR_PUBLIC_BASE_URL="${TCR_PUBLIC_BASE_URL:-http://$HOST:$PORT}"
mkdir -p instance
"$VENV/bin/flask" db upgrade
"$VENV/bin/flask" demo seed
"$VENV/bin/flask" certs init
# three years of synthetic registrations and filings in review, so that statistics and supervision have something to
# show (only into an empty registry)
"$VENV/bin/flask" demo synth --contracts 6000 --filings 400 --unless-present
# a registered contract of the demo enterprise with researchers and verified technical income (once)
"$VENV/bin/flask" demo income
echo "TCR is running at http://$HOST:$PORT/  (Ctrl-C stops it)"
# the production server with the production configuration (gunicorn.conf.py), on the demo's data
export TCR_HOST="$HOST" TCR_PORT="$PORT" TCR_VENV="$VENV"
exec ./scripts/serve.sh
