#!/usr/bin/env bash
# Boots an Android emulator without a window, waits for it, and runs the instrumented tests
# (app/src/androidTest) with Gradle. Needs the Android SDK with an AVD; unbuilt on the dev machine.
set -euo pipefail
cd "$(dirname "$0")"
avd=${1:-spur-api34}
"$ANDROID_HOME/emulator/emulator" -avd "$avd" -no-window -no-audio -no-snapshot &
emulator=$!
trap 'kill "$emulator"' EXIT
adb wait-for-device
until [ "$(adb shell getprop sys.boot_completed | tr -d '\r')" = 1 ]; do sleep 2; done
./gradlew connectedAndroidTest
