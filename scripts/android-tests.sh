#!/usr/bin/env bash
# Compiles the Android shell's Kotlin sources with Maven against the Android framework jar
# (org.robolectric:android-all) and the generated Kotlin bindings, and runs the Robolectric
# screen tests on this JVM with the real libspur_core.so and real servers from the spur binary.
# Screenshots go to docs/images/android-*.png. Fails when the build or a test fails.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
target=${CARGO_TARGET_DIR:-$root/target}
case "$target" in /*) ;; *) target="$root/$target" ;; esac
export CARGO_TARGET_DIR=$target
command -v mvn >/dev/null || { echo "android-tests: maven is missing (scripts/ensure-packages.sh installs it)" >&2; exit 1; }

echo "building the spur binary (servers, vault, authority desk for the tests; target dir $target)"
cargo build -q -p spur-cli
echo "building libspur_core.so and generating the Kotlin bindings (scripts/bindings.sh)"
bindings="$target/bindings"
bash scripts/bindings.sh "$bindings" >/dev/null

echo "Maven: compile the shell and run the Robolectric screen tests"
cd android/host
# SPUR_TEST_KDF=1: the cheap Argon2id cost, honoured only by this debug build of the library
# (release builds cannot select it; see core/src/ffi/host.rs).
SPUR_TEST_KDF=1 mvn -q -B test \
  -Dspur.bindings.dir="$bindings/kotlin" \
  -Dspur.lib.dir="$target/debug" \
  -Dspur.bin="$target/debug/spur" \
  -Dspur.screenshots.dir="$root/docs/images"
echo "android shell: screen tests passed"
