#!/usr/bin/env bash
# Builds the tiny offline test image `distr-test/busybox:latest` (busybox-static
# plus symlinks, `docker import`ed; no registry needed). Idempotent: does
# nothing when the image exists. Safe to run concurrently (flock). Used by the
# real-Docker tests of distr-docker-cli and by later end-to-end tests.
#
# Environment:
#   TEST_IMAGE  image reference to build (default distr-test/busybox:latest)
set -euo pipefail

IMAGE="${TEST_IMAGE:-distr-test/busybox:latest}"
APPLETS=(sh sleep httpd true cat env wget echo ls mkdir rm printf test)

log() { printf '[build-test-images] %s\n' "$*" >&2; }
fail() { printf '[build-test-images] ERROR: %s\n' "$*" >&2; exit 1; }

# shellcheck source=lib/rootfs.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/rootfs.sh"

command -v docker >/dev/null 2>&1 || fail "the docker CLI is not installed"

exec 9>"${TMPDIR:-/tmp}/distr-build-test-images.lock"
flock 9

if docker image inspect "$IMAGE" >/dev/null 2>&1; then
    log "$IMAGE: present"
    exit 0
fi

busybox="$(static_busybox)"

rootfs="$(mktemp -d)"
trap 'rm -rf "$rootfs"' EXIT
mkdir -p "$rootfs/bin" "$rootfs/tmp" "$rootfs/etc" "$rootfs/var/www"
install_busybox "$busybox" "$rootfs" "${APPLETS[@]}"
chmod 1777 "$rootfs/tmp"
printf 'root:x:0:0:root:/:/bin/sh\n' >"$rootfs/etc/passwd"
printf 'root:x:0:\n' >"$rootfs/etc/group"

tar -C "$rootfs" -c . | docker import \
    --change 'ENV PATH=/bin' \
    --change 'CMD ["/bin/sh"]' \
    - "$IMAGE" >/dev/null
log "$IMAGE: built from $busybox"
