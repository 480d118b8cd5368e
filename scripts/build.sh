#!/usr/bin/env bash
# Installs the project and builds the site from content/ into site/.
#   scripts/build.sh          check the profiles, then build
#   scripts/build.sh serve    preview at http://127.0.0.1:8000/ (rebuilds on save)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
if [ "${1:-}" = "serve" ]; then
    # The preview starts even with errors: it shows each broken profile's messages on its page.
    .venv/bin/guong check content || true
    # --dirty: after a save, only the pages the change affects are rebuilt (generator/build/preview_session.py).
    exec .venv/bin/mkdocs serve --dirty --dev-addr 127.0.0.1:8000
fi
.venv/bin/guong check content
.venv/bin/guong build
