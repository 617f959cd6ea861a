#!/usr/bin/env bash
# Builds the C test guests (every testdata/guests/c/*.c) into testdata/guests/wasm/ with the C SDK's build script;
# needs clang-14 and lld-14.
exec "$(dirname "${BASH_SOURCE[0]}")/../../sdk/c/build.sh" testdata/guests/c testdata/guests/wasm
