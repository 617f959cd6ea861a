#!/usr/bin/env bash
# Builds the text example's actor (every examples/text/c/*.c) into examples/text/wasm/ with the C SDK's build script;
# needs clang-14 and lld-14.
exec "$(dirname "${BASH_SOURCE[0]}")/../../sdk/c/build.sh" examples/text/c examples/text/wasm
