#!/usr/bin/env bash
# Kotlin binding tests of spur-core on the host JVM: builds libspur_core.so, generates the Kotlin
# bindings with the workspace bindgen, starts real TAG and POST servers on 127.0.0.1
# (core/examples/dev_servers.rs, through the spur-server library), and runs the Maven project in
# tests/kotlin against both. Maven fetches its plugins and libraries from Maven Central itself.
# Honours CARGO_TARGET_DIR (default: target/).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
target=${CARGO_TARGET_DIR:-$root/target}
case "$target" in /*) ;; *) target="$root/$target" ;; esac
export CARGO_TARGET_DIR="$target"

command -v mvn >/dev/null || { echo "kotlin-tests: maven is missing (scripts/ensure-packages.sh installs it)" >&2; exit 1; }

echo "kotlin-tests: building libspur_core.so and the Kotlin bindings"
bash scripts/bindings.sh "$target/bindings" >/dev/null
cargo build -q -p spur-core --example dev_servers

work=$(mktemp -d)
fifo="$work/stdin"
mkfifo "$fifo"
"$target/debug/examples/dev_servers" <"$fifo" >"$work/servers.json" 2>"$work/servers.log" &
servers=$!
exec 3>"$fifo" # keeps the servers' stdin open; closing it stops them
cleanup() {
  exec 3>&- || true
  wait "$servers" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

for _ in $(seq 100); do
  [ -s "$work/servers.json" ] && break
  kill -0 "$servers" 2>/dev/null || { cat "$work/servers.log" >&2; exit 1; }
  sleep 0.1
done
[ -s "$work/servers.json" ] || { echo "kotlin-tests: servers did not start" >&2; exit 1; }

props=$(python3 - "$work/servers.json" <<'PY'
import json, shlex, sys
c = json.loads(open(sys.argv[1]).readline())
names = {"host": "spur.host", "tag_url": "spur.tagUrl", "post_url": "spur.postUrl",
         "op_public_key": "spur.opKey", "directory_root_key": "spur.rootKey",
         "consent_url": "spur.consentUrl", "forged_consent_url": "spur.forgedConsentUrl"}
print(" ".join(shlex.quote(f"-D{p}={c[k]}") for k, p in names.items()))
PY
)

echo "kotlin-tests: running the scenario (servers at $(python3 -c 'import json,sys;c=json.load(open(sys.argv[1]));print(c["tag_url"], c["post_url"])' "$work/servers.json"))"
# SPUR_TEST_KDF=1: the cheap test cost of Argon2id, honoured only by this debug build of the
# library (release builds cannot select it; see core/src/ffi/host.rs).
eval SPUR_TEST_KDF=1 mvn -q -B -f tests/kotlin/pom.xml test \
  "-Dbindings.dir=$target/bindings/kotlin" "-Dlib.dir=$target/debug" "$props"
echo "kotlin-tests: passed"
