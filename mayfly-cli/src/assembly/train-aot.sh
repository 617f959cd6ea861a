#!/usr/bin/env bash
# Makes the distribution's JDK AOT cache (JEP 483, 514, 515: classes loaded and linked, method
# profiles) from one training run started exactly as bin/mayfly starts a node: `mayfly run`, an
# actor deployed and asked over HTTP with the client verbs, then SIGTERM; the JVM writes the cache
# as it exits. Run by the build (mayfly-cli/pom.xml) on the distribution's runtime and lib/.
#
#   train-aot.sh RUNTIME JVM_OPTIONS LIB MODULE.wasm   -> LIB/mayfly.aot
set -euo pipefail

runtime=$1
options=$2
lib=$3
module=$4
cache=$lib/mayfly.aot
log=$(mktemp)
trap 'rm -f "$log"' EXIT
rm -f "$cache"

# The class path as bin/mayfly gives it: every jar of lib/, sorted bytewise. A cache is only used
# with the class path it was made with.
classpath=$(
  LC_ALL=C
  printf '%s:' "$lib"/*.jar
)
classpath=${classpath%:}
java=("$runtime/bin/java" "@$options" -XX:+UseSerialGC)

# Without compiled adapters in the cache: JDK 25 warns at every start that it cannot link some of
# them ("Saved blob's name ... is different from the expected name").
"${java[@]}" "-XX:AOTCacheOutput=$cache" -XX:+UnlockDiagnosticVMOptions -XX:-AOTAdapterCaching \
  -cp "$classpath" io.mayfly.cli.Main run --http 127.0.0.1:0 >"$log" 2>&1 &
node=$!
for _ in $(seq 1 600); do
  grep -q 'listening on' "$log" && break
  kill -0 "$node" 2>/dev/null || break
  sleep 0.2
done
url=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$log")
if [ -z "$url" ]; then
  echo "train-aot.sh: the training node did not start:" >&2
  cat "$log" >&2
  kill "$node" 2>/dev/null || true
  exit 1
fi
"${java[@]}" -cp "$classpath" io.mayfly.cli.Main deploy probe "$module" --url "$url" >/dev/null
for id in a b c; do
  "${java[@]}" -cp "$classpath" io.mayfly.cli.Main ask "probe/$id" 'put:k=v;get:k' --url "$url" >/dev/null
done
kill -TERM "$node"
wait "$node" || true # 143: the JVM's exit on SIGTERM
if [ ! -s "$cache" ]; then
  echo "train-aot.sh: the training run wrote no AOT cache:" >&2
  cat "$log" >&2
  exit 1
fi
echo "train-aot.sh: $(du -h "$cache" | cut -f1) AOT cache in $cache"
