#!/usr/bin/env bash
# Tests the @NAME@ actor on a real Mayfly node: starts `mayfly run` on a free loopback port,
# deploys build/@NAME@.wasm (running ./build.sh first when it is missing), talks to two actors
# with `mayfly send` and `mayfly ask`, and compares the replies with what the actor should answer.
# Needs the `mayfly` command on PATH, or MAYFLY=/path/to/mayfly/bin/mayfly. Exits 0 when every
# check passes, 1 when one fails. Add your own checks at the end.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

mayfly=${MAYFLY:-mayfly}
if ! command -v "$mayfly" >/dev/null 2>&1; then
  echo "test.sh: '$mayfly' not found: put Mayfly's bin/ on PATH or set MAYFLY" >&2
  exit 2
fi
[ -f build/@NAME@.wasm ] || ./build.sh

log=$(mktemp)
"$mayfly" run --http 127.0.0.1:0 >"$log" 2>&1 &
node=$!
trap 'kill "$node" 2>/dev/null || true; wait "$node" 2>/dev/null || true; rm -f "$log"' EXIT

url=
for _ in $(seq 600); do
  url=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$log")
  [ -n "$url" ] && break
  if ! kill -0 "$node" 2>/dev/null; then
    echo "test.sh: mayfly run stopped:" >&2
    cat "$log" >&2
    exit 1
  fi
  sleep 0.1
done
if [ -z "$url" ]; then
  echo "test.sh: the node did not start within 60 s:" >&2
  cat "$log" >&2
  exit 1
fi

"$mayfly" deploy @NAME@ build/@NAME@.wasm --url "$url" >/dev/null

failures=0
# check DESCRIPTION ACTUAL EXPECTED
check() {
  if [ "$2" = "$3" ]; then
    echo "ok   $1"
  else
    echo "FAIL $1: got '$2', expected '$3'"
    failures=$((failures + 1))
  fi
}

"$mayfly" send @NAME@/a hello --url "$url" >/dev/null
check "an ask after one message is answered with 2" "$("$mayfly" ask @NAME@/a hello --url "$url")" 2
check "another actor counts on its own" "$("$mayfly" ask @NAME@/b hello --url "$url")" 1
check "the count is state: it survives between messages" "$("$mayfly" ask @NAME@/a again --url "$url")" 3

if [ "$failures" -gt 0 ]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "all checks passed"
