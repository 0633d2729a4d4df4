package io.sextant.benchmark;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where the machine's CPU went during a phase, from /proc (Linux): the whole machine's busy time,
 * the Sextant process, this driver, and PostgreSQL. Clock ticks are 1/100 s.
 *
 * <p>PostgreSQL is every {@code postgres} process alive at the sample, plus the time of its exited
 * processes: a postmaster's children's time ({@code cutime}, {@code cstime}) holds every child it
 * has reaped, such as an autovacuum worker that started and ended between two samples, which a sum
 * over live processes alone would miss (and count as "other"). Of that, {@code postgresBackground}
 * is what served no client connection: the background processes (checkpointer, background writer,
 * WAL writer, autovacuum) and the exited ones (mostly autovacuum workers; a client connection that
 * closes during the phase moves its whole time there, so the split is a diagnostic, the total exact).
 */
record CpuSample(
        long wallNanos,
        long machineBusy,
        long machineTotal,
        long steal,
        long sextant,
        long driver,
        long postgres,
        long postgresBackground) {

    static CpuSample take(long sextantPid) {
        long[] machine = machine();
        long[] postgres = postgresTicks();
        return new CpuSample(
                System.nanoTime(),
                machine[0],
                machine[1],
                machine[2],
                sextantPid > 0 ? process(Path.of("/proc", Long.toString(sextantPid), "stat")) : 0,
                process(Path.of("/proc/self/stat")),
                postgres[0],
                postgres[1]);
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
                "Sextant %.0f%%, PostgreSQL %.0f%% (background %.0f%%), driver %.0f%%, other %.0f%%, stolen by the host"
                        + " %.0f%% (machine busy %.0f%% of %.0f%%)",
                pct(sextant - before.sextant, seconds),
                pct(postgres - before.postgres, seconds),
                pct(postgresBackground - before.postgresBackground, seconds),
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
        long[] times = times(stat);
        return times[0];
    }

    /** A process's own time (utime + stime) and its reaped children's (cutime + cstime), in ticks. */
    private static long[] times(Path stat) {
        try {
            String s = Files.readString(stat);
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            // after the command: state is field 3, utime 14, stime 15, cutime 16, cstime 17 (1-based
            // over the whole line)
            return new long[] {
                Long.parseLong(f[11]) + Long.parseLong(f[12]), Long.parseLong(f[13]) + Long.parseLong(f[14])
            };
        } catch (IOException | RuntimeException e) {
            return new long[2];
        }
    }

    /**
     * All of PostgreSQL's ticks and those that served no client connection: live processes' own time,
     * plus their reaped children's time (only the postmaster has children). A client backend's
     * command line names its client ({@code host(port)} or {@code [local]}); every other process is
     * background.
     */
    private static long[] postgresTicks() {
        long all = 0;
        long background = 0;
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : procs) {
                try {
                    List<String> comm = Files.readAllLines(p.resolve("comm"));
                    if (comm.isEmpty() || !comm.getFirst().startsWith("postgres")) {
                        continue;
                    }
                    long[] times = times(p.resolve("stat"));
                    String command = Files.readString(p.resolve("cmdline")).replace('\0', ' ');
                    boolean client = CLIENT.matcher(command).find();
                    all += times[0] + times[1];
                    background += (client ? 0 : times[0]) + times[1];
                } catch (IOException | RuntimeException e) {
                    // exited meanwhile
                }
            }
        } catch (IOException e) {
            return new long[2];
        }
        return new long[] {all, background};
    }

    /** What a client backend's command line shows after its user and database: its client's address. */
    private static final Pattern CLIENT = Pattern.compile("\\S+\\(\\d+\\)|\\[local\\]");
}
