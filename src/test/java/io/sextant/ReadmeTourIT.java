package io.sextant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sextant.testing.ApiClient;
import io.sextant.testing.PackagedJar;
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
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's five-minute tour, run as a reader would run it: every {@code bash} block of the tour
 * section in one shell, in order, against a freshly started service, and the output the README
 * shows compared with what the service really prints. Markers in HTML comments (invisible on the
 * rendered page) say how a block is run: {@code tour:service} starts the service (the packaged
 * jar stands in for {@code ./mvnw spring-boot:run}: same code, no nested build),
 * {@code tour:background <name>} runs a block in the background (a terminal of its own in the
 * text), {@code tour:output <name>} is what that background block must print. A block's lines that
 * end in a {@code # … problem} comment are the only ones allowed to answer a problem document.
 *
 * <p>It needs bash, curl, sed and GNU date, as the tour does: without them (a laptop without GNU
 * date) it reports itself skipped and why, unless {@code SEXTANT_TEST_REQUIRE_TOUR_TOOLS=true},
 * which CI sets, makes their absence a failure.
 */
class ReadmeTourIT {

    private static final Pattern MARKER = Pattern.compile("<!-- tour:(\\w+)(?: (\\w+))? -->");
    private static final Pattern ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern INSTANT = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z");
    private static final String DONE = "__tour_block_done__";
    private static final String SECRET_PLACEHOLDER = "whsec_...the secret above...";
    private static final Duration BLOCK_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path work;

    private @Nullable Process shell;
    private final StringBuffer shellOutput = new StringBuffer();

    @AfterEach
    void stopEverything() throws Exception {
        if (shell != null && shell.isAlive()) {
            // Background jobs (service, receiver, stream) are the shell's children: stop them first.
            shell.descendants().forEach(ProcessHandle::destroy);
            shell.destroy();
            shell.waitFor(60, TimeUnit.SECONDS);
            shell.descendants().forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void the_tour_runs_verbatim_and_prints_what_the_readme_shows() throws Exception {
        requireTools("bash", "curl", "sed");
        requireGnuDate();
        Path jar =
                Path.of(System.getProperty("sextant.jar", "target/sextant.jar")).toAbsolutePath();
        assertThat(jar).exists();
        int port = PackagedJar.freePort();
        int receiverPort = PackagedJar.freePort();
        List<Block> blocks = tourBlocks(Files.readString(Path.of("README.md")));
        assertThat(blocks).as("the tour's code blocks").hasSizeGreaterThan(8);

        startShell(port);
        Map<String, Path> backgroundOutputs = new java.util.HashMap<>();
        for (Block block : blocks) {
            String script = block.text()
                    .replace("localhost:8080", "localhost:" + port)
                    .replace("127.0.0.1:9000", "127.0.0.1:" + receiverPort)
                    .replace("WebhookReceiver.java 9000", "WebhookReceiver.java " + receiverPort);
            switch (block.marker()) {
                case "service" -> {
                    assertThat(script).contains("./mvnw -Dmaven.test.skip spring-boot:run");
                    String command =
                            script.replace("./mvnw -Dmaven.test.skip spring-boot:run", "java -jar '" + jar + "'");
                    runInBackground(command, work.resolve("service.log"));
                    awaitReady(new ApiClient(port), work.resolve("service.log"));
                }
                case "background" -> {
                    Path output = work.resolve(block.name() + ".out");
                    String command = script.replace(
                            SECRET_PLACEHOLDER, "$(echo \"$SUB\" | sed -E 's/.*\"secret\":\"([^\"]+)\".*/\\1/')");
                    runInBackground(command, output);
                    backgroundOutputs.put(block.name(), output);
                    awaitFile(output, text -> text.contains("Listening on") || text.contains(": connected"));
                }
                case "output" -> {
                    Path output = backgroundOutputs.get(block.name());
                    assertThat(output)
                            .as("the block whose output is shown runs first")
                            .isNotNull();
                    long events = block.text()
                            .lines()
                            .filter(l -> l.startsWith("event: "))
                            .count();
                    String actual = awaitFile(
                            output,
                            text -> text.lines()
                                            .filter(l -> l.startsWith("event: "))
                                            .count()
                                    >= events);
                    // An event the stream must not print (an exit outside a caller's region) would come
                    // with the ones it prints, in the same batch: give it time to show before comparing.
                    Thread.sleep(1_500);
                    actual = Files.readString(output);
                    assertThat(normalise(actual))
                            .as("what the stream printed, ids and times aside")
                            .isEqualTo(normalise(block.text()));
                    assertReceiverSawTheSameEvents(backgroundOutputs.get("receiver"), actual);
                }
                default -> runInShell(script);
            }
        }
    }

    /** Every event id the stream printed reached the receiver with a valid signature, as the text says. */
    private void assertReceiverSawTheSameEvents(@Nullable Path receiverOutput, String streamOutput) throws Exception {
        assertThat(receiverOutput).as("the tour runs the webhook receiver").isNotNull();
        List<String> ids = streamOutput
                .lines()
                .filter(l -> l.startsWith("id: "))
                .map(l -> l.substring(4).trim())
                .toList();
        assertThat(ids).isNotEmpty();
        String received = awaitFile(
                receiverOutput, text -> ids.stream().allMatch(id -> text.contains("webhook-id " + id + " · ")));
        for (String id : ids) {
            assertThat(received).contains("webhook-id " + id + " · signature ok");
        }
    }

    /** The bash blocks of the tour section with the marker that precedes each (none: run in the shell). */
    static List<Block> tourBlocks(String readme) {
        int start = readme.indexOf("## A five-minute tour");
        assertThat(start).as("the README has a tour").isNotNegative();
        int end = readme.indexOf("\n## ", start + 3);
        List<Block> blocks = new ArrayList<>();
        String marker = "shell";
        String name = "";
        StringBuilder current = null;
        for (String line :
                readme.substring(start, end < 0 ? readme.length() : end).split("\n", -1)) {
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
    static String normalise(String sse) {
        StringBuilder out = new StringBuilder();
        for (String line : sse.split("\n")) {
            if (line.startsWith(": heartbeat")) {
                continue;
            }
            String stable = INSTANT.matcher(ID.matcher(line).replaceAll("<id>")).replaceAll("<instant>");
            out.append(stable.stripTrailing()).append('\n');
        }
        return out.toString().strip();
    }

    private void startShell(int port) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("bash", "--noprofile", "--norc")
                .redirectErrorStream(true)
                .directory(Path.of("").toAbsolutePath().toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(key -> key.startsWith("SEXTANT_"));
        // The reader's JDK (the one running this test), the service on a port of its own, and a data
        // directory that is fresh, as on a first start.
        Path javaBin = Path.of(System.getProperty("java.home"), "bin");
        env.put("PATH", javaBin + java.io.File.pathSeparator + env.getOrDefault("PATH", "/usr/bin:/bin"));
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("SEXTANT_PORT", Integer.toString(port));
        env.put("SEXTANT_DB_EMBEDDED_DATA_DIR", work.resolve("data/postgres").toString());
        shell = builder.start();
        InputStream stdout = shell.getInputStream();
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

    /** Runs a block in the tour's shell and checks it the way a reader would read its output. */
    private void runInShell(String script) throws Exception {
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
        long problems = Pattern.compile("\"type\":\"urn:sextant:problem:")
                .matcher(printed)
                .results()
                .count();
        assertThat(problems)
                .as("problem documents in the output of:\n%s\noutput:\n%s", script, printed)
                .isEqualTo(problemsExpected);
    }

    private void runInBackground(String script, Path output) throws IOException {
        // stdout alone is what a terminal shows; stderr is kept apart (curl's progress meter goes
        // there when its output is not a terminal).
        send("( " + script.strip() + "\n) > '" + output + "' 2> '" + output + ".err' &\n");
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

    private static String awaitFile(Path file, Predicate<String> done) throws Exception {
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

    private static void requireTools(String... tools) throws Exception {
        for (String tool : tools) {
            boolean found =
                    new ProcessBuilder("sh", "-c", "command -v " + tool).start().waitFor() == 0;
            requireOrSkip(found, tool + " is not installed");
        }
    }

    private static void requireGnuDate() throws Exception {
        Process date = new ProcessBuilder("date", "-u", "-d", "-1 minute", "+%Y").start();
        requireOrSkip(date.waitFor() == 0, "date is not GNU date (the tour uses date -d)");
    }

    private static void requireOrSkip(boolean present, String reason) {
        if ("true".equalsIgnoreCase(System.getenv("SEXTANT_TEST_REQUIRE_TOUR_TOOLS"))) {
            assertThat(present).as(reason).isTrue();
        }
        assumeTrue(present, "README tour not run: " + reason);
    }

    record Block(String marker, String name, String text) {}
}
