# Sourced by ./ssmd and ./run-tests: sets JAVA_HOME to a JDK >= 21 or exits 2 with a clear message.
# Order: $JAVA_HOME, then the newest JDK under /usr/lib/jvm (and /opt/java, /usr/local/lib/jvm).
ssmd_java_major() { # prints the major version of $1/bin/java, or nothing
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1
}
ssmd_find_jdk() {
  local v best="" bestv=0 d
  if [ -n "${JAVA_HOME:-}" ]; then
    v=$(ssmd_java_major "$JAVA_HOME")
    if [ -n "$v" ] && [ "$v" -ge 21 ]; then return 0; fi
  fi
  for d in /usr/lib/jvm/* /opt/java/* /usr/local/lib/jvm/*; do
    [ -d "$d" ] || continue
    v=$(ssmd_java_major "$d")
    if [ -n "$v" ] && [ "$v" -ge 21 ] && [ "$v" -gt "$bestv" ]; then best=$d; bestv=$v; fi
  done
  if [ -z "$best" ]; then
    echo "ssmd: no JDK >= 21 found (checked JAVA_HOME=${JAVA_HOME:-unset} and /usr/lib/jvm/*). Install one, e.g. 'apt-get install openjdk-21-jdk' or a Temurin 21+ JDK, or set JAVA_HOME." >&2
    exit 2
  fi
  export JAVA_HOME="$best"
}
ssmd_find_jdk
export PATH="$JAVA_HOME/bin:$PATH"
