package io.sextant.benchmark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * A diagnostic JFR recording of the Sextant process for one measured round ({@code --profile}),
 * started and stopped with {@code jcmd}, and what it says: where the process's CPU samples fall by
 * thread, what the threads of interest (the ingest writers, the job workers) execute, and where they wait (every park recorded, no
 * threshold). Recording costs a few percent, so a profiled run is never the reported one.
 */
final class JfrProfile {

    /** The ingest writer threads. */
    static final String WRITERS = "position-writer";
    /** The job worker's virtual threads (webhook deliveries among them). */
    static final String JOBS = "job";

    private final long pid;
    private final Path file;
    private final String name;

    private JfrProfile(long pid, Path file, String name) {
        this.pid = pid;
        this.file = file;
        this.name = name;
    }

    static JfrProfile start(long pid, Path file) throws IOException, InterruptedException {
        String name = "bench-" + System.nanoTime();
        jcmd(
                pid,
                "JFR.start",
                "name=" + name,
                "settings=profile",
                "jdk.ThreadPark#threshold=0ms",
                "filename=" + file.toAbsolutePath());
        return new JfrProfile(pid, file, name);
    }

    void stop() throws IOException, InterruptedException {
        jcmd(pid, "JFR.stop", "name=" + name);
    }

    private static void jcmd(long pid, String... command) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>();
        args.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        args.add(Long.toString(pid));
        args.addAll(List.of(command));
        Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + String.join(" ", command) + " failed: " + output);
        }
    }

    /** Report lines: CPU samples by thread, the hottest frames of the {@code focus} threads, and their waits. */
    List<String> summary(String focus) throws IOException {
        Map<String, Integer> byThread = new HashMap<>();
        Map<String, Integer> focusFrames = new HashMap<>();
        Map<String, Long> focusParks = new HashMap<>();
        int samples = 0;
        int focusSamples = 0;
        int focusInFences = 0;
        long focusParkNanos = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
            String type = event.getEventType().getName();
            RecordedThread thread =
                    event.hasField("sampledThread") ? event.getThread("sampledThread") : event.getThread();
            String threadGroup = thread == null ? "?" : group(thread.getJavaName());
            if (type.equals("jdk.ExecutionSample")) {
                samples++;
                byThread.merge(threadGroup, 1, Integer::sum);
                if (threadGroup.equals(focus)) {
                    focusSamples++;
                    RecordedStackTrace stack = event.getStackTrace();
                    if (onStack(stack, "io.sextant.geofencing.FenceEngine", "observe")) {
                        focusInFences++;
                    }
                    focusFrames.merge(where(stack), 1, Integer::sum);
                }
            } else if (type.equals("jdk.ThreadPark") && threadGroup.equals(focus)) {
                long nanos = event.getDuration().toNanos();
                focusParkNanos += nanos;
                focusParks.merge(sextantFrame(event.getStackTrace()), nanos, Long::sum);
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add(String.format(
                Locale.ROOT,
                "JFR execution samples of the Sextant process by thread (%,d samples): %s.",
                samples,
                top(byThread, samples, 8)));
        lines.add(String.format(
                Locale.ROOT,
                "`%s` threads (%,d samples, %.0f%% of them inside `FenceEngine.observe`), by the innermost"
                        + " Sextant frame (and the frame executing): %s.",
                focus,
                focusSamples,
                focusSamples == 0 ? 0 : 100.0 * focusInFences / focusSamples,
                top(focusFrames, focusSamples, 10)));
        List<Map.Entry<String, Long>> parks = new ArrayList<>(focusParks.entrySet());
        parks.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        StringBuilder parked = new StringBuilder();
        for (Map.Entry<String, Long> e : parks.subList(0, Math.min(5, parks.size()))) {
            parked.append(parked.isEmpty() ? "" : ", ")
                    .append(e.getKey())
                    .append(' ')
                    .append(String.format(Locale.ROOT, "%.2f s", e.getValue() / 1e9));
        }
        lines.add(String.format(
                Locale.ROOT,
                "`%s` threads parked %.2f s in all (all threads together), at: %s.",
                focus,
                focusParkNanos / 1e9,
                parked));
        return lines;
    }

    static String group(String threadName) {
        return threadName == null ? "?" : threadName.replaceAll("[-_#]?\\d+$", "");
    }

    static boolean onStack(RecordedStackTrace stack, String type, String method) {
        if (stack == null) {
            return false;
        }
        for (RecordedFrame frame : stack.getFrames()) {
            if (frame.getMethod().getType().getName().equals(type)
                    && frame.getMethod().getName().equals(method)) {
                return true;
            }
        }
        return false;
    }

    /** "innermost Sextant frame ← leaf frame" (the leaf only when it is not the Sextant frame). */
    static String where(RecordedStackTrace stack) {
        if (stack == null || stack.getFrames().isEmpty()) {
            return "?";
        }
        String leaf = name(stack.getFrames().getFirst());
        String sextant = sextantFrame(stack);
        return sextant.equals(leaf) ? "`" + leaf + "`" : "`" + sextant + "` ← `" + leaf + "`";
    }

    static String sextantFrame(RecordedStackTrace stack) {
        if (stack == null) {
            return "?";
        }
        for (RecordedFrame frame : stack.getFrames()) {
            if (frame.getMethod().getType().getName().startsWith("io.sextant.")) {
                return name(frame);
            }
        }
        return stack.getFrames().isEmpty() ? "?" : name(stack.getFrames().getFirst());
    }

    static String name(RecordedFrame frame) {
        String type = frame.getMethod().getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "."
                + frame.getMethod().getName();
    }

    static String top(Map<String, Integer> counts, int total, int n) {
        List<Map.Entry<String, Integer>> entries = new ArrayList<>(counts.entrySet());
        entries.sort(Map.Entry.<String, Integer>comparingByValue().reversed());
        StringBuilder s = new StringBuilder();
        for (Map.Entry<String, Integer> e : entries.subList(0, Math.min(n, entries.size()))) {
            s.append(s.isEmpty() ? "" : "; ")
                    .append(e.getKey())
                    .append(' ')
                    .append(String.format(Locale.ROOT, "%.0f%%", 100.0 * e.getValue() / Math.max(1, total)));
        }
        return s.toString();
    }
}
