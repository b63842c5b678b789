#!/usr/bin/env bash
# Stops, by the PIDs it recorded, what scripts/stack-up.sh started: the stand-in (which removes its task
# containers), PostgreSQL (and its cluster), the registry (and its temp storage), and dockerd if stack-up
# started it.
set -uo pipefail
cd "$(dirname "$0")/.."
STATE=$PWD/.stack
[ -d "$STATE/pids" ] || exit 0
exec 9>"$STATE/stack.lock"
flock 9

stop_pid_file() { # name [signal]
  local file=$STATE/pids/$1.pid signal=${2:-TERM}
  [ -f "$file" ] || return 0
  local pid
  pid=$(cat "$file")
  if kill -0 "$pid" 2>/dev/null; then
    echo "stack: stopping $1 (pid $pid)" >&2
    kill -"$signal" "$pid" 2>/dev/null
    for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  fi
  rm -f "$file"
}

stop_pid_file local-aws
# (The lock is taken by stack-up; daemons it starts close fd 9 so they never hold it.)
# Containers the stand-in labelled as its own, should it have died without cleaning up.
if [ -x /usr/bin/docker ] && /usr/bin/docker info >/dev/null 2>&1; then
  ids=$(/usr/bin/docker ps -aq --filter label=shipkit.local-aws)
  [ -n "$ids" ] && /usr/bin/docker rm -f $ids >/dev/null
fi
# PostgreSQL: SIGINT is its fast shutdown (SIGTERM would wait for every client to disconnect).
stop_pid_file postgres INT
if [ -f "$STATE/postgres-data" ]; then
  rm -rf "$(cat "$STATE/postgres-data")" "$STATE/postgres-data" "$STATE/postgres-port" "$STATE/postgres-password"
fi
stop_pid_file registry
if [ -f "$STATE/registry-data" ]; then
  rm -rf "$(cat "$STATE/registry-data")" "$STATE/registry-data"
fi
stop_pid_file dockerd
rm -f "$STATE/env"
