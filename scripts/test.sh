#!/usr/bin/env bash
# Runs every check CI runs, in the order CI runs them: formatting, clippy
# with warnings denied, then the whole test suite (nextest when installed,
# plus doc tests, which nextest does not run). Run scripts/setup-test-env.sh
# once first so the PostgreSQL and Docker tiers have what they need.
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

export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-auto}"
export RUST_BACKTRACE="${RUST_BACKTRACE:-1}"

step "cargo fmt --check" cargo fmt --all -- --check
step "cargo clippy" cargo clippy --workspace --all-targets -- -D warnings

if cargo nextest --version >/dev/null 2>&1; then
    step "cargo nextest run" cargo nextest run --workspace --no-fail-fast
    step "doc tests" cargo test --workspace --doc
else
    printf '\n(cargo-nextest not installed; using cargo test)\n'
    step "cargo test" cargo test --workspace --no-fail-fast
fi

printf '\nAll checks passed.\n'
