# shellcheck shell=bash
# Shared steps of the offline image scripts (build-test-images.sh,
# build-agent-image.sh, build-helm-agent-image.sh): they assemble a root
# filesystem from host files and `docker import` it, so no registry is needed.
# Source it after defining `log` and `fail`.

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Whether $1 is an executable that needs no dynamic loader (`ldd` fails on
# static executables), so it runs in an image without libc.
is_static() {
    [ -x "$1" ] && ! ldd "$1" >/dev/null 2>&1
}

busybox_path() {
    local candidate
    for candidate in /bin/busybox /usr/bin/busybox; do
        if is_static "$candidate"; then printf '%s\n' "$candidate"; return 0; fi
    done
    return 1
}

# Prints the path of a static busybox, installing Debian's busybox-static
# when there is none.
static_busybox() {
    local busybox
    if ! busybox="$(busybox_path)"; then
        log "installing busybox-static"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends busybox-static >&2
        busybox="$(busybox_path)" || fail "no static busybox after installing busybox-static"
    fi
    printf '%s\n' "$busybox"
}

# install_busybox <busybox> <rootfs> [applet...]: copies busybox to
# <rootfs>/bin and links the given applets to it, or every applet when none
# is given.
install_busybox() {
    local busybox="$1" rootfs="$2" applet
    shift 2
    mkdir -p "$rootfs/bin"
    cp "$busybox" "$rootfs/bin/busybox"
    if [ "$#" -eq 0 ]; then set -- $("$busybox" --list); fi
    for applet in "$@"; do
        [ -e "$rootfs/bin/$applet" ] || ln -s busybox "$rootfs/bin/$applet"
    done
}

# agent_binary <package>: $AGENT_BINARY when set, else a debug build of the
# workspace package (built now) under $CARGO_TARGET_DIR or target/.
agent_binary() {
    local package="$1" workspace agent
    workspace="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
    agent="${AGENT_BINARY:-}"
    if [ -z "$agent" ]; then
        log "cargo build -p $package"
        (cd "$workspace" && cargo build -q -p "$package" >&2)
        agent="${CARGO_TARGET_DIR:-$workspace/target}/debug/$package"
    fi
    [ -x "$agent" ] || fail "agent binary $agent not found"
    printf '%s\n' "$agent"
}

# copy_with_libraries <binary> <rootfs> <path-in-rootfs>: copies a
# dynamically linked binary and every library `ldd` names, with the loader,
# to the same paths inside the rootfs.
copy_with_libraries() {
    local binary="$1" rootfs="$2" target="$3" lib
    mkdir -p "$rootfs$(dirname "$target")"
    cp "$binary" "$rootfs$target"
    ldd "$binary" | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^\//) print $i }' | sort -u | while read -r lib; do
        mkdir -p "$rootfs$(dirname "$lib")"
        cp -L "$lib" "$rootfs$lib"
    done
}

# copy_ca_bundle <rootfs>: the host's CA certificates, for HTTPS to the Hub.
copy_ca_bundle() {
    [ -r /etc/ssl/certs/ca-certificates.crt ] || fail "no CA bundle at /etc/ssl/certs/ca-certificates.crt"
    mkdir -p "$1/etc/ssl/certs"
    cp -L /etc/ssl/certs/ca-certificates.crt "$1/etc/ssl/certs/ca-certificates.crt"
}
