#!/usr/bin/env bash
# Builds the conformance actor (testdata/conformance/SPEC.md) in every language this machine
# has a toolchain for, into testdata/conformance/wasm/conformance-<lang>.wasm, and says which
# languages it skipped and why. It installs nothing. Toolchains (Debian/Ubuntu):
#   wat             wabt                       (wat2wasm)
#   c               clang-14 lld-14            (as testdata/guests/build.sh)
#   rust            rustc cargo libstd-rust-dev-wasm32   (Debian's rustc 1.63, no crates.io)
#   assemblyscript  node >= 20 with npm >= 10, then `npm ci` in sdk/assemblyscript (asc 0.28)
#   c-wasi          clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32   (C with wasi-libc, printf)
#   rust-wasi       as rust; Debian's libstd-rust-dev-wasm32 also holds the wasm32-wasi std
# ConformanceTest compiles wat/conformance.wat itself; the WAT build here is for sizes and for
# running the module outside the test.
# Usage: build.sh [lang...]   (default: all six)
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."   # repository root
ROOT=$(pwd)
DIR=testdata/conformance
OUT=$DIR/wasm
mkdir -p "$OUT"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

built=() skipped=() failed=()
have() { command -v "$1" >/dev/null 2>&1; }
skip() { skipped+=("$1 ($2)"); echo "skipped $1: $2" >&2; }
done_() {
  chmod 644 "$OUT/conformance-$1.wasm"
  built+=("$1")
  echo "built $OUT/conformance-$1.wasm ($(wc -c < "$OUT/conformance-$1.wasm") bytes)"
}

build_wat() {
  have wat2wasm || { skip wat "wat2wasm not found; apt-get install wabt"; return; }
  wat2wasm "$DIR/wat/conformance.wat" -o "$OUT/conformance-wat.wasm" && done_ wat
}

build_c() {
  local cc=${CC:-clang-14} ld=${WASM_LD:-wasm-ld-14}
  have "$cc" && have "$ld" || { skip c "$cc/$ld not found; apt-get install clang-14 lld-14"; return; }
  "$cc" --target=wasm32 -nostdlib -ffreestanding -O2 -mbulk-memory -std=c11 -Wall -Wextra -Werror \
      -I sdk/c -c "$DIR/c/conformance.c" -o "$tmp/conformance.o" &&
    "$ld" --no-entry --stack-first -z stack-size=32768 --initial-memory=131072 \
      "$tmp/conformance.o" -o "$OUT/conformance-c.wasm" && done_ c
}

# The same C source with wasi-libc: its log command prints with printf (a reactor, so the host
# calls _initialize once per instance). Linked without -O (the clang driver would run wasm-opt);
# --strip-all drops the debug sections wasi-libc's objects carry.
build_c_wasi() {
  local cc=${CC:-clang-14}
  have "$cc" || { skip c-wasi "$cc not found; apt-get install clang-14 lld-14 wasi-libc libclang-rt-14-dev-wasm32"; return; }
  [ -f "$("$cc" --target=wasm32-wasi -print-file-name=libc.a)" ] ||
    { skip c-wasi "no wasi-libc; apt-get install wasi-libc"; return; }
  [ -f "$("$cc" --target=wasm32-wasi -print-libgcc-file-name)" ] ||
    { skip c-wasi "no wasm32 compiler runtime; apt-get install libclang-rt-14-dev-wasm32"; return; }
  "$cc" --target=wasm32-wasi -O2 -std=c11 -Wall -Wextra -Werror \
      -I sdk/c -c "$DIR/c/conformance.c" -o "$tmp/conformance-wasi.o" &&
    "$cc" --target=wasm32-wasi -mexec-model=reactor -Wl,--strip-all \
      "$tmp/conformance-wasi.o" -o "$OUT/conformance-c-wasi.wasm" && done_ c-wasi
}

# Builds the Rust crate for TARGET into conformance-LANG.wasm with Debian's rustc (not a rustup
# one on PATH, which lacks the wasm32 std).
cargo_build() {
  local lang=$1 target=$2
  local rustc=${RUSTC:-/usr/bin/rustc} cargo=${CARGO:-/usr/bin/cargo}
  [ -x "$rustc" ] && [ -x "$cargo" ] || { skip "$lang" "$rustc or $cargo not found; apt-get install rustc cargo libstd-rust-dev-wasm32"; return; }
  [ -d "/usr/lib/rustlib/$target" ] ||
    { skip "$lang" "no $target std; apt-get install libstd-rust-dev-wasm32"; return; }
  # Paths baked into panic messages are made relative, so a build is the same in any checkout.
  (cd "$DIR/rust" && RUSTC="$rustc" CARGO_TARGET_DIR="$tmp/rust" \
     RUSTFLAGS="--remap-path-prefix=$ROOT=." \
     "$cargo" build --offline --release --target "$target" --quiet) &&
    cp "$tmp/rust/$target/release/conformance.wasm" "$OUT/conformance-$lang.wasm" &&
    done_ "$lang"
}

build_rust() { cargo_build rust wasm32-unknown-unknown; }

# The same crate on Rust's standard library for WASI: its log command prints with println!.
build_rust_wasi() { cargo_build rust-wasi wasm32-wasi; }

build_assemblyscript() {
  local asc=sdk/assemblyscript/node_modules/.bin/asc
  have node || { skip assemblyscript "node not found; install node >= 20 with npm"; return; }
  [ -x "$asc" ] || { skip assemblyscript "$asc not found; run 'npm ci' in sdk/assemblyscript"; return; }
  # --use abort= : no env.abort import (the host allows only mayfly imports); an abort traps.
  "$asc" "$DIR/assemblyscript/assembly/index.ts" -O3z --noAssert --use abort= \
      --outFile "$OUT/conformance-assemblyscript.wasm" && done_ assemblyscript
}

langs=("$@")
[ ${#langs[@]} -eq 0 ] && langs=(wat c rust assemblyscript c-wasi rust-wasi)
for lang in "${langs[@]}"; do
  case $lang in
    wat|c|rust|assemblyscript|c-wasi|rust-wasi) "build_${lang//-/_}" || failed+=("$lang") ;;
    *) echo "build.sh: unknown language '$lang' (wat, c, rust, assemblyscript, c-wasi, rust-wasi)" >&2; exit 2 ;;
  esac
done

echo "built: ${built[*]:-none}"
[ ${#skipped[@]} -eq 0 ] || printf 'skipped: %s\n' "${skipped[@]}"
[ ${#failed[@]} -eq 0 ] || { echo "FAILED: ${failed[*]}" >&2; exit 1; }
