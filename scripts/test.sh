#!/usr/bin/env bash
# Runs every test suite of spur. Installs what it needs (Debian packages, PostgreSQL) by itself,
# so it works the same on a fresh machine and in CI.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

step() { printf '\n==> %s\n' "$*"; }

step "system packages"
bash scripts/ensure-packages.sh

step "formatting (cargo fmt --check)"
cargo fmt --all -- --check

step "lints (cargo clippy --all-targets -D warnings)"
cargo clippy --workspace --all-targets -- -D warnings

step "licences, bans and sources (cargo deny, offline: no advisory database is fetched)"
# deny.toml says what is allowed. cargo-deny is installed once per machine, at a pinned version
# with its own lockfile, and only when that version is missing: a warm machine pays nothing, a
# cold install compiles it from source. `--debug` skips cargo-deny's release LTO: the install is
# about twice as fast (242 s against 536 s optimised, 2-core dev machine at load 7-9) and the
# check itself still takes seconds.
deny_version=0.20.2
if [ "$(cargo deny --version 2>/dev/null)" != "cargo-deny $deny_version" ]; then
    cargo install --locked --debug cargo-deny --version "$deny_version"
fi
# The offline check reads `cargo metadata` for every target, so the crates only the wasm32 build
# uses (wasm-bindgen-test and its dependencies) must be in the cache even when nothing built them
# yet on this machine: `cargo fetch` downloads what is missing, from the lockfile only.
cargo fetch --locked
cargo deny --locked --offline check licenses bans sources

step "MSRV: the workspace builds with the Rust version Cargo.toml declares"
# rust-version (workspace.package, inherited by every member) is a promise; this keeps it true.
msrv=$(sed -n 's/^rust-version = "\(.*\)"/\1/p' Cargo.toml)
rustup toolchain list | grep -q "^$msrv-" || rustup toolchain install "$msrv" --profile minimal
cargo "+$msrv" check --workspace --all-targets --quiet

step "PostgreSQL on 127.0.0.1 for the scale-path tests"
# shellcheck source=scripts/postgres.sh
source scripts/postgres.sh
pg_start "$root/target/pg-test"
trap pg_stop EXIT
# The PostgreSQL tests fail (rather than skip) when the database is missing here.
export SPUR_REQUIRE_POSTGRES=1

step "Rust tests (SQLite and PostgreSQL)"
cargo test --workspace

step "Kotlin binding tests of the app core (real library, real servers on 127.0.0.1)"
bash scripts/kotlin-tests.sh

step "Android shell: Maven host build, Robolectric screen tests with the real core"
bash scripts/android-tests.sh

step "web core in WebAssembly (protocol vectors in wasm32, Node smoke of the bundle)"
bash scripts/wasm-tests.sh

step "browser tests (headless Debian Chromium, playwright-core, axe-core)"
bash scripts/browser-tests.sh

step "fastlane: Fastfile syntax"
ruby -c fastlane/Fastfile

step "short fuzz run of every parser"
bash scripts/fuzz.sh 20

echo
echo "all suites passed"
