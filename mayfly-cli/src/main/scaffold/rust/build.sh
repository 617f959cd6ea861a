#!/usr/bin/env bash
# Builds build/@NAME@.wasm with cargo.
#   ./build.sh          for wasm32-unknown-unknown
#   ./build.sh --wasi   for wasm32-wasi, so println! and eprintln! write to the actor's log
# Needs Rust 1.63 or newer with the target's standard library: with rustup,
# `rustup target add wasm32-unknown-unknown wasm32-wasi`; on Debian/Ubuntu,
# `apt-get install rustc cargo libstd-rust-dev-wasm32` (both targets). CARGO and RUSTC choose
# other tools; without them, Debian's /usr/bin/cargo is used when it has the target.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

target=wasm32-unknown-unknown
case ${1:-} in
  --wasi) target=wasm32-wasi ;;
  "") ;;
  *) echo "usage: ./build.sh [--wasi]" >&2; exit 2 ;;
esac
if [ -z "${CARGO:-}${RUSTC:-}" ] && [ -x /usr/bin/cargo ] && [ -d "/usr/lib/rustlib/$target" ]; then
  export CARGO=/usr/bin/cargo RUSTC=/usr/bin/rustc
fi
cargo=${CARGO:-cargo}
command -v "$cargo" >/dev/null 2>&1 ||
  { echo "build.sh: '$cargo' not found; install Rust with the $target target" >&2; exit 1; }

# --offline: the project depends on nothing but the SDK beside it.
"$cargo" build --offline --release --target "$target"
mkdir -p build
cp "target/$target/release/@CRATE@.wasm" build/@NAME@.wasm
echo "built build/@NAME@.wasm ($(wc -c < build/@NAME@.wasm) bytes)"
