#!/usr/bin/env bash
# Installs the Debian packages the tests need, only when they are missing.
set -euo pipefail
need=()
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
[ -n "$pg_bin" ] && [ -x "$pg_bin/initdb" ] || need+=(postgresql)
command -v pkg-config >/dev/null || need+=(pkg-config)
command -v openssl >/dev/null || need+=(openssl)  # the PostgreSQL test cluster's throw-away CA
command -v mvn >/dev/null || need+=(maven default-jdk-headless)
command -v ruby >/dev/null || need+=(ruby)
# Browser tests (desk web pages): Debian's Chromium and its driver, driven by playwright-core.
command -v chromium >/dev/null || need+=(chromium)
command -v chromedriver >/dev/null || need+=(chromium-driver)
command -v node >/dev/null || need+=(nodejs npm)
# The web core (scripts/build-web.sh): sqlite-wasm-rs compiles SQLite for wasm32 with clang (gcc
# has no wasm32 backend); its shim uses C23 attributes, which clang 14 (Debian's default) lacks.
command -v clang-19 >/dev/null || need+=(clang-19 llvm-19)
# Optional, not needed by the default build or the tests:
#   camera      `cargo build -p spur-cli --features camera` (nokhwa's V4L2 bindings are made by
#               bindgen at build time, which needs libclang)
#   card-photo  regenerating qr/tests/fixtures/card-photo-simulated.jpg (pdftoppm renders the
#               card's print PDF, see docs/decoding.md)
for extra in "$@"; do
  case "$extra" in
    camera) ls /usr/lib/llvm-*/lib/libclang*.so* >/dev/null 2>&1 || need+=(libclang-dev) ;;
    card-photo) command -v pdftoppm >/dev/null || need+=(poppler-utils) ;;
    *) echo "unknown extra: $extra (camera, card-photo)" >&2; exit 2 ;;
  esac
done
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
echo "packages ok"
