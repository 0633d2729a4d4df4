package io.sextant.benchmark;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Sextant as a separate process: {@code java -jar target/sextant.jar}, configured by environment. */
final class SextantProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final int port;
    private final long startedNanos;
    private long readyMillis = -1;

    private SextantProcess(Process process, Path log, int port, long startedNanos) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.startedNanos = startedNanos;
    }

    static SextantProcess start(Path jar, List<String> jvmOptions, Map<String, String> env, int port, Path log)
            throws IOException {
        // Run from a private copy: a rebuild of target/sextant.jar, or anyone's pkill of that path on
        // this shared machine, must not touch the server under measurement.
        Path copy = log.resolveSibling("bench-server.jar");
        if (!Files.exists(copy)
                || Files.size(copy) != Files.size(jar)
                || Files.getLastModifiedTime(copy).compareTo(Files.getLastModifiedTime(jar)) < 0) {
            Files.copy(jar, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(copy.toString());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        builder.environment().putAll(env);
        builder.environment().put("SEXTANT_PORT", Integer.toString(port));
        long started = System.nanoTime();
        return new SextantProcess(builder.start(), log, port, started);
    }

    /** Waits until readiness answers 200; returns the milliseconds from process start. */
    long awaitReady(Duration timeout) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Sextant exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    readyMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
                    return readyMillis;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("Sextant did not become ready within " + timeout + "; see " + log);
    }

    String logText() throws IOException {
        return Files.readString(log);
    }

    Path log() {
        return log;
    }

    int exitValue() {
        return process.isAlive() ? -1 : process.exitValue();
    }

    boolean alive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** SIGTERM (graceful shutdown), then wait. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
