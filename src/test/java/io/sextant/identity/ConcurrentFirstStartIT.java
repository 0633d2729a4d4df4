package io.sextant.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.sextant.SextantApplication;
import io.sextant.testing.ApiClient;
import io.sextant.testing.SextantIT;
import io.sextant.testing.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.DefaultApplicationArguments;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Nodes started at once on an empty database (a fresh deployment of replicas) each run the bootstrap:
 * one creates the bootstrap tenant and administrator, the others wait for it and find them — none
 * fails its start. The bootstrap of several nodes is run here at the same instant, on one node's
 * beans (each run in its own transaction, as on its own node), against a database emptied of tenants.
 */
class ConcurrentFirstStartIT {

    private static final int NODES = 4;

    @Test
    void bootstraps_run_at_once_on_an_empty_database_create_one_administrator_and_none_fails() throws Exception {
        String url = TestDatabases.create();
        Path keyset = Files.createTempDirectory("sextant-first-start").resolve("secrets.keyset");
        try (ConfigurableApplicationContext node = startNode(url, keyset)) {
            JdbcClient jdbc = JdbcClient.create(new DriverManagerDataSource(url));
            jdbc.sql("delete from tenant").update();
            BootstrapAdministrator bootstrap = node.getBean(BootstrapAdministrator.class);
            ApplicationArguments none = new DefaultApplicationArguments();

            CyclicBarrier together = new CyclicBarrier(NODES);
            List<CompletableFuture<Void>> runs = new ArrayList<>();
            for (int i = 0; i < NODES; i++) {
                runs.add(CompletableFuture.runAsync(() -> {
                    try {
                        together.await();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    bootstrap.run(none);
                }));
            }
            for (CompletableFuture<Void> run : runs) {
                run.join(); // a failed bootstrap (the tenant created twice) throws here
            }

            assertThat(jdbc.sql("select count(*) from tenant").query(Long.class).single())
                    .isOne();
            assertThat(jdbc.sql("select count(*) from user_account")
                            .query(Long.class)
                            .single())
                    .isOne();
            int port = ((WebServerApplicationContext) node).getWebServer().getPort();
            assertThat(new ApiClient(port).signIn(SextantIT.ADMIN, SextantIT.ADMIN_PASSWORD))
                    .isNotBlank();
        }
    }

    private static ConfigurableApplicationContext startNode(String url, Path keyset) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("sextant.db.url", url);
        properties.put("sextant.secrets.keyset-file", keyset.toString());
        properties.put("server.port", "0");
        properties.put("sextant.http.shutdown-drain", "0s");
        properties.put("sextant.auth.issuer", SextantIT.ISSUER);
        properties.put("sextant.auth.bootstrap.admin-password", SextantIT.ADMIN_PASSWORD);
        properties.put("sextant.db.pool-size", "4");
        properties.put("logging.level.root", "WARN");
        String[] args = properties.entrySet().stream()
                .map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        return new SpringApplicationBuilder(SextantApplication.class).run(args);
    }
}
