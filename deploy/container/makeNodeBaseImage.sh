#!/usr/bin/env bash
# Makes a local stand-in for the public `node:20-bookworm-slim` image where no container registry is reachable
# (our development and CI machines): Debian bookworm from its apt mirror (debootstrap) plus this machine's Node 20,
# laid out as the official image lays it out (/usr/local/bin/node, npm, npx), trusting the CAs this machine trusts
# (behind a TLS-intercepting proxy, npm in the build stage needs them). Needs root, debootstrap and podman.
#   deploy/container/makeNodeBaseImage.sh [image name, default localhost/node:20-bookworm-slim]
set -euo pipefail
image="${1:-localhost/node:20-bookworm-slim}"
if podman image exists "$image"; then echo "$image exists"; exit 0; fi

node_bin="$(command -v node)"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
[ "$node_major" = 20 ] || { echo "this machine's node is $(node --version); the image needs Node 20" >&2; exit 1; }
npm_dir="$(dirname "$(readlink -f "$(command -v npm)")")/.."
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"

root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
debootstrap --variant=minbase bookworm "$root" "$mirror" >/dev/null
install -D -m 0755 "$node_bin" "$root/usr/local/bin/node"
mkdir -p "$root/usr/local/lib/node_modules"
cp -a "$(readlink -f "$npm_dir")" "$root/usr/local/lib/node_modules/npm"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
# The official image's unprivileged user.
chroot "$root" groupadd --gid 1000 node
chroot "$root" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
changes=(--change 'CMD ["node"]')
ca=/etc/ssl/certs/ca-certificates.crt
if [ -f "$ca" ]; then
  install -D -m 0644 "$ca" "$root$ca"
  changes+=(--change "ENV NODE_EXTRA_CA_CERTS=$ca")
fi
rm -rf "$root/var/cache/apt/archives"/*.deb "$root/var/lib/apt/lists"/*
tar -C "$root" -c . | podman import "${changes[@]}" - "$image" >/dev/null
echo "$image made from Debian bookworm and node $(node --version)"
