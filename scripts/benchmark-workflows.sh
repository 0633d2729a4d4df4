#!/usr/bin/env bash
# The workflow benchmark (docs/benchmarks.md, "Workflows"): durable command transitions per second
# over HTTP beside a plain single-row UPDATE loop on the same database, the latency from a position
# entering a zone to the transition it causes, and the lag of durable timers while 100,000 others
# are pending — all in one run on this machine, against Sextant started as its own process.
#
#   scripts/benchmark-workflows.sh            full size (200 instances, 4 clients, 30 s; 200 assets; 100k + 500 timers)
#   scripts/benchmark-workflows.sh --quick    small smoke run (about two minutes)
#   scripts/benchmark-workflows.sh --help     every flag
#
# Needs: a JDK 21+ and PostgreSQL 15+ on 127.0.0.1:5432 (trust auth, user postgres); starts
# PostgreSQL if it is down. Creates and drops the database sextant_wf_bench. Output (report.md,
# Sextant's log, run.log) goes to target/benchmark-workflows/.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--help" ] || [ "${1:-}" = "-h" ]; then
  sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
  cat <<'FLAGS'
Flags (defaults are the full sizes; --quick lowers them):
  1. transitions:  --instances N (200; quick 50)  --clients N (4)  --seconds N (30; quick 8)  --warmup N (5 s; quick 2)
  2. event latency: --assets N (200; quick 40: one sample each)  --rate N (20 fixes/s)
                   --event-zones shared|own (shared: one zone for every instance; own: one zone per asset, the
                   control without the consumer's fan-out)
  3. timer lag:    --pending-timers N (100000; quick 10000)  --pending-via sql|api (sql: copies of one
                   API-made instance, documented in the report)  --timer-instances N (500; quick 100)
  --phases transitions,events,timers (all)  --port N (18090)  --database NAME (sextant_wf_bench)  --sextant-jvm "OPTIONS"  --keep (leave the database)
  --no-build (use the existing target/sextant.jar and test classes)
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

# PostgreSQL: start it if it is down (the machine's service).
start_postgres_if_down

out=target/benchmark-workflows
mkdir -p "$out"
if [ "$build" = 1 ]; then
  echo "Building target/sextant.jar and the test classes"
  ./mvnw -B -q package -DskipTests
fi
./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$out/classpath.txt" >/dev/null

set +e
"$JAVA_HOME/bin/java" -Xmx2g \
  -cp "target/test-classes:target/classes:$(cat "$out/classpath.txt")" \
  io.sextant.benchmark.WorkflowBenchmark "${args[@]}" 2>&1 | tee "$out/run.log"
status=${PIPESTATUS[0]}
set -e
echo "Report: $out/report.md (exit $status)"
exit "$status"
