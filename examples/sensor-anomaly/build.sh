#!/usr/bin/env bash
# Builds the sensor-anomaly example's actors (every examples/sensor-anomaly/c/*.c) into examples/sensor-anomaly/wasm/ with the C SDK's build script;
# needs clang-14 and lld-14.
exec "$(dirname "${BASH_SOURCE[0]}")/../../sdk/c/build.sh" examples/sensor-anomaly/c examples/sensor-anomaly/wasm
