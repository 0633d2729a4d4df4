package io.sextant.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A section of a Markdown document run as a reader would run it: its {@code bash} blocks in one
 * shell, in order, against the packaged jar. Markers in HTML comments (invisible on the rendered
 * page) say how a block is run: {@code tour:service} starts the service (the packaged jar stands in
 * for {@code ./mvnw -Dmaven.test.skip spring-boot:run}: same code, no nested build), {@code
 * tour:background <name>} runs a block in the background (a terminal of its own in the text), {@code
 * tour:output <name>} is what that background block must print, and a bare {@code tour:output} is
 * what the shell block before it must print. Lines of a block that end in a {@code # … problem}
 * comment are the only ones allowed to answer a problem document.
 *
 * <p>Runs need bash, curl, sed and GNU date, as the tours do: without them a test reports itself
 * skipped and why, unless {@code SEXTANT_TEST_REQUIRE_TOUR_TOOLS=true}, which CI sets, makes their
 * absence a failure.
 */
public final class MarkdownTour implements AutoCloseable {

    /** The command a reader runs to start the service; the packaged jar replaces it. */
    public static final String RUN_COMMAND = "./mvnw -Dmaven.test.skip spring-boot:run";

    private static final Pattern MARKER = Pattern.compile("<!-- tour:(\\w+)(?: (\\w+))? -->");
    private static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern INSTANT = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z");
    private static final Pattern PROBLEM = Pattern.compile("\"type\":\"urn:sextant:problem:");
    private static final String DONE = "__tour_block_done__";
    private static final Duration BLOCK_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    /** A code block of the tour: how it is run ({@code shell} when unmarked), its name, its text. */
    public record Block(String marker, String name, String text) {}

    private final Path work;
    private final StringBuffer shellOutput = new StringBuffer();
    private @Nullable Process shell;

    /** A tour whose service keeps its data, logs and background output under {@code work}. */
    public MarkdownTour(Path work) {
        this.work = work;
    }

    /** The packaged jar the tour runs in place of the README's run command. */
    public static Path jar() {
        Path jar =
                Path.of(System.getProperty("sextant.jar", "target/sextant.jar")).toAbsolutePath();
        assertThat(jar).exists();
        return jar;
    }

    /**
     * The {@code bash} and {@code text} blocks of the section under {@code heading} (up to the next
     * heading of level two), each with the marker that precedes it ({@code shell} when none).
     */
    public static List<Block> blocks(String markdown, String heading) {
        int start = markdown.indexOf(heading + "\n");
        assertThat(start).as("the document has a section " + heading).isNotNegative();
        int end = markdown.indexOf("\n## ", start + 3);
        List<Block> blocks = new ArrayList<>();
        String marker = "shell";
        String name = "";
        StringBuilder current = null;
        for (String line :
                markdown.substring(start, end < 0 ? markdown.length() : end).split("\n", -1)) {
            Matcher matcher = MARKER.matcher(line.trim());
            if (current == null && matcher.matches()) {
                marker = matcher.group(1);
                name = matcher.group(2) == null ? "" : matcher.group(2);
            } else if (current == null && (line.equals("```bash") || line.equals("```text"))) {
                current = new StringBuilder();
            } else if (current != null && line.equals("```")) {
                blocks.add(new Block(marker, name, current.toString()));
                current = null;
                marker = "shell";
                name = "";
            } else if (current != null) {
                current.append(line).append('\n');
            }
        }
        return blocks;
    }

    /** Ids and instants differ from run to run; heartbeats depend on timing. Everything else must match. */
    public static String normalise(String text) {
        StringBuilder out = new StringBuilder();
        for (String line : text.split("\n")) {
            if (line.startsWith(": heartbeat")) {
                continue;
            }
            String stable = INSTANT.matcher(ID.matcher(line).replaceAll("<id>")).replaceAll("<instant>");
            out.append(stable.stripTrailing()).append('\n');
        }
        return out.toString().strip();
    }

    /**
     * Starts the reader's shell: the JDK running the test on the {@code PATH}, no {@code SEXTANT_*}
     * setting but the service's port and a fresh data directory, as on a first start.
     */
    public void startShell(int port) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("bash", "--noprofile", "--norc")
                .redirectErrorStream(true)
                .directory(Path.of("").toAbsolutePath().toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(key -> key.startsWith("SEXTANT_"));
        Path javaBin = Path.of(System.getProperty("java.home"), "bin");
        env.put("PATH", javaBin + File.pathSeparator + env.getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("SEXTANT_PORT", Integer.toString(port));
        env.put("SEXTANT_DB_EMBEDDED_DATA_DIR", work.resolve("data/postgres").toString());
        Process started = builder.start();
        shell = started;
        InputStream stdout = started.getInputStream();
        Thread.ofVirtual().start(() -> {
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = stdout.read(buffer)) >= 0; ) {
                    shellOutput.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException ended) {
                // the shell was stopped
            }
        });
    }

    /** Runs a {@code tour:service} block in the background with the jar for the run command, until ready. */
    public void startService(String script, int port) throws Exception {
        assertThat(script).contains(RUN_COMMAND);
        Path log = work.resolve("service.log");
        runInBackground(script.replace(RUN_COMMAND, "java -jar '" + jar() + "'"), log);
        awaitReady(new ApiClient(port), log);
    }

    /**
     * Runs a block in the tour's shell and checks it the way a reader would read its output: it
     * ends with status 0, curl reports no error, and it prints as many problem documents as it has
     * lines marked {@code # … problem}.
     *
     * @return what the block printed (stdout and stderr, as a terminal shows them)
     */
    public String runInShell(String script) throws Exception {
        int from = shellOutput.length();
        send(script + "\nprintf '\\n" + DONE + " %s\\n' \"$?\"\n");
        Instant deadline = Instant.now().plus(BLOCK_TIMEOUT);
        while (!shellOutput.substring(from).contains(DONE)) {
            assertThat(Instant.now()).as("block finished in time:\n" + script).isBefore(deadline);
            Thread.sleep(50);
        }
        String output = shellOutput.substring(from);
        String printed = output.substring(0, output.indexOf(DONE));
        String status =
                output.substring(output.indexOf(DONE) + DONE.length()).trim().split("\\s")[0];
        assertThat(status)
                .as("exit status of the block:\n%s\noutput:\n%s", script, printed)
                .isEqualTo("0");
        assertThat(printed).as("curl errors in:\n" + printed).doesNotContain("curl: (");
        long problemsExpected =
                script.lines().filter(l -> l.matches(".*#.*problem\\s*$")).count();
        long problems = PROBLEM.matcher(printed).results().count();
        assertThat(problems)
                .as("problem documents in the output of:\n%s\noutput:\n%s", script, printed)
                .isEqualTo(problemsExpected);
        // the printf above starts with a newline so that the marker is on a line of its own
        return printed.endsWith("\n") ? printed.substring(0, printed.length() - 1) : printed;
    }

    /** Runs a block in the background; its stdout goes to {@code output}, its stderr beside it. */
    public void runInBackground(String script, Path output) throws IOException {
        // stdout alone is what a terminal shows; stderr is kept apart (curl's progress meter goes
        // there when its output is not a terminal).
        send("( " + script.strip() + "\n) > '" + output + "' 2> '" + output + ".err' &\n");
    }

    /** The file's text once {@code done} holds for it, within the block timeout. */
    public static String awaitFile(Path file, Predicate<String> done) throws Exception {
        Instant deadline = Instant.now().plus(BLOCK_TIMEOUT);
        String text = "";
        while (Instant.now().isBefore(deadline)) {
            text = Files.exists(file) ? Files.readString(file) : "";
            if (done.test(text)) {
                return text;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting on " + file + "; it holds:\n" + text);
    }

    /**
     * Stops the shell and everything it started in the background (service, receivers, streams),
     * and waits until every one of them has exited, so that none still writes under {@code work}
     * (the service's embedded database stops last) when the caller deletes it.
     */
    @Override
    public void close() throws InterruptedException {
        Process running = shell;
        if (running == null) {
            return;
        }
        // Taken before anything stops: once the shell is gone its background jobs are re-parented
        // and no longer show among its descendants.
        List<ProcessHandle> started = new ArrayList<>(running.descendants().toList());
        started.add(running.toHandle());
        started.forEach(ProcessHandle::destroy);
        Instant deadline = Instant.now().plus(STOP_TIMEOUT);
        for (ProcessHandle process : started) {
            awaitExit(process, Duration.between(Instant.now(), deadline));
        }
        for (ProcessHandle process : started) {
            if (process.isAlive()) {
                process.destroyForcibly();
                awaitExit(process, Duration.ofSeconds(10));
            }
        }
    }

    private static void awaitExit(ProcessHandle process, Duration timeout) throws InterruptedException {
        try {
            process.onExit().get(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException notYet) {
            // forced below, or left to the caller's report
        }
    }

    /** Skips the test (or fails it, in CI) unless bash, curl, sed and GNU date are installed. */
    public static void requireTools(String tour) throws Exception {
        for (String tool : List.of("bash", "curl", "sed")) {
            boolean found =
                    new ProcessBuilder("sh", "-c", "command -v " + tool).start().waitFor() == 0;
            requireOrSkip(tour, found, tool + " is not installed");
        }
        Process date = new ProcessBuilder("date", "-u", "-d", "-1 minute", "+%Y").start();
        requireOrSkip(tour, date.waitFor() == 0, "date is not GNU date (the tour uses date -d)");
    }

    private void awaitReady(ApiClient api, Path log) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (Instant.now().isBefore(deadline)) {
            try {
                if (api.get("/actuator/health/readiness").send().status() == 200) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // not listening yet
            }
            if (!shell().isAlive()) {
                break;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(
                "the service did not become ready:\n" + (Files.exists(log) ? Files.readString(log) : ""));
    }

    private void send(String text) throws IOException {
        Writer stdin = new OutputStreamWriter(shell().getOutputStream(), StandardCharsets.UTF_8);
        stdin.write(text);
        stdin.flush();
    }

    private Process shell() {
        if (shell == null) {
            throw new IllegalStateException("shell not started");
        }
        return shell;
    }

    private static void requireOrSkip(String tour, boolean present, String reason) {
        if ("true".equalsIgnoreCase(System.getenv("SEXTANT_TEST_REQUIRE_TOUR_TOOLS"))) {
            assertThat(present).as(reason).isTrue();
        }
        assumeTrue(present, tour + " not run: " + reason);
    }
}
