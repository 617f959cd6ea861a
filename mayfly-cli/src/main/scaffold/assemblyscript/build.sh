#!/usr/bin/env bash
# Builds build/@NAME@.wasm with the AssemblyScript compiler 0.28 (run `npm install` once; it
# needs node 20 or newer). ASC chooses another asc.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

asc=${ASC:-node_modules/.bin/asc}
command -v node >/dev/null 2>&1 || { echo "build.sh: node not found; install node 20 or newer" >&2; exit 1; }
[ -x "$asc" ] || { echo "build.sh: $asc not found; run 'npm install' first" >&2; exit 1; }

mkdir -p build
# --use abort= : no env.abort import (the host allows only the actor ABI's imports); an abort traps.
"$asc" assembly/index.ts -O3z --noAssert --use abort= --outFile build/@NAME@.wasm
echo "built build/@NAME@.wasm ($(wc -c < build/@NAME@.wasm) bytes)"
