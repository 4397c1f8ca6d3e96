#!/usr/bin/env bash
# make bench measures the day page on a phone with Lighthouse (from the npm registry), run
# against Debian's Chromium. Only the bench needs it, so make test does not install it.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -x node_modules/.bin/lighthouse ]; then exit 0; fi
if command -v npm >/dev/null; then
  npm install --silent --no-audit --no-fund --no-save lighthouse@12.2.3 >/dev/null
  exit 0
fi
echo "make bench needs npm (to install Lighthouse): install Node.js and npm." >&2
exit 1
