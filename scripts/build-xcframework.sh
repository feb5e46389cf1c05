#!/usr/bin/env bash
# Builds the core for iOS devices and simulators, generates the Swift bindings into
# ios/Sources/SpurCore, and wraps the static libraries into ios/build/SpurCoreFFI.xcframework.
# Needs macOS with Xcode; unbuilt on the Linux dev machine (see ios/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
target=${CARGO_TARGET_DIR:-$root/target}
out="$root/ios/build"
generated="$out/generated"

rustup target add aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios
# core/Cargo.toml names cdylib (for Android and the JVM tests); iOS links a static library, asked
# for here without changing the crate.
for t in aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios; do
  cargo rustc --release -p spur-core --lib --target "$t" --crate-type staticlib
done

# Swift bindings from the host build (library mode reads the same metadata).
cargo build -p spur-core --features bindgen --bin uniffi-bindgen
config=()
[ -f uniffi.toml ] && config=(--config uniffi.toml)
rm -rf "$generated"
"$target/debug/uniffi-bindgen" generate --language swift "${config[@]}" --out-dir "$generated" \
  "$target/aarch64-apple-ios/release/libspur_core.a"
cp "$generated"/*.swift ios/Sources/SpurCore/
mkdir -p "$generated/headers"
cp "$generated"/*.h "$generated/headers/"
cat "$generated"/*.modulemap > "$generated/headers/module.modulemap"

# One simulator library for both simulator architectures.
mkdir -p "$out/sim"
lipo -create "$target/aarch64-apple-ios-sim/release/libspur_core.a" "$target/x86_64-apple-ios/release/libspur_core.a" \
  -output "$out/sim/libspur_core.a"

rm -rf "$out/SpurCoreFFI.xcframework"
xcodebuild -create-xcframework \
  -library "$target/aarch64-apple-ios/release/libspur_core.a" -headers "$generated/headers" \
  -library "$out/sim/libspur_core.a" -headers "$generated/headers" \
  -output "$out/SpurCoreFFI.xcframework"
echo "wrote $out/SpurCoreFFI.xcframework and ios/Sources/SpurCore/*.swift"
