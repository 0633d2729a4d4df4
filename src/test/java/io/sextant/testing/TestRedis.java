package io.sextant.testing;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import redis.embedded.RedisServer;

/**
 * A Redis server for tests: the one named by {@code SEXTANT_TEST_REDIS_URL} (CI sets
 * redis://127.0.0.1:6379), or else an embedded one started on a free loopback port for the whole
 * test run, so the tests need nothing but a JDK. Tests share it: each uses keys of its own, under a
 * {@link #prefix} that is deleted when the test run ends (the machine's Redis outlives it).
 */
public final class TestRedis {

    private static String url;
    private static final Set<String> PREFIXES = ConcurrentHashMap.newKeySet();

    private TestRedis() {}

    public static synchronized String url() {
        if (url == null) {
            String configured = System.getenv("SEXTANT_TEST_REDIS_URL");
            url = configured != null && !configured.isBlank() ? configured : startEmbedded();
        }
        return url;
    }

    /**
     * A key prefix of the caller's own, {@code test-<name>-<uuid>:}, whose keys are deleted when the
     * test JVM exits. Take it once (a static field) and hand that value on: the test's Sextant must
     * see one prefix for its whole life.
     */
    public static String prefix(String name) {
        String prefix = "test-" + name + "-" + UUID.randomUUID() + ":";
        synchronized (PREFIXES) {
            if (PREFIXES.isEmpty()) {
                Runtime.getRuntime().addShutdownHook(new Thread(TestRedis::deletePrefixes, "delete-test-redis-keys"));
            }
            PREFIXES.add(prefix);
        }
        return prefix;
    }

    /**
     * Deletes every key under the prefixes handed out. Spring closes the test contexts from a
     * shutdown hook of its own, in no set order with this one, so a key a context writes while it
     * stops may outlive it; the thousands a test run writes do not.
     */
    private static void deletePrefixes() {
        RedisClient client = RedisClient.create(url());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisCommands<String, String> redis = connection.sync();
            for (String prefix : PREFIXES) {
                ScanArgs match = ScanArgs.Builder.matches(prefix + "*").limit(1_000);
                KeyScanCursor<String> cursor = redis.scan(match);
                while (true) {
                    if (!cursor.getKeys().isEmpty()) {
                        redis.unlink(cursor.getKeys().toArray(String[]::new));
                    }
                    if (cursor.isFinished()) {
                        break;
                    }
                    cursor = redis.scan(ScanCursor.of(cursor.getCursor()), match);
                }
            }
        } catch (RuntimeException e) {
            System.err.println("could not delete the tests' Redis keys: " + e.getMessage());
        } finally {
            client.shutdown();
        }
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
