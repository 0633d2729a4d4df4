package io.sextant.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged jar run the way users run it: its own process, in a working directory of its own,
 * on its embedded default (no database configured), output captured in {@code <name>.log}.
 */
public final class PackagedJar {

    private final Path jar = Path.of(System.getProperty("sextant.jar", "target/sextant.jar"));
    private final Path workDir;

    public PackagedJar(Path workDir) {
        this.workDir = workDir;
    }

    /** The embedded server's data directory under the working directory. */
    public Path dataDir() {
        return workDir.resolve("data/postgres");
    }

    /**
     * Starts the jar on {@code port} with the given {@code SEXTANT_*} settings and no others, but
     * {@code SEXTANT_DEMO=false} unless they set it.
     */
    public Instance start(String name, int port, Map<String, String> settings) {
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run mvn verify, which packages it");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = workDir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(
                        java, "-Xmx512m", "-jar", jar.toAbsolutePath().toString())
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(key -> key.startsWith("SEXTANT_"));
        env.put("SEXTANT_PORT", Integer.toString(port));
        env.putAll(settings);
        // Tests run without the demo fleet unless they ask for it: its traffic is not theirs.
        env.putIfAbsent("SEXTANT_DEMO", "false");
        try {
            return new Instance(builder.start(), log, new ApiClient(port));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One run of the jar.
     *
     * @param process the JVM
     * @param log its output
     * @param api a client for its HTTP port
     */
    public record Instance(Process process, Path log, ApiClient api) {

        /** Waits until the health endpoint says UP; fails with the output if the process exits first. */
        public Duration awaitHealthy(Duration timeout) throws InterruptedException {
            Instant started = Instant.now();
            Instant deadline = started.plus(timeout);
            while (Instant.now().isBefore(deadline)) {
                if (!process.isAlive()) {
                    throw new AssertionError("service exited early:\n" + output());
                }
                try {
                    ApiClient.Response health = api.get("/actuator/health").send();
                    if (health.status() == 200 && health.body().contains("\"UP\"")) {
                        return Duration.between(started, Instant.now());
                    }
                } catch (RuntimeException notYet) {
                    // not listening yet
                }
                Thread.sleep(250);
            }
            throw new AssertionError("service not healthy within " + timeout + ":\n" + output());
        }

        /** SIGTERM, and waits for the JVM to exit. */
        public void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("service did not stop within 60 s of SIGTERM");
            }
        }

        /** kill -9 of the JVM alone, and waits for it to be gone. */
        public void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }

        public String output() {
            try {
                return Files.readString(log);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
