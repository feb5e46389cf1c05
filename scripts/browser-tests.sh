#!/usr/bin/env bash
# Browser tests: installs their npm packages from the lockfile (playwright-core, axe-core), builds the
# core as WebAssembly (scripts/build-web.sh) and the `spur` binary they start, and runs every tests/browser/*.test.mjs in Debian's headless Chromium.
# Chromium and its driver come from scripts/ensure-packages.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
command -v chromium >/dev/null || { echo "chromium is missing: run scripts/ensure-packages.sh" >&2; exit 1; }
# npm ci only when the lockfile changed since the last install (a warm machine pays nothing).
if ! cmp -s tests/browser/package-lock.json tests/browser/node_modules/.spur-installed-lock 2>/dev/null; then
    npm ci --prefix tests/browser --no-audit --no-fund
    cp tests/browser/package-lock.json tests/browser/node_modules/.spur-installed-lock
fi
# The core as WebAssembly (target/web/pkg) for the web check-in's tests (webapp*.test.mjs).
bash scripts/build-web.sh
# The same debug build the Rust tests made: no second feature set, no rebuild.
cargo build -p spur-cli --bin spur --quiet
export SPUR_BIN="$root/target/debug/spur"
export SPUR_WEB_PKG="$root/target/web/pkg"
cd tests/browser
node --test --test-concurrency=1 ./*.test.mjs
