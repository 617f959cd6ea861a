#!/usr/bin/env bash
# Builds the workflow example's actors (every examples/workflow/c/*.c) into examples/workflow/wasm/ with the C SDK's build script;
# needs clang-14 and lld-14.
exec "$(dirname "${BASH_SOURCE[0]}")/../../sdk/c/build.sh" examples/workflow/c examples/workflow/wasm
