#!/usr/bin/env bash
# Builds libspur_core.so for the phone ABIs with cargo-ndk into app/src/main/jniLibs, and the
# Kotlin bindings for the Gradle build (from the root uniffi.toml, as the JVM tests use them). Needs the Android NDK and
# `cargo install cargo-ndk`; unbuilt on the dev machine (no NDK there).
set -euo pipefail
cd "$(dirname "$0")/.."
targets=(aarch64-linux-android armv7-linux-androideabi x86_64-linux-android)
rustup target add "${targets[@]}"
cargo ndk -t arm64-v8a -t armeabi-v7a -t x86_64 -o android/app/src/main/jniLibs build --release -p spur-core
# Bindings are generated from the host build of the same code (library mode reads its metadata).
cargo build -p spur-core
bash scripts/bindings.sh
