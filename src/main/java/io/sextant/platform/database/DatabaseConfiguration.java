package io.sextant.platform.database;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.Objects;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * One data source for the whole application: the external PostgreSQL named by {@code
 * SEXTANT_DB_URL}, or else the embedded server started here.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseConfiguration {

    @Bean(destroyMethod = "close")
    @Nullable
    EmbeddedPostgresServer embeddedPostgresServer(
            DatabaseProperties properties, @Value("${server.port:8080}") int httpPort) {
        return properties.isEmbedded() ? EmbeddedPostgresServer.start(properties.embedded(), httpPort) : null;
    }

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(DatabaseProperties properties, ObjectProvider<EmbeddedPostgresServer> embedded) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("sextant");
        config.setMaximumPoolSize(properties.poolSize());
        if (properties.isEmbedded()) {
            EmbeddedPostgresServer server = Objects.requireNonNull(embedded.getIfAvailable());
            config.setJdbcUrl(server.jdbcUrl());
            config.setUsername("postgres");
            config.setPassword(server.password());
        } else {
            config.setJdbcUrl(properties.url());
            config.setUsername(properties.username());
            config.setPassword(properties.password());
        }
        return new HikariDataSource(config);
    }

    @Bean
    PlatformTransactionManager transactionManager(DataSource dataSource) {
        return new TenantScopedTransactionManager(dataSource);
    }
}
