#!/usr/bin/env bash
# The jobs benchmark (docs/benchmarks.md, "Jobs"): jobs per second through Sextant's job queue on
# Redis Streams and on PostgreSQL, each beside a raw loop of the store's own primitives with the same
# payload and concurrency (XADD / XREADGROUP / XACK; INSERT / UPDATE … SKIP LOCKED / UPDATE), and
# enqueue-to-start latency p50/p99 at a steady rate — all in one run on this machine.
#
#   scripts/benchmark-jobs.sh                      20,000 jobs through Redis, 5,000 through PostgreSQL
#   scripts/benchmark-jobs.sh --jobs 5000 --rate 100 --seconds 5     a smaller run
#
# Needs: a JDK 21+, PostgreSQL 15+ on 127.0.0.1:5432 (trust auth, user postgres; started if down) and
# Redis on 127.0.0.1:6379 (--redis-url to change). Creates and drops the databases
# sextant_jobs_bench_redis and sextant_jobs_bench_postgres and deletes its Redis keys afterwards.
# Output: target/benchmark-jobs/report.md and run.log.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--help" ] || [ "${1:-}" = "-h" ]; then
  sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
  echo "Flags: --jobs N (20000)  --producers N (4)  --consumers N (16: the worker slots and raw consumers)"
  echo "       --rate N (200 jobs/s for the latency run)  --seconds N (10)  --redis-url URL  --db-url JDBC-URL  --no-build"
  exit 0
fi

build=1
args=()
for a in "$@"; do
  if [ "$a" = "--no-build" ]; then build=0; else args+=("$a"); fi
done

# shellcheck source=lib/benchmark-env.sh
. scripts/lib/benchmark-env.sh
start_postgres_if_down

out=target/benchmark-jobs
mkdir -p "$out"
if [ "$build" = 1 ]; then
  echo "Building the classes and the test classes"
  ./mvnw -B -q test-compile
fi
./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$out/classpath.txt" >/dev/null

set +e
"$JAVA_HOME/bin/java" -Xmx2g \
  -cp "target/test-classes:target/classes:$(cat "$out/classpath.txt")" \
  io.sextant.benchmark.JobsBenchmark --out "$out" "${args[@]}" 2>&1 | tee "$out/run.log"
status=${PIPESTATUS[0]}
set -e
echo "Report: $out/report.md (exit $status)"
exit "$status"
