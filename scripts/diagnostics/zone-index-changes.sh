#!/usr/bin/env bash
# What one zone change costs a tenant's in-memory zone index at 1,000, 10,000 and 50,000 zones
# (docs/benchmarks.md, "zones created in bulk"): ZoneIndex.with, which holds the changed zone apart
# and packs the tree again after more than 64 changes, beside its peer, packing the whole index on
# every change (what a change cost before 2026-12-07). No database; about a minute.
#
#   scripts/diagnostics/zone-index-changes.sh              1,000, 10,000 and 50,000 zones
#   scripts/diagnostics/zone-index-changes.sh 20000        other sizes
set -euo pipefail
cd "$(dirname "$0")/../.."
# shellcheck source=../lib/benchmark-env.sh
. scripts/lib/benchmark-env.sh
mkdir -p target/benchmark
./mvnw -B -q test-compile
./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile=target/benchmark/classpath.txt >/dev/null
"$JAVA_HOME/bin/java" -Xmx4g -cp "target/test-classes:target/classes:$(cat target/benchmark/classpath.txt)" \
  io.sextant.benchmark.ZoneIndexChanges "$@"
