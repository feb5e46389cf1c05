#!/usr/bin/env bash
# Builds the web core: spur-web for wasm32-unknown-unknown, bound by wasm-bindgen (`--target
# web`, an ES module) into target/web/pkg/. Installs what it needs only when it is missing (the
# wasm target, wasm-bindgen-cli at exactly the version of the wasm-bindgen crate in Cargo.lock,
# under target/tools), so a warm run only rebuilds what changed. Prints the bundle's size.
#
# Profile: `release` (opt-level 3, thin LTO, as the native release): the page decodes camera
# frames and derives Argon2id keys in it, where speed matters more than the last kilobytes; the
# size is printed on every build and recorded in docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

rustup target list --installed | grep -qx wasm32-unknown-unknown ||
    timeout 1200 rustup target add wasm32-unknown-unknown

# sqlite-wasm-rs compiles SQLite with clang (its shim needs C23 attributes: clang 16 or newer).
cc=$(command -v clang-19 || command -v clang-18 || command -v clang-16 || true)
if [ -z "$cc" ]; then
    bash scripts/ensure-packages.sh >/dev/null
    cc=$(command -v clang-19)
fi
export CC_wasm32_unknown_unknown="$cc"
ar=$(command -v llvm-ar-19 || command -v llvm-ar || true)
[ -n "$ar" ] && export AR_wasm32_unknown_unknown="$ar"

version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)
[ -n "$version" ] || { echo "wasm-bindgen not in Cargo.lock" >&2; exit 1; }
tools="$root/target/tools"
bindgen="$tools/bin/wasm-bindgen"
if [ "$("$bindgen" --version 2>/dev/null)" != "wasm-bindgen $version" ]; then
    # --locked first (the CLI's own lockfile); a registry that lacks one of its locked versions
    # (webpki-roots 1.0.11 here) gets the newest compatible ones instead.
    cargo install --locked --version "$version" --root "$tools" wasm-bindgen-cli ||
        cargo install --version "$version" --root "$tools" wasm-bindgen-cli
fi

cargo build --locked -p spur-web --target wasm32-unknown-unknown --release
out="$root/target/web/pkg"
mkdir -p "$out"
"$bindgen" --target web --out-dir "$out" --out-name spur_web \
    target/wasm32-unknown-unknown/release/spur_web.wasm

wasm="$out/spur_web_bg.wasm"
raw=$(stat -c %s "$wasm")
gz=$(gzip -9 -c "$wasm" | wc -c)
echo "web bundle: $wasm $raw bytes raw, $gz bytes gzip -9 (wasm-bindgen $version)"
