#!/usr/bin/env bash
# `npm test`: everything, from a fresh clone on a fresh machine. Installs what is missing (the
# browsers from Debian's packages when running as root, node_modules with `npm ci`), then runs
# typecheck, lint, the extension build, and the three test levels (unit, server, e2e).
set -euo pipefail
cd "$(dirname "$0")/.."
export PUPPETEER_SKIP_DOWNLOAD=true

bash scripts/ensure-system.sh

if [ ! -d node_modules ]; then
  echo "== npm ci"
  npm ci --no-audit --no-fund
fi

echo "== typecheck"
npx tsc -p .
echo "== lint"
npx eslint .
echo "== build"
npm run build
echo "== tests"
npx vitest run
