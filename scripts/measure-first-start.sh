#!/usr/bin/env bash
# How long the README's run command takes from a clean clone to a ready service (the Maven cache
# warm, as for a developer who has built once): clones this repository's HEAD into a temporary
# directory, runs `./mvnw -Dmaven.test.skip spring-boot:run` on a free port with a fresh embedded
# database, and reports the seconds until /actuator/health/readiness answers 200.
#
#   scripts/measure-first-start.sh [port]      (default port 18181)
set -euo pipefail
cd "$(dirname "$0")/.."
port="${1:-18181}"
java_major() { "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1; }
if [ -z "${JAVA_HOME:-}" ] || [ "$(java_major "$JAVA_HOME")" -lt 21 ] 2>/dev/null; then
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64 /usr/lib/jvm/java-25-openjdk-amd64 /usr/lib/jvm/java-21-openjdk-amd64; do
    if [ -x "$candidate/bin/java" ] && [ "$(java_major "$candidate")" -ge 21 ]; then export JAVA_HOME="$candidate"; break; fi
  done
fi
work="$(mktemp -d)"
stop() {
  # Stop Maven and the service it forked (graceful: the embedded PostgreSQL stops with it).
  pkill -TERM -f "$work" 2>/dev/null || true
  for _ in $(seq 1 60); do pgrep -f "$work" > /dev/null || break; sleep 0.5; done
  pkill -KILL -f "$work" 2>/dev/null || true
  rm -rf "$work"
}
trap stop EXIT
git clone -q . "$work/sextant"
cd "$work/sextant"
start=$(date +%s%N)
SERVER_PORT="$port" SEXTANT_BOOTSTRAP_ADMIN_PASSWORD=first-start-measurement \
  ./mvnw -q -Dmaven.test.skip spring-boot:run > "$work/run.log" 2>&1 &
pid=$!
for _ in $(seq 1 1200); do
  if curl -fs "http://127.0.0.1:$port/actuator/health/readiness" > /dev/null 2>&1; then
    end=$(date +%s%N)
    echo "ready $(( (end - start) / 1000000 )) ms after ./mvnw -Dmaven.test.skip spring-boot:run in a clean clone"
    exit 0
  fi
  if ! kill -0 "$pid" 2>/dev/null; then echo "the service stopped; its log:" >&2; tail -50 "$work/run.log" >&2; exit 1; fi
  sleep 0.5
done
echo "not ready within 10 minutes" >&2
exit 1
