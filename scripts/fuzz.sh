#!/usr/bin/env bash
# Runs every cargo-fuzz target for a few seconds each (argument: seconds per target).
# cargo fuzz needs a nightly toolchain; it is installed if missing, and where that fails this
# says so and skips,
# and docs/protocol.md records the command and the last longer run.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-20}
if ! rustup toolchain list 2>/dev/null | grep -q nightly; then
  # A fresh machine: try to fetch nightly (minimal profile) before giving up.
  timeout 600 rustup toolchain install nightly --profile minimal >/dev/null 2>&1 || true
fi
if ! rustup toolchain list 2>/dev/null | grep -q nightly; then
  echo "SKIPPED: no nightly toolchain on this machine, so no cargo fuzz run here"
  exit 0
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  cargo +nightly install cargo-fuzz --locked --quiet
fi
[ -d fuzz ] || { echo "no fuzz targets yet"; exit 0; }
for t in $(cargo +nightly fuzz list); do
  echo "fuzzing $t for ${secs}s"
  cargo +nightly fuzz run "$t" -- -max_total_time="$secs" -rss_limit_mb=2048 2>&1 | tail -n 2
done
