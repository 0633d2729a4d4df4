package io.sextant.testing;

import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * A fresh database (see {@link TestDatabases}) with Sextant's schema, for tests of SQL that need no
 * application context. Queries run as the server's user (the owner), so row-level security does not
 * apply: tests scope by tenant themselves.
 */
public final class MigratedDatabases {

    private MigratedDatabases() {}

    /** Creates and migrates a database; the client holds one connection to it, in auto-commit. */
    public static JdbcClient create() {
        return JdbcClient.create(createDataSource());
    }

    /** Creates and migrates a database, reached through one connection in auto-commit. */
    public static DataSource createDataSource() {
        SingleConnectionDataSource dataSource = new SingleConnectionDataSource(TestDatabases.create(), true);
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        return dataSource;
    }

    /** Adds a tenant with a unique slug and returns its id. */
    public static UUID tenant(JdbcClient jdbc) {
        UUID id = UUID.randomUUID();
        jdbc.sql("insert into tenant (id, slug, name) values (:id, :slug, 'Test tenant')")
                .param("id", id)
                .param("slug", "t-" + id.toString().replace("-", ""))
                .update();
        return id;
    }
}
