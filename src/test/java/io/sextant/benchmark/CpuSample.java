package io.sextant.benchmark;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Where the machine's CPU went during a phase, from /proc (Linux): the whole machine's busy time,
 * the Sextant process, this driver, and every {@code postgres} process. Clock ticks are 1/100 s.
 */
record CpuSample(
        long wallNanos, long machineBusy, long machineTotal, long steal, long sextant, long driver, long postgres) {

    static CpuSample take(long sextantPid) {
        long[] machine = machine();
        return new CpuSample(
                System.nanoTime(),
                machine[0],
                machine[1],
                machine[2],
                sextantPid > 0 ? process(Path.of("/proc", Long.toString(sextantPid), "stat")) : 0,
                process(Path.of("/proc/self/stat")),
                postgresTicks());
    }

    /** "Sextant 61%, PostgreSQL 95%, driver 20%, machine 180% of 200%" as a share of one core. */
    String since(CpuSample before) {
        double seconds = (wallNanos - before.wallNanos) / 1e9;
        if (seconds <= 0 || machineTotal == 0) {
            return "n/a";
        }
        double cores = Runtime.getRuntime().availableProcessors();
        double busyShare =
                (double) (machineBusy - before.machineBusy) / Math.max(1, machineTotal - before.machineTotal);
        double stolen = (double) (steal - before.steal) / Math.max(1, machineTotal - before.machineTotal) * cores * 100;
        return String.format(
                Locale.ROOT,
                "Sextant %.0f%%, PostgreSQL %.0f%%, driver %.0f%%, other %.0f%%, stolen by the host %.0f%% (machine busy"
                        + " %.0f%% of %.0f%%)",
                pct(sextant - before.sextant, seconds),
                pct(postgres - before.postgres, seconds),
                pct(driver - before.driver, seconds),
                Math.max(
                        0,
                        busyShare * cores * 100
                                - stolen
                                - pct(sextant - before.sextant, seconds)
                                - pct(postgres - before.postgres, seconds)
                                - pct(driver - before.driver, seconds)),
                stolen,
                busyShare * cores * 100,
                cores * 100);
    }

    private static double pct(long ticks, double seconds) {
        return ticks / 100.0 / seconds * 100;
    }

    /**
     * The machine's busy, total and steal clock ticks, from one read of /proc/stat's first line
     * (fields 1–8: user … steal; idle and iowait are not busy). Steal is time a virtual machine's CPUs
     * were ready to run while the host ran something else; it counts as busy.
     */
    private static long[] machine() {
        try {
            String[] f =
                    Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            long total = 0;
            long idle = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                long v = Long.parseLong(f[i]);
                total += v;
                if (i == 4 || i == 5) {
                    idle += v;
                }
            }
            return new long[] {total - idle, total, f.length > 8 ? Long.parseLong(f[8]) : 0};
        } catch (IOException | RuntimeException e) {
            return new long[3];
        }
    }

    private static long process(Path stat) {
        try {
            String s = Files.readString(stat);
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            // after the command: state is field 3, utime 14, stime 15 (1-based over the whole line)
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static long postgresTicks() {
        long sum = 0;
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : procs) {
                try {
                    List<String> comm = Files.readAllLines(p.resolve("comm"));
                    if (!comm.isEmpty() && comm.getFirst().startsWith("postgres")) {
                        sum += process(p.resolve("stat"));
                    }
                } catch (IOException | RuntimeException e) {
                    // exited meanwhile
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return sum;
    }
}
