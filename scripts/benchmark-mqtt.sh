#!/usr/bin/env bash
# The MQTT ingest benchmark (docs/benchmarks.md, "MQTT ingest"): the same positions stored through
# the machine's MQTT broker (QoS 1, acknowledged once durable) and, as the peer in the same run,
# posted to POST /api/v1/positions — against Sextant started as its own process.
#
#   scripts/benchmark-mqtt.sh                         200,000 positions, 100 to a message, 2 publishers
#   scripts/benchmark-mqtt.sh --per-message 1 --positions 20000    one position to a message
#   flags: --positions N --per-message N --assets N (1000) --clients N (2 publishers) --http-clients N (8)
#          --window N (500 messages
#          ahead of what Sextant handled) --mqtt-url URL (tcp://127.0.0.1:1883) --no-build
#
# Needs: a JDK 21+, PostgreSQL 15+ on 127.0.0.1:5432 (trust auth, user postgres) and an MQTT broker
# (Mosquitto on 127.0.0.1:1883); starts PostgreSQL if it is down. Creates and drops the database
# sextant_mqtt_bench. Output (report.md, Sextant's logs, run.log) goes to target/benchmark-mqtt/.
set -euo pipefail
cd "$(dirname "$0")/.."

build=1
args=()
for a in "$@"; do
  if [ "$a" = "--no-build" ]; then build=0; else args+=("$a"); fi
done

# shellcheck source=lib/benchmark-env.sh
. scripts/lib/benchmark-env.sh
start_postgres_if_down

out=target/benchmark-mqtt
mkdir -p "$out"
if [ "$build" = 1 ]; then
  echo "Building target/sextant.jar and the test classes"
  ./mvnw -B -q package -DskipTests
fi
./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$out/classpath.txt" >/dev/null

set +e
"$JAVA_HOME/bin/java" -Xmx1g \
  -cp "target/test-classes:target/classes:$(cat "$out/classpath.txt")" \
  io.sextant.benchmark.MqttBenchmark --out "$out" "${args[@]}" 2>&1 | tee "$out/run.log"
status=${PIPESTATUS[0]}
set -e
echo "Report: $out/report.md (exit $status)"
exit "$status"
