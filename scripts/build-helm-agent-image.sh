#!/usr/bin/env bash
# Assembles the Kubernetes (helm) agent image offline (no registry, nothing
# pulled) and `docker import`s it as <repository>:<tag>. The rootfs holds
# busybox-static (sh and applets), the static helm 3 binary, the agent
# binary with its glibc libraries and loader, and CA certificates. The agent
# runs as the numeric non-root user 65532 (`distr`), whose home and the
# scratch directory (Helm's cache and config) are the only writable paths it
# needs. The published image is built from images/helm-agent/Dockerfile
# instead; see docs/helm-agent.md.
#
# Usage: scripts/build-helm-agent-image.sh <tag>
#
# Environment:
#   AGENT_IMAGE_REPOSITORY  repository (default distr-test/kubernetes-agent)
#   AGENT_VERSION_NAME      baked in as DISTR_AGENT_VERSION_NAME (default <tag>)
#   AGENT_BINARY            a built agent binary; default: `cargo build -p
#                           distr-helm-agent` and $CARGO_TARGET_DIR/debug/…
#   HELM_BINARY             a static helm 3 binary (default: `helm` on PATH;
#                           scripts/setup-test-env.sh installs one)
#   CARGO_TARGET_DIR        cargo's target directory (default <workspace>/target)
set -euo pipefail

log() { printf '[build-helm-agent-image] %s\n' "$*" >&2; }
fail() { printf '[build-helm-agent-image] ERROR: %s\n' "$*" >&2; exit 1; }

[ "$#" -eq 1 ] && [ -n "$1" ] || fail "usage: $0 <tag>"
TAG="$1"
REPOSITORY="${AGENT_IMAGE_REPOSITORY:-distr-test/kubernetes-agent}"
VERSION_NAME="${AGENT_VERSION_NAME:-$TAG}"
WORKSPACE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
AGENT_UID=65532
# shellcheck source=lib/rootfs.sh
. "$WORKSPACE/scripts/lib/rootfs.sh"


command -v docker >/dev/null 2>&1 || fail "the docker CLI is not installed"
helm="${HELM_BINARY:-$(command -v helm || true)}"
[ -n "$helm" ] || fail "no helm on PATH (run scripts/setup-test-env.sh)"
is_static "$helm" || fail "$helm is dynamically linked; a static helm is needed"
"$helm" version --short | grep -q '^v3\.' || fail "$helm is not Helm 3"
busybox="$(static_busybox)"
agent="$(agent_binary distr-helm-agent)"



rootfs="$(mktemp -d)"
trap 'rm -rf "$rootfs"' EXIT
mkdir -p "$rootfs"/{bin,etc/ssl/certs,tmp,home/distr,scratch,usr/local/bin}
chmod 1777 "$rootfs/tmp"

install_busybox "$busybox" "$rootfs"

cp "$helm" "$rootfs/usr/local/bin/helm"
# The agent links glibc dynamically.
copy_with_libraries "$agent" "$rootfs" /usr/local/bin/distr-helm-agent
copy_ca_bundle "$rootfs"
printf 'root:x:0:0:root:/root:/bin/sh\ndistr:x:%s:%s:distr:/home/distr:/bin/sh\n' "$AGENT_UID" "$AGENT_UID" >"$rootfs/etc/passwd"
printf 'root:x:0:\ndistr:x:%s:\n' "$AGENT_UID" >"$rootfs/etc/group"
printf 'hosts: files dns\n' >"$rootfs/etc/nsswitch.conf"

# Only the home and scratch directories belong to the agent's user.
tar -C "$rootfs" --numeric-owner --owner=0 --group=0 --exclude=./home/distr --exclude=./scratch -cf "$rootfs.tar" .
tar -C "$rootfs" --numeric-owner --owner="$AGENT_UID" --group="$AGENT_UID" -rf "$rootfs.tar" ./home/distr ./scratch
trap 'rm -rf "$rootfs" "$rootfs.tar"' EXIT

docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt' \
    --change 'ENV HOME=/home/distr' \
    --change 'ENV DISTR_AGENT_SCRATCH_DIR=/scratch' \
    --change "ENV DISTR_AGENT_VERSION_NAME=$VERSION_NAME" \
    --change "USER $AGENT_UID:$AGENT_UID" \
    --change 'WORKDIR /home/distr' \
    --change 'ENTRYPOINT ["/usr/local/bin/distr-helm-agent"]' \
    --change "LABEL org.opencontainers.image.version=$VERSION_NAME" \
    "$rootfs.tar" "$REPOSITORY:$TAG" >/dev/null
log "$REPOSITORY:$TAG built (version name $VERSION_NAME, agent $agent, $("$helm" version --short))"
