#!/usr/bin/env bash
# Diagnostic, not a benchmark: how much more PostgreSQL's COPY costs per row in a partition that
# already holds a benchmark's history than in an empty table of the same definition.
#
# Run after a benchmark that kept its database, for example
#   scripts/benchmark.sh --phases fences --fence-zones 1000 --latency-crossers 100 --latency-seconds 5 --keep
# then
#   scripts/diagnostics/copy-into-used-partition.sh            (DB=sextant_bench PGHOST=127.0.0.1 PGUSER=postgres)
#   PREFILL=2400000 scripts/diagnostics/copy-into-used-partition.sh   (the twin first gets the partition's
#                                                                     oldest 2.4 M rows, in time order)
#   TWIN_KEY="asset_id, event_time" PREFILL=2400000 scripts/diagnostics/copy-into-used-partition.sh
#                                  (the twin's primary key on other columns: prices a schema change)
#
# It takes the largest daily partition of `position`, writes new rows (50 fixes for each asset of
# the tenant with the most zones — 500,000 at the benchmark's full size, each after the partition's newest position,
# so they land where ingest appends) to two CSV files on the server, and COPYs them in two
# concurrent streams, as the benchmark's peer does, into (a) the partition and (b) `twin`, an empty
# table created LIKE the partition INCLUDING ALL (columns, generated columns, checks, indexes),
# holding the partition's oldest PREFILL rows (default 0: empty).
# Each COPY starts after a CHECKPOINT. It runs the pair twice, in both orders, then deletes the
# rows it added to the partition and drops the twin. Needs superuser (server-side COPY files).
set -euo pipefail
DB=${DB:-sextant_bench}
export PGHOST=${PGHOST:-127.0.0.1} PGUSER=${PGUSER:-postgres}
FILES=${FILES:-/var/lib/postgresql}
PREFILL=${PREFILL:-0}
TWIN_KEY=${TWIN_KEY:-}
psql_() { psql -d "$DB" -v ON_ERROR_STOP=1 -Atq "$@"; }

part=$(psql_ -c "select c.relname from pg_class c join pg_inherits i on i.inhrelid = c.oid
                 join pg_class p on p.oid = i.inhparent
                 where p.relname = 'position' and c.relname ~ '^position_[0-9]{8}$'
                 order by pg_relation_size(c.oid) desc limit 1")
tenant=$(psql_ -c "select tenant_id from zone group by tenant_id order by count(*) desc limit 1")
newest=$(psql_ -c "select max(event_time) from $part")
rows=$(psql_ -c "select to_char(count(*) * 50, 'FM999,999,999') from asset where tenant_id = '$tenant'")
echo "partition $part: $(psql_ -c "select count(*) from $part") rows," \
    "$(psql_ -c "select pg_size_pretty(pg_total_relation_size('$part'))") with indexes;" \
    "shared_buffers $(psql_ -c 'show shared_buffers')"
psql_ -c "select '  ' || indexrelid::regclass || ' ' || pg_size_pretty(pg_relation_size(indexrelid))
          from pg_index where indrelid = '$part'::regclass"

for half in 0 1; do
    psql_ -c "copy (
        select a.tenant_id, a.id, timestamptz '$newest' + interval '60 s' + interval '1 s' * (k * 10 + (a.n % 10)),
               now(), 10 + (a.n % 100) * 0.001 + k * 0.0001, 50 + (a.n / 100) * 0.001,
               null, null, null, null, null
        from (select id, tenant_id, row_number() over (order by id) as n from asset where tenant_id = '$tenant') a,
             generate_series(1, 50) k
        where a.n % 2 = $half
        order by k, a.id) to '$FILES/copy-diagnostic-$half.csv' (format csv)"
done
cols="tenant_id, asset_id, event_time, received_at, lon, lat, altitude, accuracy, speed, heading, attributes"
psql_ -c "drop table if exists twin; create table twin (like $part including all)"
if [ -n "$TWIN_KEY" ]; then
    psql_ -c "alter table twin drop constraint twin_pkey, add primary key ($TWIN_KEY)"
fi
psql_ -c "select '  twin: ' || pg_get_constraintdef(oid) from pg_constraint where conrelid = 'twin'::regclass and contype = 'p'"
prefill() {
    if [ "$PREFILL" -gt 0 ]; then
        psql_ -c "insert into twin ($cols) select $cols from $part order by event_time limit $PREFILL"
        psql_ -c "vacuum analyze twin"
    fi
}
prefill
echo "twin: $(psql_ -c "select count(*) from twin") rows, $(psql_ -c "select pg_size_pretty(pg_total_relation_size('twin'))") with indexes"

copy_both() { # $1: target table; prints the wall time of the two concurrent COPYs
    psql_ -c "checkpoint"
    local started ended
    started=$(date +%s.%N)
    psql_ -c "copy $1 ($cols) from '$FILES/copy-diagnostic-0.csv' (format csv)" &
    local first=$!
    psql_ -c "copy $1 ($cols) from '$FILES/copy-diagnostic-1.csv' (format csv)" &
    local second=$!
    wait "$first" "$second"
    ended=$(date +%s.%N)
    printf '  %-20s %s rows in %.2f s\n' "$1" "$rows" "$(echo "$ended - $started" | bc)"
}
undo() {
    psql_ -c "delete from $part where event_time > timestamptz '$newest'"
    psql_ -c "truncate twin"
    psql_ -c "vacuum $part"
}

echo "pass 1 (partition first):"
copy_both "$part"
copy_both twin
undo
prefill
echo "pass 2 (twin first):"
copy_both twin
copy_both "$part"
undo
psql_ -c "drop table twin"
psql -d "$DB" -Atq -c "copy (select 1) to program 'rm -f $FILES/copy-diagnostic-0.csv $FILES/copy-diagnostic-1.csv'"
