#!/usr/bin/env bash
# The accessibility audit runs axe-core (from the npm registry) inside the test browser.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -f node_modules/axe-core/axe.min.js ]; then exit 0; fi
if command -v npm >/dev/null; then
  npm install --silent --no-audit --no-fund --no-save axe-core@4 >/dev/null
  exit 0
fi
echo "The accessibility tests need npm (to install axe-core): install Node.js and npm." >&2
exit 1
