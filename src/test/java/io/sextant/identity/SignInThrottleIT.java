package io.sextant.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.SextantIT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Password and client-secret guessing is slowed down: from the third failure of a username or
 * client id (the sixth from an address) each failure locks it out, for twice as long as the one
 * before, and every attempt during a lockout is a 429 with Retry-After, the right secret included.
 * Each test calls from its own address, through {@code X-Forwarded-For} (a proxy on loopback).
 */
class SignInThrottleIT extends SextantIT {

    private static final AtomicInteger ADDRESSES = new AtomicInteger(1);

    @DynamicPropertySource
    static void throttle(DynamicPropertyRegistry registry) {
        registry.add("sextant.auth.sign-in-throttle.failures-per-name", () -> "3");
        registry.add("sextant.auth.sign-in-throttle.failures-per-address", () -> "6");
        registry.add("sextant.auth.sign-in-throttle.initial-lockout", () -> "5s");
        registry.add("sextant.auth.sign-in-throttle.max-lockout", () -> "60s");
        registry.add("server.forward-headers-strategy", () -> "native");
    }

    String address;
    String tenantId;

    @BeforeEach
    void ownAddress() {
        address = "203.0.113." + ADDRESSES.getAndIncrement();
        tenantId = api.get("/api/v1/me")
                .bearer(adminToken)
                .send()
                .json()
                .get("tenantId")
                .asString();
    }

    @Test
    void repeated_wrong_passwords_lock_the_username_out_even_for_the_right_password_until_retry_after() {
        String username = createUser();

        for (int i = 0; i < 3; i++) {
            assertThat(signIn(username, "wrong-password-" + i, address).status())
                    .isEqualTo(401);
        }
        Response locked = signIn(username, password(username), address);

        assertThrottled(locked, 5);
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> signIn(username, password(username), address).status() == 200);
        assertThat(signIn(username, "wrong-again", address).status())
                .as("a success clears the count")
                .isEqualTo(401);
        assertThat(signIn(username, password(username), address).status()).isEqualTo(200);
    }

    @Test
    void each_failure_after_a_lockout_doubles_the_next_lockout() {
        String username = createUser();
        for (int i = 0; i < 3; i++) {
            signIn(username, "wrong-password-" + i, address);
        }
        assertThrottled(signIn(username, "wrong-password", address), 5);

        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> signIn(username, "still-wrong", address).status() == 401);
        Response locked = signIn(username, password(username), address);

        assertThrottled(locked, 10);
        assertThat(Long.parseLong(locked.header("Retry-After"))).isGreaterThan(5);
    }

    @Test
    void failures_from_one_address_lock_it_out_whatever_the_usernames_but_not_other_addresses() {
        String username = createUser();
        for (int i = 0; i < 6; i++) {
            assertThat(signIn("nobody-" + UUID.randomUUID(), "guess", address).status())
                    .isEqualTo(401);
        }

        assertThrottled(signIn(username, password(username), address), 5);
        assertThat(signIn(username, password(username), "198.51.100.7").status())
                .isEqualTo(200);
    }

    @Test
    void wrong_client_secrets_lock_the_client_id_out_of_the_token_endpoint() {
        Response created = api.post("/api/v1/service-accounts")
                .bearer(adminToken)
                .json(Map.of("name", "guessed", "roles", List.of("viewer")))
                .send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String clientId = created.json().get("account").get("clientId").asString();
        String secret = created.json().get("clientSecret").asString();

        for (int i = 0; i < 3; i++) {
            Response refused = token(clientId, "not-the-secret-" + i, address);
            assertThat(refused.status()).as(refused.toString()).isEqualTo(401);
            assertThat(refused.json().get("error").asString()).isEqualTo("invalid_client");
        }
        Response locked = token(clientId, secret, address);

        assertThrottled(locked, 5);
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> token(clientId, secret, address).status() == 200);
    }

    String createUser() {
        String username = "guessed-" + UUID.randomUUID().toString().substring(0, 8);
        Response created = api.post("/api/v1/tenants/" + tenantId + "/users")
                .bearer(adminToken)
                .json(Map.of("username", username, "password", password(username), "roles", List.of("viewer")))
                .send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return username;
    }

    static String password(String username) {
        return "password-of-" + username;
    }

    Response signIn(String username, String password, String from) {
        return api.post("/api/v1/auth/token")
                .header("X-Forwarded-For", from)
                .json(Map.of("username", username, "password", password))
                .send();
    }

    private Response token(String clientId, String secret, String from) {
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
        return api.post("/oauth2/token")
                .header("X-Forwarded-For", from)
                .header("Authorization", "Basic " + basic)
                .body("application/x-www-form-urlencoded", "grant_type=client_credentials")
                .send();
    }

    static void assertThrottled(Response response, long atMostSeconds) {
        assertThat(response.status()).as(response.toString()).isEqualTo(429);
        assertThat(response.isProblem()).isTrue();
        assertThat(response.json().get("type").asString()).isEqualTo("urn:sextant:problem:sign-in-throttled");
        assertThat(response.json().has("access_token")).isFalse();
        assertThat(Long.parseLong(response.header("Retry-After"))).isBetween(1L, atMostSeconds);
    }
}
