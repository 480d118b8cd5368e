#!/usr/bin/env bash
# Installs the project and builds the site from content/ into site/.
#   scripts/build.sh          check the profiles, then build
#   scripts/build.sh serve    preview at http://127.0.0.1:8000/ (rebuilds on save)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/guong check content
if [ "${1:-}" = "serve" ]; then
    # --dirty: after a save, only the pages the change affects are rebuilt (generator/build/preview_session.py).
    exec .venv/bin/mkdocs serve --dirty --dev-addr 127.0.0.1:8000
fi
.venv/bin/guong build
