package io.sextant.platform.database;

import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where Sextant keeps its data. With no {@code url}, Sextant runs an embedded PostgreSQL server
 * whose data directory persists across restarts.
 *
 * @param url JDBC URL of an external PostgreSQL 15+ ({@code SEXTANT_DB_URL}); empty for embedded
 * @param username user for the external database ({@code SEXTANT_DB_USERNAME})
 * @param password password for the external database ({@code SEXTANT_DB_PASSWORD})
 * @param poolSize maximum connections in the pool ({@code SEXTANT_DB_POOL_SIZE})
 * @param connectionTimeout longest wait for a pooled connection before the request fails with 503
 *     {@code database-unavailable} ({@code SEXTANT_DB_CONNECTION_TIMEOUT})
 * @param healthTimeout longest wait of the readiness check for the database before it reports DOWN
 *     ({@code SEXTANT_DB_HEALTH_TIMEOUT})
 * @param embedded settings of the embedded server
 */
@ConfigurationProperties("sextant.db")
public record DatabaseProperties(
        @Nullable String url,
        @Nullable String username,
        @Nullable String password,
        @DefaultValue("32") int poolSize,
        @DefaultValue("5s") Duration connectionTimeout,
        @DefaultValue("2s") Duration healthTimeout,
        @DefaultValue Embedded embedded) {

    public boolean isEmbedded() {
        return url == null || url.isBlank();
    }

    /**
     * @param dataDir data directory, created on first start ({@code SEXTANT_DB_EMBEDDED_DATA_DIR})
     * @param port TCP port on 127.0.0.1, 0 for any free port ({@code SEXTANT_DB_EMBEDDED_PORT})
     */
    public record Embedded(
            @DefaultValue("data/postgres") Path dataDir,
            @DefaultValue("0") int port) {}
}
