#!/usr/bin/env bash
# Assembles the docker-agent image offline (no registry, nothing pulled) and
# `docker import`s it as <repository>:<tag>. The rootfs holds busybox-static
# (sh and applets), the static docker CLI, the static Compose v2 plugin, the
# agent binary with its glibc libraries and loader, CA certificates and
# /usr/local/bin/docker-entrypoint.sh (AP §4.4). The published image is built
# from images/docker-agent/Dockerfile instead; see docs/docker-agent.md.
#
# Usage: scripts/build-agent-image.sh <tag>
#
# Environment:
#   AGENT_IMAGE_REPOSITORY  repository (default distr-test/docker-agent)
#   AGENT_VERSION_NAME      baked in as DISTR_AGENT_VERSION_NAME (default <tag>)
#   AGENT_BINARY            a built agent binary; default: `cargo build -p
#                           distr-docker-agent` and $CARGO_TARGET_DIR/debug/…
#   CARGO_TARGET_DIR        cargo's target directory (default <workspace>/target)
set -euo pipefail

log() { printf '[build-agent-image] %s\n' "$*" >&2; }
fail() { printf '[build-agent-image] ERROR: %s\n' "$*" >&2; exit 1; }

[ "$#" -eq 1 ] && [ -n "$1" ] || fail "usage: $0 <tag>"
TAG="$1"
REPOSITORY="${AGENT_IMAGE_REPOSITORY:-distr-test/docker-agent}"
VERSION_NAME="${AGENT_VERSION_NAME:-$TAG}"
WORKSPACE="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ENTRYPOINT_SCRIPT="$WORKSPACE/images/docker-agent/docker-entrypoint.sh"
# shellcheck source=lib/rootfs.sh
. "$WORKSPACE/scripts/lib/rootfs.sh"


compose_plugin_path() {
    local dir
    for dir in "${DOCKER_CONFIG:-$HOME/.docker}/cli-plugins" /usr/local/lib/docker/cli-plugins \
        /usr/local/libexec/docker/cli-plugins /usr/lib/docker/cli-plugins /usr/libexec/docker/cli-plugins; do
        if [ -x "$dir/docker-compose" ]; then printf '%s\n' "$dir/docker-compose"; return 0; fi
    done
    return 1
}

command -v docker >/dev/null 2>&1 || fail "the docker CLI is not installed"
docker_cli="$(command -v docker)"
is_static "$docker_cli" || fail "$docker_cli is dynamically linked; a static docker CLI is needed"
compose_plugin="$(compose_plugin_path)" || fail "no docker-compose CLI plugin found (run scripts/setup-test-env.sh)"
is_static "$compose_plugin" || fail "$compose_plugin is dynamically linked"
busybox="$(static_busybox)"
agent="$(agent_binary distr-docker-agent)"



rootfs="$(mktemp -d)"
trap 'rm -rf "$rootfs"' EXIT
mkdir -p "$rootfs"/{bin,etc/ssl/certs,tmp,root,scratch,usr/local/bin,usr/local/libexec/docker/cli-plugins}
chmod 1777 "$rootfs/tmp"

install_busybox "$busybox" "$rootfs"

cp "$docker_cli" "$rootfs/usr/local/bin/docker"
cp "$compose_plugin" "$rootfs/usr/local/libexec/docker/cli-plugins/docker-compose"
# Also where the CLI looks first; a hard link costs nothing in the layer. The
# connect manifest mounts the host's ~/.docker over /root/.docker, so the
# libexec copy is the one that always works.
mkdir -p "$rootfs/root/.docker/cli-plugins"
ln "$rootfs/usr/local/libexec/docker/cli-plugins/docker-compose" "$rootfs/root/.docker/cli-plugins/docker-compose"

# The agent links glibc dynamically.
copy_with_libraries "$agent" "$rootfs" /usr/local/bin/distr-docker-agent
copy_ca_bundle "$rootfs"
install -m 0755 "$ENTRYPOINT_SCRIPT" "$rootfs/usr/local/bin/docker-entrypoint.sh"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$rootfs/etc/passwd"
printf 'root:x:0:\n' >"$rootfs/etc/group"
printf 'hosts: files dns\n' >"$rootfs/etc/nsswitch.conf"

tar -C "$rootfs" -c . | docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt' \
    --change "ENV DISTR_AGENT_VERSION_NAME=$VERSION_NAME" \
    --change 'USER root' \
    --change 'WORKDIR /' \
    --change 'ENTRYPOINT ["/usr/local/bin/distr-docker-agent"]' \
    --change "LABEL org.opencontainers.image.version=$VERSION_NAME" \
    - "$REPOSITORY:$TAG" >/dev/null
log "$REPOSITORY:$TAG built (version name $VERSION_NAME, agent $agent)"
