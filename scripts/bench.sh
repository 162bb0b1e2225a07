#!/usr/bin/env bash
# Benchmark harnesses (docs/benchmarks.md). Usage: scripts/bench.sh capture|archive|secmaster|gateway [--quick] ...
# Builds what it needs (offline Maven), finds a JDK >= 21, runs on 127.0.0.1 only and stops by itself.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$ROOT/scripts/find-jdk.sh"

usage() {
  echo "usage: scripts/bench.sh capture|archive|secmaster|gateway [options]   (scripts/bench.sh <benchmark> --help lists them)" >&2
}

[ $# -ge 1 ] || { usage; exit 2; }
bench="$1"; shift
case "$bench" in
  capture) main=io.ssmd.bench.CaptureBenchmark ;;
  archive) main=io.ssmd.bench.ArchiveBenchmark ;;
  secmaster) main=io.ssmd.bench.SecmasterBenchmark ;;
  gateway) main=io.ssmd.bench.GatewayBenchmark ;;
  -h|--help) usage; exit 0 ;;
  *) echo "scripts/bench.sh: unknown benchmark '$bench'" >&2; usage; exit 2 ;;
esac

if [ "${SSMD_SKIP_BUILD:-0}" != 1 ]; then
  echo "bench: building ssmd-cli and ssmd-bench (mvn -q)..." >&2
  # -am builds the modules they depend on; the CLI's jar and lib/ are what the separate connector/archiver process runs
  (cd "$ROOT" && mvn -B -q -pl ssmd-cli,ssmd-bench -am package -DskipTests) >&2 \
    || { echo "bench: build failed (run 'mvn -pl ssmd-cli,ssmd-bench -am package' to see why)" >&2; exit 1; }
fi

cd "$ROOT"
# native access: DuckDB (export benchmark) loads its JNI library; secmaster runs an embedded PostgreSQL and a separate ssmd secmaster sync
exec "$JAVA_HOME/bin/java" ${SSMD_BENCH_JAVA_OPTS:--Xmx1g} --enable-native-access=ALL-UNNAMED \
  -cp "$ROOT/ssmd-bench/target/classes:$ROOT/ssmd-bench/target/lib/*" "$main" --repo "$ROOT" "$@"
