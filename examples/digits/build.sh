#!/usr/bin/env bash
# Builds the digits example's actor (every examples/digits/c/*.c) into examples/digits/wasm/ with the C SDK's build script;
# needs clang-14 and lld-14.
exec "$(dirname "${BASH_SOURCE[0]}")/../../sdk/c/build.sh" examples/digits/c examples/digits/wasm
