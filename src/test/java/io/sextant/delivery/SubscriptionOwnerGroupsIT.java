package io.sextant.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jwt.JWTClaimsSet;
import io.sextant.events.EventTypes;
import io.sextant.shared.TenantContext;
import io.sextant.shared.access.SubjectGrants;
import io.sextant.testing.ApiClient;
import io.sextant.testing.ApiClient.Response;
import io.sextant.testing.TestOidcProvider;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * A subscription made by an external (OIDC) user receives as that user with the groups its token
 * carried: grants to {@code group:<name>} count for its deliveries, judged as they stand at each
 * delivery, as they count for the user's own requests.
 */
class SubscriptionOwnerGroupsIT extends DeliveryIT {

    @Autowired
    SubscriptionRepository repository;

    @Test
    void an_external_owner_receives_through_its_group_grant_and_stops_receiving_when_that_grant_is_revoked() {
        TenantFixture tenant = newTenant();
        Response role = api.post("/api/v1/roles")
                .bearer(tenant.adminToken())
                .json(Map.of("name", "hook-keeper", "permissions", List.of("events:read", "subscriptions:manage")))
                .send();
        assertThat(role.status()).as("%s", role).isEqualTo(201);
        String owner = externalToken(tenant, List.of("dispatch", "offline_access"));
        UUID truck = UUID.fromString(createAsset(tenant.adminToken(), "truck-" + tenant.slug(), "truck", List.of())
                .get("id")
                .asString());

        try (WebhookReceiver receiver = WebhookReceiver.answering(204)) {
            // Neither group is a built-in role: without a grant the token may not subscribe.
            Response refused = api.post(SUBSCRIPTIONS)
                    .bearer(owner)
                    .json(Map.of("name", "refused", "channel", Map.of("type", "webhook", "url", receiver.url())))
                    .send();
            assertThat(refused.status()).as("%s", refused).isEqualTo(403);

            Response grant = api.post("/api/v1/grants")
                    .bearer(tenant.adminToken())
                    .json(Map.of("subject", "group:dispatch", "role", "hook-keeper"))
                    .send();
            assertThat(grant.status()).as("%s", grant).isEqualTo(201);
            JsonNode subscription = webhook(owner, receiver.url(), Map.of());
            String id = subscription.get("id").asString();
            assertThat(subscription.get("owner").get("subject").asString()).startsWith("external:");
            assertThat(ApiClient.strings(subscription.get("owner").get("groups")))
                    .containsExactly("dispatch", "offline_access");
            assertThat(ApiClient.strings(subscription.get("owner").get("permissions")))
                    .containsExactly("events:read", "subscriptions:manage");

            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            String reached =
                    append(tenant.id(), EventTypes.ZONE_ENTERED, truck, now).toString();
            List<JsonNode> first = deliveries(tenant.adminToken(), id, allFinal(1));
            assertThat(first.getFirst().get("status").asString())
                    .as("%s", first)
                    .isEqualTo("delivered");
            assertThat(receiver.requests().stream().map(WebhookReceiver.Request::webhookId))
                    .containsExactly(reached);

            assertThat(api.delete("/api/v1/grants/" + grant.json().get("id").asString())
                            .bearer(tenant.adminToken())
                            .send()
                            .status())
                    .isEqualTo(204);
            // The revocation empties this node's grant cache at once; another node's entry lives at
            // most this long. Wait until the owner's own requests see it gone.
            await().atMost(Duration.ofSeconds(SubjectGrants.MAX_STALENESS_SECONDS + 1))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> api.get(SUBSCRIPTIONS + "/" + id)
                                    .bearer(owner)
                                    .send()
                                    .status()
                            == 403);
            String notReached = append(tenant.id(), EventTypes.ZONE_EXITED, truck, now.plusMillis(1))
                    .toString();

            List<JsonNode> log = deliveries(tenant.adminToken(), id, allFinal(2));
            JsonNode skipped = log.stream()
                    .filter(d -> d.get("eventId").asString().equals(notReached))
                    .findFirst()
                    .orElseThrow();
            assertThat(skipped.get("status").asString()).isEqualTo("skipped");
            assertThat(skipped.get("lastError").asString()).contains("no grant of events:read");
            assertThat(receiver.requests().stream().map(WebhookReceiver.Request::webhookId))
                    .containsExactly(reached);
        }
    }

    @Test
    void the_owners_groups_are_stored_sorted_read_back_and_replaced_with_the_owner_on_an_update() {
        TenantFixture tenant = newTenant();
        UUID tenantId = UUID.fromString(tenant.id());
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Subscription made = new Subscription(
                UUID.randomUUID(),
                tenantId,
                "groups",
                SubscriptionFilter.ALL,
                false,
                new ChannelSpec.Webhook("http://127.0.0.1:9/hook", 1000),
                SubscriptionOrdering.DEFAULT,
                new Subscription.Owner("external:issuer#sub", Set.of("north", "dispatch"), Set.of("events:read")),
                0,
                null,
                1,
                now,
                now);
        Subscription changed = new Subscription(
                made.id(),
                tenantId,
                made.name(),
                made.filter(),
                made.enabled(),
                made.channel(),
                made.ordering(),
                new Subscription.Owner("user:" + UUID.randomUUID(), Set.of(), Set.of("events:read")),
                0,
                null,
                2,
                now,
                now.plusSeconds(1));

        Subscription stored = inTenant(tenantId, () -> {
            repository.insert(made, null);
            return repository.find(tenantId, made.id()).orElseThrow();
        });
        Subscription updated = inTenant(tenantId, () -> {
            assertThat(repository.update(changed, 1)).isTrue();
            return repository.find(tenantId, made.id()).orElseThrow();
        });

        assertThat(stored.owner()).isEqualTo(made.owner());
        assertThat(stored.owner().groups()).containsExactly("dispatch", "north");
        assertThat(stored.subscriber().groups()).containsExactlyInAnyOrder("dispatch", "north");
        assertThat(updated.owner()).isEqualTo(changed.owner());
        assertThat(updated.owner().groups()).isEmpty();
    }

    private <T> T inTenant(UUID tenantId, Supplier<T> work) {
        return TenantContext.callAs(tenantId, () -> transactions.execute(status -> work.get()));
    }

    /** A token of the external provider for an {@code alice} of the tenant whose roles claim is {@code groups}. */
    private static String externalToken(TenantFixture tenant, List<String> groups) {
        Instant now = Instant.now();
        return TestOidcProvider.get()
                .sign(new JWTClaimsSet.Builder()
                        .issuer(TestOidcProvider.get().issuer())
                        .subject("alice-sub")
                        .audience("sextant")
                        .issueTime(Date.from(now))
                        .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))))
                        .claim("preferred_username", "alice")
                        .claim("org", tenant.slug())
                        .claim("realm_access", Map.of("roles", groups))
                        .build());
    }
}
