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

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

is_static() {
    # `ldd` fails on static executables.
    [ -x "$1" ] && ! ldd "$1" >/dev/null 2>&1
}

busybox_path() {
    local candidate
    for candidate in /bin/busybox /usr/bin/busybox; do
        if is_static "$candidate"; then printf '%s\n' "$candidate"; return 0; fi
    done
    return 1
}

command -v docker >/dev/null 2>&1 || fail "the docker CLI is not installed"
helm="${HELM_BINARY:-$(command -v helm || true)}"
[ -n "$helm" ] || fail "no helm on PATH (run scripts/setup-test-env.sh)"
is_static "$helm" || fail "$helm is dynamically linked; a static helm is needed"
"$helm" version --short | grep -q '^v3\.' || fail "$helm is not Helm 3"
[ -r /etc/ssl/certs/ca-certificates.crt ] || fail "no CA bundle at /etc/ssl/certs/ca-certificates.crt"

if ! busybox="$(busybox_path)"; then
    log "installing busybox-static"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends busybox-static >&2
    busybox="$(busybox_path)" || fail "no static busybox after installing busybox-static"
fi

agent="${AGENT_BINARY:-}"
if [ -z "$agent" ]; then
    log "cargo build -p distr-helm-agent"
    (cd "$WORKSPACE" && cargo build -q -p distr-helm-agent >&2)
    agent="${CARGO_TARGET_DIR:-$WORKSPACE/target}/debug/distr-helm-agent"
fi
[ -x "$agent" ] || fail "agent binary $agent not found"

rootfs="$(mktemp -d)"
trap 'rm -rf "$rootfs"' EXIT
mkdir -p "$rootfs"/{bin,etc/ssl/certs,tmp,home/distr,scratch,usr/local/bin}
chmod 1777 "$rootfs/tmp"

cp "$busybox" "$rootfs/bin/busybox"
for applet in $("$busybox" --list); do
    [ -e "$rootfs/bin/$applet" ] || ln -s busybox "$rootfs/bin/$applet"
done

cp "$helm" "$rootfs/usr/local/bin/helm"
cp "$agent" "$rootfs/usr/local/bin/distr-helm-agent"
# The agent links glibc dynamically: copy every library ldd names, and the
# loader, to the same paths.
ldd "$agent" | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^\//) print $i }' | sort -u | while read -r lib; do
    mkdir -p "$rootfs$(dirname "$lib")"
    cp -L "$lib" "$rootfs$lib"
done

cp -L /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/ca-certificates.crt"
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
