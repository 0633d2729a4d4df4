#!/usr/bin/env python3
"""CPU per JVM thread group while a benchmark runs (diagnostic; Linux /proc only).

JFR's execution samples see Java code only: a thread's time in system calls (a relay's round trips
to PostgreSQL, a writer's socket writes) and the GC and compiler threads do not show there. This
reads every thread's user + system ticks from /proc instead.

  scripts/diagnostics/jvm-thread-cpu.py sample OUT [--match bench-server.jar] [--database sextant_bench]
      every 2 s, appends each thread's ticks of the first process whose command line contains
      --match, and the database's committed transactions (pg_stat_database, through psql), to OUT;
      runs until stopped. Start it beside scripts/benchmark.sh.
  scripts/diagnostics/jvm-thread-cpu.py report OUT
      CPU per thread group (numbered threads summed) over the 2 s intervals in which the JVM used
      more than 30 % of a core and its C2 compiler less than 5 % of that: the measured, warm rounds,
      not start-up, warm-up's compilation or the COPYs beside them. Also the database's commits/s.
"""
import argparse
import collections
import glob
import os
import re
import subprocess
import time

# The kernel keeps 15 characters of a thread's name: HotSpot's "C2 CompilerThread0" reads so.
C2 = 'C2 CompilerThre'


def find(match):
    for pid in filter(str.isdigit, os.listdir('/proc')):
        try:
            with open(f'/proc/{pid}/cmdline', 'rb') as f:
                if match.encode() in f.read():
                    return pid
        except OSError:
            pass
    return None


def sample(out, match, database):
    pid = None
    with open(out, 'a') as sink:
        while True:
            if pid is None or not os.path.exists(f'/proc/{pid}'):
                pid = find(match)
            if pid:
                now = time.time()
                lines = []
                for task in glob.glob(f'/proc/{pid}/task/*'):
                    try:
                        with open(task + '/stat') as f:
                            stat = f.read()
                    except OSError:
                        continue
                    name = stat[stat.index('(') + 1:stat.rindex(')')]
                    fields = stat[stat.rindex(')') + 2:].split()
                    ticks = int(fields[11]) + int(fields[12])  # utime + stime
                    lines.append(f'{now}|thread|{task.rsplit("/", 1)[1]}|{name}|{ticks}')
                try:
                    commits = subprocess.run(
                        ['psql', '-h', '127.0.0.1', '-U', 'postgres', '-Atc',
                         f"select xact_commit from pg_stat_database where datname = '{database}'"],
                        capture_output=True, text=True, timeout=5).stdout.strip()
                    if commits:
                        lines.append(f'{now}|commits|{commits}')
                except (OSError, subprocess.SubprocessError):
                    pass
                sink.write('\n'.join(lines) + '\n')
                sink.flush()
            time.sleep(2)


def report(path):
    threads = collections.OrderedDict()
    commits = {}
    with open(path) as f:
        for line in f:
            parts = line.rstrip('\n').split('|')
            if parts[1] == 'commits':
                commits[parts[0]] = int(parts[2])
            elif parts[1] == 'thread':
                threads.setdefault(parts[0], {})[parts[2]] = (parts[3], int(parts[4]))
    times = list(threads)
    total = collections.Counter()
    seconds = 0.0
    committed = 0
    ticks_per_s = os.sysconf('SC_CLK_TCK')
    for a, b in zip(times, times[1:]):
        delta = collections.Counter()
        for tid, (name, ticks) in threads[b].items():
            if tid in threads[a]:
                delta[re.sub(r'[#\-_]?\d+$', '', name)] += ticks - threads[a][tid][1]
        span = float(b) - float(a)
        busy = sum(delta.values())
        if busy / span / ticks_per_s > 0.3 and delta[C2] < 0.05 * busy:
            seconds += span
            total.update(delta)
            if a in commits and b in commits:
                committed += commits[b] - commits[a]
    if not seconds:
        print('no interval with the JVM busy')
        return
    all_ticks = sum(total.values())
    print(f'{seconds:.0f} s measured; the JVM used {all_ticks / seconds / ticks_per_s:.3f} cores; '
          f'the database committed {committed / seconds:.0f} transactions/s')
    print('| thread group | share of the JVM | cores |')
    print('|---|---|---|')
    for name, ticks in total.most_common(15):
        print(f'| {name} | {100 * ticks / all_ticks:.1f} % | {ticks / seconds / ticks_per_s:.3f} |')


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest='command', required=True)
    s = commands.add_parser('sample')
    s.add_argument('out')
    s.add_argument('--match', default='bench-server.jar')
    s.add_argument('--database', default='sextant_bench')
    r = commands.add_parser('report')
    r.add_argument('file')
    args = parser.parse_args()
    if args.command == 'sample':
        sample(args.out, args.match, args.database)
    else:
        report(args.file)


if __name__ == '__main__':
    main()
