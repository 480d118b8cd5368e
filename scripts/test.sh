#!/usr/bin/env bash
# Installs everything the tests need on a fresh machine, then runs ruff, mypy and the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1; then
    # Browser tests drive Debian's Chromium; Playwright cannot download its own browser here.
    export DEBIAN_FRONTEND=noninteractive
    sudo_cmd=""
    [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    $sudo_cmd apt-get install -y -qq chromium >/dev/null
fi
scripts/setup.sh test
# Lint and types first: they take seconds, and their rules are in pyproject.toml.
.venv/bin/ruff check .
.venv/bin/mypy
exec .venv/bin/python -m pytest "$@"
