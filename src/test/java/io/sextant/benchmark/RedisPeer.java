package io.sextant.benchmark;

import io.lettuce.core.GeoArgs;
import io.lettuce.core.GeoSearch;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Redis GEO as the live-query peer: GEOADD the points, GEOSEARCH around query points. */
final class RedisPeer implements AutoCloseable {

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisCommands<String, String> sync;
    private final String prefix;
    private final String key;

    RedisPeer(String uri, String prefix) {
        this.client = RedisClient.create(uri);
        this.client.setOptions(io.lettuce.core.ClientOptions.builder()
                .timeoutOptions(io.lettuce.core.TimeoutOptions.enabled(Duration.ofSeconds(60)))
                .build());
        this.connection = client.connect();
        this.sync = connection.sync();
        this.prefix = prefix;
        this.key = prefix + "live";
    }

    String version() {
        for (String line : sync.info("server").split("\r?\n")) {
            if (line.startsWith("redis_version:")) {
                return line.substring("redis_version:".length());
            }
        }
        return "unknown";
    }

    /** Loads the points with pipelined GEOADDs of {@code chunk} members each; returns members added. */
    long load(double[] lon, double[] lat, String[] members, int chunk) {
        sync.del(key);
        RedisAsyncCommands<String, String> async = connection.async();
        connection.setAutoFlushCommands(false);
        List<RedisFuture<Long>> futures = new ArrayList<>();
        try {
            for (int from = 0; from < members.length; from += chunk) {
                int to = Math.min(members.length, from + chunk);
                Object[] values = new Object[(to - from) * 3];
                for (int i = from; i < to; i++) {
                    values[(i - from) * 3] = lon[i];
                    values[(i - from) * 3 + 1] = lat[i];
                    values[(i - from) * 3 + 2] = members[i];
                }
                futures.add(async.geoadd(key, values));
                if (futures.size() >= 16) {
                    connection.flushCommands();
                    LettuceFutures.awaitAll(Duration.ofMinutes(2), futures.toArray(new RedisFuture<?>[0]));
                    futures.clear();
                }
            }
            connection.flushCommands();
            LettuceFutures.awaitAll(Duration.ofMinutes(2), futures.toArray(new RedisFuture<?>[0]));
        } finally {
            connection.setAutoFlushCommands(true);
        }
        return sync.zcard(key);
    }

    /** GEOSEARCH FROMLONLAT lon lat BYRADIUS km km ASC [COUNT count]: member names, nearest first. */
    List<String> search(double lon, double lat, double km, int count) {
        GeoArgs args = new GeoArgs().asc();
        if (count > 0) {
            args.withCount(count);
        }
        return sync
                .geosearch(key, GeoSearch.fromCoordinates(lon, lat), GeoSearch.byRadius(km, GeoArgs.Unit.km), args)
                .stream()
                .map(v -> v.getMember())
                .toList();
    }

    Set<String> searchSet(double lon, double lat, double km) {
        return Set.copyOf(
                sync.geosearch(key, GeoSearch.fromCoordinates(lon, lat), GeoSearch.byRadius(km, GeoArgs.Unit.km)));
    }

    long memoryBytes() {
        Long bytes = sync.memoryUsage(key);
        return bytes == null ? -1 : bytes;
    }

    void deleteAll() {
        List<String> keys = sync.keys(prefix + "*");
        if (!keys.isEmpty()) {
            sync.del(keys.toArray(String[]::new));
        }
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
