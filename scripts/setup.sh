#!/usr/bin/env bash
# Creates .venv and installs the project (and, with "test", what the tests need). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"
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
