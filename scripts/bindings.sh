#!/usr/bin/env bash
# Generates the Kotlin and Swift bindings of spur-core from the built library with the
# workspace's own bindgen (core/src/bin/uniffi-bindgen.rs). Generated files are never edited
# by hand. Usage: scripts/bindings.sh [OUT_DIR]   (default: target/bindings)
set -euo pipefail
cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-target}
out=${1:-$target/bindings}
cargo build -p spur-core --lib
lib="$target/debug/libspur_core.so"
[ -f "$lib" ] || { echo "bindings: $lib was not built" >&2; exit 1; }
for lang in kotlin swift; do
  rm -rf "$out/$lang"
  cargo run -q -p spur-core --features bindgen --bin uniffi-bindgen -- \
    generate --language "$lang" --config uniffi.toml --out-dir "$out/$lang" "$lib"
done
echo "bindings in $out/kotlin and $out/swift"
