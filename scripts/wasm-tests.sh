#!/usr/bin/env bash
# The web core's own tests in WebAssembly under Node (wasm-bindgen-test-runner, which comes with
# the wasm-bindgen CLI that scripts/build-web.sh installs): the protocol's committed test vectors
# derived and opened in wasm32 (web/tests/vectors.rs), then a Node smoke of the built bundle
# (web/tests/smoke.mjs: the module loads, the facade opens, reads a code and says its words).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

bash scripts/build-web.sh
export CC_wasm32_unknown_unknown=$(command -v clang-19 || command -v clang-18 || command -v clang-16)
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER="$root/target/tools/bin/wasm-bindgen-test-runner"
# The vectors derive Argon2id at the real cost: the release profile keeps that to seconds.
cargo test --locked -p spur-web --target wasm32-unknown-unknown --release --tests

node --test web/tests/smoke.mjs
