package io.sextant.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sextant.SextantApplication;
import io.sextant.testing.ApiClient;
import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.TestDatabases;
import io.sextant.testing.TestOidcProvider;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Secrets are stored sealed under a key that is not in the database: the issuer's private keys and
 * webhook secrets are not readable from their tables; the same key reads them back after a restart;
 * rows from before encryption at rest are sealed on start; a different key stops the start, naming
 * what it could not open.
 */
class SecretsAtRestIT {

    private static final String PASSWORD = "secrets-test-password";
    private static final String PUBLIC_URL = "https://93.184.216.34/hooks/sextant";

    @TempDir
    Path directory;

    private static ConfigurableApplicationContext start(String databaseUrl, Path keysetFile) {
        // Command-line arguments: they outrank application.yml (builder properties would not).
        return new SpringApplicationBuilder(SextantApplication.class)
                .run(
                        "--server.port=0",
                        "--sextant.http.shutdown-drain=0s",
                        "--sextant.db.url=" + databaseUrl,
                        "--sextant.db.pool-size=4",
                        "--sextant.jobs.workers=1",
                        "--sextant.secrets.keyset-file=" + keysetFile,
                        "--sextant.auth.issuer=http://sextant.test",
                        "--sextant.auth.bootstrap.admin-password=" + PASSWORD,
                        "--sextant.auth.external.issuer-uri="
                                + TestOidcProvider.get().issuer(),
                        "--sextant.http.rate-limit.enabled=false",
                        "--logging.level.root=WARN");
    }

    @Test
    void secrets_are_sealed_in_their_tables_read_back_after_a_restart_and_refused_with_another_key() throws Exception {
        String databaseUrl = TestDatabases.create();
        Path keysetFile = directory.resolve("secrets.keyset");
        String token;
        String subscriptionId;
        String webhookSecret;
        String legacyId;
        byte[] plainPrivateKey;
        String kid;

        try (var first = start(databaseUrl, keysetFile)) {
            ApiClient api = client(first);
            JdbcClient jdbc = first.getBean(JdbcClient.class);
            SecretCipher cipher = first.getBean(SecretCipher.class);
            token = api.signIn("admin", PASSWORD);
            Response created = createWebhook(api, token);
            subscriptionId = created.json().get("id").asString();
            webhookSecret = created.json().get("secret").asString();

            String storedSecret = jdbc.sql("select secret from subscription where id = :id")
                    .param("id", UUID.fromString(subscriptionId))
                    .query(String.class)
                    .single();
            assertThat(storedSecret).startsWith("sxs1:").doesNotContain(webhookSecret);
            assertThat(storedSecret).doesNotContain(webhookSecret.substring("whsec_".length()));
            assertThat(cipher.open(storedSecret, "subscription/" + subscriptionId))
                    .isEqualTo(webhookSecret);

            kid = jdbc.sql("select kid from signing_key where retired_at is null")
                    .query(String.class)
                    .single();
            byte[] storedKey = jdbc.sql("select private_key from signing_key where kid = :kid")
                    .param("kid", kid)
                    .query(byte[].class)
                    .single();
            assertThat(SecretCipher.isSealed(storedKey)).isTrue();
            plainPrivateKey = cipher.open(storedKey, "signing_key/" + kid);
            assertThat(plainPrivateKey[0]).as("a PKCS#8 DER sequence").isEqualTo((byte) 0x30);
            assertThat(new String(storedKey, StandardCharsets.ISO_8859_1))
                    .doesNotContain(new String(plainPrivateKey, StandardCharsets.ISO_8859_1));

            // Rows as they were stored before encryption at rest: in plain text.
            legacyId = createWebhook(api, token).json().get("id").asString();
            jdbc.sql("update subscription set secret = 'whsec_bGVnYWN5LXNlY3JldC1mcm9tLWJlZm9yZQ==' where id = :id")
                    .param("id", UUID.fromString(legacyId))
                    .update();
            jdbc.sql("update signing_key set private_key = :plain where kid = :kid")
                    .param("plain", plainPrivateKey)
                    .param("kid", kid)
                    .update();
        }

        try (var second = start(databaseUrl, keysetFile)) {
            ApiClient api = client(second);
            JdbcClient jdbc = second.getBean(JdbcClient.class);
            SecretCipher cipher = second.getBean(SecretCipher.class);

            Response me = api.get("/api/v1/me").bearer(token).send();
            assertThat(me.status())
                    .as("a token signed before the restart: " + me)
                    .isEqualTo(200);
            String legacySecret = jdbc.sql("select secret from subscription where id = :id")
                    .param("id", UUID.fromString(legacyId))
                    .query(String.class)
                    .single();
            assertThat(legacySecret).startsWith("sxs1:");
            assertThat(cipher.open(legacySecret, "subscription/" + legacyId))
                    .isEqualTo("whsec_bGVnYWN5LXNlY3JldC1mcm9tLWJlZm9yZQ==");
            String secret = jdbc.sql("select secret from subscription where id = :id")
                    .param("id", UUID.fromString(subscriptionId))
                    .query(String.class)
                    .single();
            assertThat(cipher.open(secret, "subscription/" + subscriptionId)).isEqualTo(webhookSecret);
            byte[] storedKey = jdbc.sql("select private_key from signing_key where kid = :kid")
                    .param("kid", kid)
                    .query(byte[].class)
                    .single();
            assertThat(SecretCipher.isSealed(storedKey)).isTrue();
            assertThat(cipher.open(storedKey, "signing_key/" + kid)).isEqualTo(plainPrivateKey);
        }

        Path otherKeyset = directory.resolve("another.keyset");
        Files.writeString(otherKeyset, Keysets.toJson(Keysets.newKeyset()));
        assertThatThrownBy(() -> start(databaseUrl, otherKeyset).close())
                .hasStackTraceContaining("cannot be opened with the keyset file " + otherKeyset)
                .satisfies(failure -> assertThat(stackTrace(failure))
                        .as("names the row it could not open")
                        .containsAnyOf(
                                "secret of signing_key/" + kid,
                                "secret of subscription/" + subscriptionId,
                                "secret of subscription/" + legacyId));
    }

    private static Response createWebhook(ApiClient api, String token) {
        Response created = api.post("/api/v1/subscriptions")
                .bearer(token)
                .json(Map.of("name", "hook", "channel", Map.of("type", "webhook", "url", PUBLIC_URL)))
                .send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created;
    }

    private static String stackTrace(Throwable failure) {
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        return trace.toString();
    }

    private static ApiClient client(ConfigurableApplicationContext context) {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        return new ApiClient(port);
    }
}
