package io.sextant.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import redis.embedded.RedisServer;

/**
 * A Redis server for tests: the one named by {@code SEXTANT_TEST_REDIS_URL} (CI sets
 * redis://127.0.0.1:6379), or else an embedded one started on a free loopback port for the whole
 * test run, so the tests need nothing but a JDK. Tests share it: each uses keys of its own.
 */
public final class TestRedis {

    private static String url;

    private TestRedis() {}

    public static synchronized String url() {
        if (url == null) {
            String configured = System.getenv("SEXTANT_TEST_REDIS_URL");
            url = configured != null && !configured.isBlank() ? configured : startEmbedded();
        }
        return url;
    }

    /**
     * An embedded Redis server on {@code port} of the loopback address, not started, keeping nothing
     * on disk: for a test that stops and starts a server of its own.
     */
    public static RedisServer server(int port) throws IOException {
        return RedisServer.newRedisServer()
                .bind("127.0.0.1")
                .port(port)
                .setting("save \"\"")
                .setting("appendonly no")
                .build();
    }

    /**
     * An embedded Redis server on {@code port} of the loopback address, not started, that keeps its
     * data in {@code dir} the way a production Redis with AOF does (every write appended and fsynced
     * before it is acknowledged): stopped and started again, it has everything it acknowledged.
     */
    public static RedisServer persistentServer(int port, Path dir) throws IOException {
        return RedisServer.newRedisServer()
                .bind("127.0.0.1")
                .port(port)
                .setting("dir " + dir.toAbsolutePath())
                .setting("save \"\"")
                .setting("appendonly yes")
                .setting("appendfsync always")
                .build();
    }

    /** A loopback port nothing listens on now. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String startEmbedded() {
        try {
            int port = freePort();
            RedisServer server = server(port);
            server.start();
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                try {
                                    server.stop();
                                } catch (IOException e) {
                                    System.err.println("could not stop embedded Redis: " + e.getMessage());
                                }
                            },
                            "stop-test-redis"));
            return "redis://127.0.0.1:" + port;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
