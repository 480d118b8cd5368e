#!/usr/bin/env bash
# Creates .venv and installs the project (and, with "test", what the tests need). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"
# WeasyPrint (yearbooks) lays text out with Pango and subsets fonts with HarfBuzz; Debian's packages, only
# if missing (a machine without apt, or without root, keeps what it has and says what is needed).
missing=""
for package in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing="$missing $package"
done
if [ -n "$missing" ]; then
    if command -v apt-get >/dev/null 2>&1; then
        export DEBIAN_FRONTEND=noninteractive
        sudo_cmd=""
        [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
        $sudo_cmd apt-get update -qq
        # shellcheck disable=SC2086
        $sudo_cmd apt-get install -y -qq $missing >/dev/null
    else
        echo "Cần cài các gói hệ thống cho WeasyPrint (kỷ yếu PDF):$missing" >&2
    fi
fi
if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip >/dev/null
if [ "$extras" = "test" ]; then
    .venv/bin/python -m pip install --quiet -e '.[test]'
else
    .venv/bin/python -m pip install --quiet -e .
fi
# The editors' workbench (guong soan) serves Decap CMS's browser files itself: fetched once from the npm
# registry, pinned and integrity-checked, into .cache/decap-cms/ (ignored by git).
.venv/bin/python -m generator.workbench.decap_bundle
