# shellcheck shell=bash
# Finds a JDK 25 or newer and exports JAVA_HOME and PATH for it. Sourced by ./mayfly,
# scripts/test and .ci/run; run it directly to see which JDK it picks.
#
# Order: $JAVA_HOME if it is 25+, then /usr/lib/jvm/temurin-25-jdk-amd64, then the newest
# /usr/lib/jvm/* that is 25+ and has bin/javac, then the javac on PATH.

mayfly_min_java=25

# Prints the major version of the JDK at $1 (8 for 1.8), or nothing if it is not a JDK.
mayfly_jdk_major() {
  local home=$1 version=""
  [ -x "$home/bin/javac" ] && [ -x "$home/bin/java" ] || return 0
  if [ -r "$home/release" ]; then
    version=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release")
  fi
  if [ -z "$version" ]; then
    version=$("$home/bin/java" -version 2>&1 | sed -n 's/.* version "\([^"]*\)".*/\1/p' | head -n 1)
  fi
  case $version in
    1.*) version=${version#1.} ;;
  esac
  version=${version%%[!0-9]*}
  [ -n "$version" ] && echo "$version"
}

mayfly_find_jdk() {
  local candidate major best="" best_major=0
  if [ -n "${JAVA_HOME:-}" ]; then
    major=$(mayfly_jdk_major "$JAVA_HOME")
    if [ "${major:-0}" -ge "$mayfly_min_java" ]; then
      echo "$JAVA_HOME"
      return 0
    fi
    echo "Mayfly: ignoring JAVA_HOME=$JAVA_HOME (${major:+JDK }${major:-not a JDK}; Mayfly needs JDK $mayfly_min_java+)" >&2
  fi
  candidate=/usr/lib/jvm/temurin-25-jdk-amd64
  if [ "$(mayfly_jdk_major "$candidate")" = 25 ]; then
    echo "$candidate"
    return 0
  fi
  for candidate in /usr/lib/jvm/*; do
    [ -d "$candidate" ] || continue
    major=$(mayfly_jdk_major "$candidate")
    if [ "${major:-0}" -ge "$mayfly_min_java" ] && [ "$major" -gt "$best_major" ]; then
      best=$candidate
      best_major=$major
    fi
  done
  if [ -z "$best" ] && command -v javac >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    major=$(mayfly_jdk_major "$candidate")
    [ "${major:-0}" -ge "$mayfly_min_java" ] && best=$candidate
  fi
  [ -n "$best" ] && echo "$best"
}

if mayfly_java_home=$(mayfly_find_jdk) && [ -n "$mayfly_java_home" ]; then
  export JAVA_HOME=$mayfly_java_home
  export PATH="$JAVA_HOME/bin:$PATH"
  unset mayfly_java_home
  if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    echo "$JAVA_HOME"
  fi
else
  unset mayfly_java_home
  {
    echo "Mayfly needs JDK $mayfly_min_java or newer and found none: install one (e.g. the temurin-25-jdk"
    echo "  package) or set JAVA_HOME to it. Looked in JAVA_HOME, /usr/lib/jvm and PATH."
  } >&2
  # Sourced from an interactive shell: do not close the user's terminal.
  case $- in
    *i*) return 1 ;;
    *) exit 1 ;;
  esac
fi
