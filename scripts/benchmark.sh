#!/usr/bin/env bash
# The positions benchmark (docs/benchmarks.md): durable HTTP ingest against raw COPY, live nearby /
# k-nearest queries in-process, over HTTP and in Redis, area-and-window history queries on
# Sextant's schema against PostGIS, geofencing (ingest with 1,000 and 10,000 zones against none,
# latency from an accepted position to its webhook and SSE message), and delivery order against a
# receiver failing 30 % of requests (per-asset against no ordering) — all in one run on this machine.
#
#   scripts/benchmark.sh            full size (2M positions, 1M live assets, 10M history rows, 10k zones)
#   scripts/benchmark.sh --quick    small smoke run (a few minutes)
#   scripts/benchmark.sh --phases fences    the geofencing part alone
#   scripts/benchmark.sh --phases delivery  the delivery-order part alone
#   scripts/benchmark.sh --help     every flag
#
# Needs: a JDK 21+, PostgreSQL 15+ on 127.0.0.1:5432 (trust auth, user postgres) and Redis on
# 127.0.0.1:6379. Creates and drops the databases sextant_bench and postgis_bench and the Redis keys
# sextant-bench:*. Installs PostGIS for the running PostgreSQL with apt-get when it is missing and
# it can (root); otherwise the history peer is the best plain-SQL formulation. Output (report.md,
# Sextant's logs, query plans) goes to target/benchmark/.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--help" ] || [ "${1:-}" = "-h" ]; then
  sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'
  cat <<'FLAGS'
Flags (defaults are the full sizes; --quick lowers them):
  --positions N (2000000)  --assets N (10000)  --clients N (8)  --batch N (1000)  --format json|ndjson
  --receipt minimal|full (minimal: Prefer: return=minimal, the receipt lists only items not accepted)
  --format-rounds N (2)  --format-positions N (100000)
  --live-assets N (1000000)  --live-queries N (3000)
  --history-rows N (10000000)  --history-days N (7)  --history-queries N (200)  --cell-degrees D (0.05)
  --ingest-zones N (0: zones in part 1's tenant, the first N of part 5's, so part 1 ÷ part 2 reads "with N zones")
  --ingest-warmup N (0: positions per warm-up pass before part 1's measured run, days earlier, so it measures compiled code)
  --ingest-warmup-passes N (12: at most; fewer once a pass's JIT share is quiet)  --ingest-warmup-quiet PCT (5)
  --ingest-rounds N (1: measured rounds of part 1, each on its own day and followed by a two-stream COPY of its rows)
  --fence-zones N,N (1000,10000)  --fence-positions N (1000000 per round)  --fence-warmup N (200000 per pass)
  --fence-warmup-passes N (12: warm-up passes at most; fewer once a pass finds both JVMs' JIT compilers quiet)
  --fence-warmup-quiet P (5: quiet = compiling at most P % of the pass's time, Sextant and driver together)
  --fence-repeats N (2: none → most zones, then back; from 3 on, the report adds each repetition's ratio and their median)
  --latency-rate N (10000/s)  --latency-seconds N (60)  --latency-warmup N (10 s)  --latency-batch N (1000)
  --latency-crossers N,N (100,1000: one latency run each, in order)  --latency-cross-every N (4 s)
  --delivery-assets N (1000)  --delivery-cross-every N (10 s)  --delivery-seconds N (600)
  --delivery-failure-rate F (0.3)  --delivery-retry-delays D,D,… (1s,5s,30s: shortened for the run)
  --phases ingest,copy,live,history,fences,delivery  --copy-variants binary,text,binary-2,binary-pk,binary-brin,binary-cell,binary-gist (binary-2-groups: a diagnostic, on request)
  --seed N  --port N (18080)
  --sextant-redis (Sextant with SEXTANT_REDIS_URL: jobs, deliveries, signals and rate limits on Redis)
  --sextant-jvm "OPTIONS"  --sextant-env NAME=VALUE,… (diagnostic)  --keep (leave databases and Redis keys)  --no-build
  --profile (JFR on Sextant during every measured fences round, summarised in the report, and during each HTTP
             live query set, left as target/benchmark/live-*.jfr: diagnostic only)
  --pg-statements (what each statement cost PostgreSQL in every measured fences round: time, WAL and pages
             dirtied per row, from pg_stat_statements; the server must preload it, docs/benchmarks.md says how)
  --beside-groups (part 5's COPY beside each round sent in 2,000-row COPYs that commit each, Sextant's
             transaction shape: diagnostic only)
FLAGS
  exit 0
fi

build=1
args=()
for a in "$@"; do
  if [ "$a" = "--no-build" ]; then build=0; else args+=("$a"); fi
done

# shellcheck source=lib/benchmark-env.sh
. scripts/lib/benchmark-env.sh

# PostgreSQL and Redis: start them if they are down (the machine's services).
start_postgres_if_down
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
  sleep 1
fi

# PostGIS for the running server's major version (a benchmark peer only, never a Sextant dependency).
pg_major=$(psql -h 127.0.0.1 -U postgres -Atc 'show server_version_num' postgres | cut -c1-2)
has_postgis() {
  [ "$(psql -h 127.0.0.1 -U postgres -Atc "select count(*) from pg_available_extensions where name = 'postgis'" postgres)" = "1" ]
}
if ! has_postgis; then
  echo "PostGIS is not installed for PostgreSQL $pg_major: installing postgresql-$pg_major-postgis-3"
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "postgresql-$pg_major-postgis-3"; } \
      || echo "could not install PostGIS: the history peer will be plain SQL"
  else
    echo "not root or no apt-get: the history peer will be plain SQL"
  fi
fi

mkdir -p target/benchmark
if [ "$build" = 1 ]; then
  echo "Building target/sextant.jar and the test classes"
  ./mvnw -B -q package -DskipTests
fi
./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/benchmark/classpath.txt >/dev/null

set +e
"$JAVA_HOME/bin/java" -Xmx8g -XX:+UseParallelGC \
  -cp "target/test-classes:target/classes:$(cat target/benchmark/classpath.txt)" \
  io.sextant.benchmark.PositionsBenchmark "${args[@]}" 2>&1 | tee target/benchmark/run.log
status=${PIPESTATUS[0]}
set -e
echo "Report: target/benchmark/report.md (exit $status)"
exit "$status"
