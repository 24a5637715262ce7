#!/usr/bin/env bash
# Set up TCR on this machine: Debian packages (when root), a virtualenv with the project, compiled translations.
# Idempotent: a second run only checks. Used by scripts/run.sh and scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

DEBIAN_PACKAGES=(fonts-noto-cjk fonts-hanazono fonts-babelstone-han fontconfig libharfbuzz-subset0 libpango-1.0-0
                 libpangoft2-1.0-0 poppler-utils chromium chromium-driver)
VENV="${TCR_VENV:-.venv}"
PYTHON="${PYTHON:-python3}"

install_debian_packages() {
  command -v dpkg-query >/dev/null || return 0
  local missing=()
  for pkg in "${DEBIAN_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing Debian packages (install them as root): ${missing[*]}" >&2
    return 0
  fi
  echo "setup: installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

install_python_packages() {
  if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV"
  fi
  local stamp="$VENV/.tcr-installed"
  if [ ! -f "$stamp" ] || [ setup.cfg -nt "$stamp" ]; then
    "$VENV/bin/python" -m pip install -q --upgrade pip
    "$VENV/bin/python" -m pip install -q -e ".[test]"
    touch "$stamp"
  fi
}

compile_translations() {
  "$VENV/bin/pybabel" compile -q -d translations 2>/dev/null || "$VENV/bin/pybabel" compile -d translations
}

install_debian_packages
install_python_packages
[ -d translations ] && compile_translations
echo "setup: ready ($VENV)"
