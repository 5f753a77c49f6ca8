# Sourced by ./bifrost and perf/jmh: find_jdk prints a java binary of version 21 or newer.
# Order: BIFROST_JAVA_HOME, JAVA_HOME, the java on PATH, then the newest JDK 21+ under /usr/lib/jvm.
# shellcheck shell=bash

java_major() { # prints the feature version of the java binary $1, or 0
  local home v
  # A JDK's release file names its version; reading it avoids starting a JVM per candidate.
  home="$(dirname "$(dirname "$(readlink -f "$1")")")"
  if [ -f "$home/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release" | head -n1)
  fi
  if ! [[ "${v:-}" =~ ^[0-9]+$ ]]; then
    v=$("$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n1)
  fi
  [[ "${v:-}" =~ ^[0-9]+$ ]] && echo "$v" || echo 0
}

find_jdk() { # prints a java binary of version 21+, preferring BIFROST_JAVA_HOME, JAVA_HOME, PATH, then /usr/lib/jvm
  local candidate best="" best_v=0 v
  for candidate in "${BIFROST_JAVA_HOME:+$BIFROST_JAVA_HOME/bin/java}" "${JAVA_HOME:+$JAVA_HOME/bin/java}" "$(command -v java || true)"; do
    if [ -n "$candidate" ] && [ -x "$candidate" ] && [ "$(java_major "$candidate")" -ge 21 ]; then
      echo "$candidate"; return 0
    fi
  done
  for candidate in /usr/lib/jvm/*/bin/java; do
    [ -x "$candidate" ] || continue
    v=$(java_major "$candidate")
    if [ "$v" -ge 21 ] && [ "$v" -gt "$best_v" ]; then best="$candidate"; best_v=$v; fi
  done
  [ -n "$best" ] && echo "$best"
}

require_jdk() { # sets JAVA or exits with instructions
  JAVA="$(find_jdk || true)"
  if [ -z "$JAVA" ]; then
    echo "$1: no Java 21 or newer found (checked BIFROST_JAVA_HOME, JAVA_HOME, PATH and /usr/lib/jvm)." >&2
    echo "Install a JDK 21+ (e.g. Temurin 25) or point BIFROST_JAVA_HOME at one." >&2
    exit 1
  fi
}
