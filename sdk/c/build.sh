#!/usr/bin/env bash
# Builds every SRC_DIR/*.c into OUT_DIR/<name>.wasm as a Mayfly actor (ABI v1, sdk/c/mayfly.h).
# Usage: sdk/c/build.sh SRC_DIR OUT_DIR   (paths relative to the repository root, or absolute)
# Needs clang-14 and wasm-ld-14 (Debian/Ubuntu: apt-get install clang-14 lld-14); CC and
# WASM_LD override them. Compiles with -O2 -mbulk-memory and links with wasm-ld-14 directly, so
# that the clang driver never runs wasm-opt behind our back (the output does not depend on
# binaryen). When wasm-objdump (wabt) is present, it also checks that a module imports nothing
# outside the ABI's namespace "mayfly".
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: sdk/c/build.sh SRC_DIR OUT_DIR" >&2
  exit 2
fi
cd "$(dirname "${BASH_SOURCE[0]}")/../.."   # repository root
SRC=$1
OUT=$2

CC=${CC:-clang-14}
LD=${WASM_LD:-wasm-ld-14}
for tool in "$CC" "$LD"; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "build.sh: '$tool' not found; install the packages clang-14 and lld-14" \
         "(apt-get install clang-14 lld-14)" >&2
    exit 1
  fi
done

mkdir -p "$OUT"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

CFLAGS=(--target=wasm32 -nostdlib -ffreestanding -O2 -mbulk-memory -std=c11 -Wall -Wextra -Werror
        -I sdk/c -I "$SRC")
# 32 KiB stack placed first (an overflow traps instead of corrupting data), 2 pages of initial
# memory; the SDK's arena grows memory on demand, up to the type's maxMemoryPages.
LDFLAGS=(--no-entry --stack-first -z stack-size=32768 --initial-memory=131072)

shopt -s nullglob
srcs=("$SRC"/*.c)
if [ ${#srcs[@]} -eq 0 ]; then
  echo "build.sh: no sources in $SRC" >&2
  exit 1
fi
for src in "${srcs[@]}"; do
  name=$(basename "$src" .c)
  "$CC" "${CFLAGS[@]}" -c "$src" -o "$tmp/$name.o"
  "$LD" "${LDFLAGS[@]}" "$tmp/$name.o" -o "$OUT/$name.wasm"
  chmod 644 "$OUT/$name.wasm"
  if command -v wasm-objdump >/dev/null 2>&1 &&
    wasm-objdump -x -j Import "$OUT/$name.wasm" | grep -- '<-' | grep -v '<- mayfly\.'; then
    echo "build.sh: $OUT/$name.wasm imports functions outside the mayfly namespace" >&2
    exit 1
  fi
  echo "built $OUT/$name.wasm ($(wc -c < "$OUT/$name.wasm") bytes)"
done
