#!/usr/bin/env bash
# The web check-in's figures (docs/performance.md, "Web"): builds the core as WebAssembly and the
# `spur` binary, then runs tests/browser/webapp.bench.mjs in Debian's headless Chromium against real
# servers on 127.0.0.1 and prints a Markdown table (SPUR_WEB_BENCH_RUNS runs each, default 3).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
bash scripts/build-web.sh
cargo build -p spur-cli --bin spur --quiet
if ! cmp -s tests/browser/package-lock.json tests/browser/node_modules/.spur-installed-lock 2>/dev/null; then
    npm ci --prefix tests/browser --no-audit --no-fund
    cp tests/browser/package-lock.json tests/browser/node_modules/.spur-installed-lock
fi
export SPUR_BIN="$root/target/debug/spur" SPUR_WEB_PKG="$root/target/web/pkg"
cd tests/browser
node webapp.bench.mjs
