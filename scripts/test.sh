#!/usr/bin/env bash
# Installs everything the tests need on a fresh machine, then runs ruff, mypy and the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
# Browser tests drive Debian's Chromium (Playwright cannot download its own browser here); the yearbook
# tests read PDFs with poppler-utils (pdfinfo, pdftotext, pdffonts, pdfimages, pdftoppm) and QR codes
# with zbar-tools (zbarimg).
missing=""
for tool in chromium:chromium pdftotext:poppler-utils zbarimg:zbar-tools; do
    command -v "${tool%%:*}" >/dev/null 2>&1 || missing="$missing ${tool#*:}"
done
if [ -n "$missing" ]; then
    export DEBIAN_FRONTEND=noninteractive
    sudo_cmd=""
    [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    # shellcheck disable=SC2086
    $sudo_cmd apt-get install -y -qq $missing >/dev/null
fi
scripts/setup.sh test
# Lint and types first: they take seconds, and their rules are in pyproject.toml.
.venv/bin/ruff check .
.venv/bin/mypy
exec .venv/bin/python -m pytest "$@"
