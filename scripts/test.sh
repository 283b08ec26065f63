#!/usr/bin/env bash
# Runs every check CI runs, in the order CI runs them: machine set-up
# (scripts/setup-test-env.sh: PostgreSQL binaries, compose plugin, test
# images), formatting, clippy with warnings denied, then the whole test suite
# including doc tests.
#
# The suite runs under `cargo test`, not nextest, on purpose: the real-Docker
# tests serialise on in-process locks, and the PostgreSQL tests start one
# throwaway cluster per test process. Both rely on every test of a binary
# sharing one process, which nextest's process-per-test model breaks.
# TEST_RUNNER=nextest opts in anyway (for example to run a fast subset).
#
# Environment:
#   TEST_RUNNER            `cargo` (default) or `nextest`
#   DISTR_REQUIRE_DOCKER   1: a missing Docker Engine fails tests instead of skipping them
#   DISTR_SWARM_TESTS      1: also run the tests that `docker swarm init` the engine
#   DISTR_REQUIRE_BROWSER  1: missing Chromium fails the portal browser tests instead of skipping them
#   PG_TEST_URL            use this PostgreSQL server instead of a throwaway cluster
#   SKIP_SCHEMATHESIS      1: skip the schemathesis run (scripts/schemathesis.sh)
set -euo pipefail

cd "$(dirname "$0")/.."

step() {
    local name="$1"
    shift
    printf '\n==> %s\n' "$name"
    local start=$SECONDS
    "$@"
    printf '==> %s: ok (%ss)\n' "$name" "$((SECONDS - start))"
}

# One command does all set-up: the environment script is idempotent and
# quick once everything is in place. SKIP_SETUP=1 skips it.
if [ "${SKIP_SETUP:-0}" != "1" ]; then
    scripts/setup-test-env.sh
fi

export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-auto}"
export RUST_BACKTRACE="${RUST_BACKTRACE:-1}"

step "cargo fmt --check" cargo fmt --all -- --check
step "cargo clippy" cargo clippy --workspace --all-targets -- -D warnings

case "${TEST_RUNNER:-cargo}" in
    cargo)
        step "cargo test" cargo test --workspace --no-fail-fast
        ;;
    nextest)
        step "cargo nextest run" cargo nextest run --workspace --no-fail-fast
        step "doc tests" cargo test --workspace --doc
        ;;
    *)
        printf 'unknown TEST_RUNNER %s (use cargo or nextest)\n' "$TEST_RUNNER" >&2
        exit 2
        ;;
esac

if [ "${SKIP_SCHEMATHESIS:-0}" != "1" ]; then
    step "schemathesis" scripts/schemathesis.sh
fi

printf '\nAll checks passed.\n'
