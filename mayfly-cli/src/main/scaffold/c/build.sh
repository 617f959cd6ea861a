#!/usr/bin/env bash
# Builds build/@NAME@.wasm from @NAME@.c.
#   ./build.sh          freestanding, with clang-14 and wasm-ld-14 (apt-get install clang-14 lld-14)
#   ./build.sh --wasi   with wasi-libc, so printf and the rest of stdio write to the actor's log
#                       (apt-get install clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32)
# CC and WASM_LD choose other tools (e.g. CC=clang WASM_LD=wasm-ld).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

cc=${CC:-clang-14}
ld=${WASM_LD:-wasm-ld-14}
wasi=false
case ${1:-} in
  --wasi) wasi=true ;;
  "") ;;
  *) echo "usage: ./build.sh [--wasi]" >&2; exit 2 ;;
esac
for tool in "$cc" $([ "$wasi" = true ] || echo "$ld"); do
  command -v "$tool" >/dev/null 2>&1 ||
    { echo "build.sh: '$tool' not found; apt-get install clang-14 lld-14, or set CC and WASM_LD" >&2; exit 1; }
done

mkdir -p build
if [ "$wasi" = true ]; then
  # A reactor: the host calls its _initialize once per instance. Linked without -O (the clang
  # driver would run wasm-opt); --strip-all drops the debug sections of wasi-libc's objects.
  "$cc" --target=wasm32-wasi -O2 -std=c11 -Wall -Wextra -I mayfly-sdk -c @NAME@.c -o build/@NAME@.o
  "$cc" --target=wasm32-wasi -mexec-model=reactor -Wl,--strip-all build/@NAME@.o -o build/@NAME@.wasm
else
  # 32 KiB stack placed first (an overflow traps instead of corrupting data), 2 pages of memory
  # at start; the SDK's arena grows it on demand up to the type's cap.
  "$cc" --target=wasm32 -nostdlib -ffreestanding -O2 -mbulk-memory -std=c11 -Wall -Wextra \
    -I mayfly-sdk -c @NAME@.c -o build/@NAME@.o
  "$ld" --no-entry --stack-first -z stack-size=32768 --initial-memory=131072 \
    build/@NAME@.o -o build/@NAME@.wasm
fi
rm -f build/@NAME@.o
echo "built build/@NAME@.wasm ($(wc -c < build/@NAME@.wasm) bytes)"
