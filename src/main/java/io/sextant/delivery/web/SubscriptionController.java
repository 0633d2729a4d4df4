package io.sextant.delivery.web;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.sextant.delivery.ChannelSpec;
import io.sextant.delivery.Deliveries;
import io.sextant.delivery.Delivery;
import io.sextant.delivery.DeliveryStatus;
import io.sextant.delivery.Subscription;
import io.sextant.delivery.SubscriptionDraft;
import io.sextant.delivery.SubscriptionFilter;
import io.sextant.delivery.SubscriptionOrdering;
import io.sextant.delivery.SubscriptionPatch;
import io.sextant.delivery.Subscriptions;
import io.sextant.shared.ExpectedVersions;
import io.sextant.shared.web.CursorPage;
import io.sextant.shared.web.EntityTags;
import io.sextant.shared.web.PageLimits;
import io.sextant.shared.web.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@RestController
@RequestMapping("/api/v1/subscriptions")
@Tag(name = "Subscriptions", description = "Event delivery to webhooks and Redis streams, its log and replay")
@PreAuthorize("hasAuthority('subscriptions:manage')")
class SubscriptionController {

    private final Subscriptions subscriptions;
    private final Deliveries deliveries;

    SubscriptionController(Subscriptions subscriptions, Deliveries deliveries) {
        this.subscriptions = subscriptions;
        this.deliveries = deliveries;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(
            operationId = "createSubscription",
            summary = "Create a subscription; a webhook's signing secret is in this response only")
    ResponseEntity<WithSecret> create(@RequestBody SubscriptionRequest request) {
        Subscriptions.WithSecret created = subscriptions.create(request.toDraft());
        Subscription subscription = created.subscription();
        return ResponseEntity.created(URI.create("/api/v1/subscriptions/" + subscription.id()))
                .eTag(EntityTags.of(subscription.version()))
                .cacheControl(CacheControl.noStore())
                .body(new WithSecret(subscription, created.secret()));
    }

    @GetMapping
    @Operation(operationId = "listSubscriptions", summary = "List subscriptions")
    CursorPage<Subscription> list(
            @RequestParam(required = false) @Nullable String cursor,
            @RequestParam(defaultValue = "" + PageLimits.DEFAULT) int limit) {
        return subscriptions.list(cursor, PageLimits.check(limit));
    }

    @GetMapping("/{id}")
    @Operation(operationId = "getSubscription", summary = "Get a subscription; answers 304 to a matching If-None-Match")
    ResponseEntity<Subscription> get(
            @PathVariable UUID id,
            @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) @Nullable String ifNoneMatch) {
        Subscription subscription = subscriptions.get(id);
        if (EntityTags.matches(ifNoneMatch, subscription.version())) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED)
                    .eTag(EntityTags.of(subscription.version()))
                    .build();
        }
        return ResponseEntity.ok().eTag(EntityTags.of(subscription.version())).body(subscription);
    }

    @PatchMapping(
            path = "/{id}",
            consumes = {"application/json", "application/merge-patch+json"})
    @Operation(
            operationId = "updateSubscription",
            summary = "Change some fields of a subscription (absent ones stay); requires If-Match. The caller"
                    + " becomes its owner; enabling it clears its dead-letter count")
    ResponseEntity<Subscription> update(
            @PathVariable UUID id,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) @Nullable String ifMatch,
            @RequestBody SubscriptionRequest request) {
        ExpectedVersions expected = EntityTags.required(ifMatch);
        Subscription subscription = subscriptions.update(id, expected, request.toPatch());
        return ResponseEntity.ok().eTag(EntityTags.of(subscription.version())).body(subscription);
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT) // what the response entity says too; this tells the OpenAPI document
    @Operation(
            operationId = "deleteSubscription",
            summary = "Delete a subscription and its delivery log; honours If-Match")
    ResponseEntity<Void> delete(
            @PathVariable UUID id,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) @Nullable String ifMatch) {
        subscriptions.delete(id, EntityTags.optional(ifMatch));
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/{id}/secret")
    @Operation(
            operationId = "rotateSubscriptionSecret",
            summary = "Replace a webhook subscription's signing secret; the new one is in this response only")
    ResponseEntity<Secret> rotateSecret(@PathVariable UUID id) {
        return ResponseEntity.ok()
                .cacheControl(CacheControl.noStore())
                .body(new Secret(subscriptions.rotateSecret(id)));
    }

    @GetMapping("/{id}/deliveries")
    @Operation(
            operationId = "listDeliveries",
            summary = "The subscription's deliveries, newest first, optionally of one status")
    CursorPage<Delivery> deliveries(
            @PathVariable UUID id,
            @RequestParam(required = false) @Nullable String status,
            @RequestParam(required = false) @Nullable String cursor,
            @RequestParam(defaultValue = "" + PageLimits.DEFAULT) int limit) {
        return deliveries.list(id, status == null ? null : status(status), cursor, PageLimits.check(limit));
    }

    @GetMapping("/{id}/deliveries/{deliveryId}")
    @Operation(operationId = "getDelivery", summary = "One delivery with every attempt")
    Delivery delivery(@PathVariable UUID id, @PathVariable UUID deliveryId) {
        return deliveries.get(id, deliveryId);
    }

    @PostMapping("/{id}/deliveries/{deliveryId}/replay")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(
            operationId = "replayDelivery",
            summary = "Deliver the same event again (same webhook-id) as a new delivery")
    Delivery replayDelivery(@PathVariable UUID id, @PathVariable UUID deliveryId) {
        return deliveries.replay(id, deliveryId);
    }

    @PostMapping("/{id}/replay")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(
            operationId = "replayDeliveries",
            summary = "Deliver again every matching event with event time in [from, to)")
    Replayed replayRange(@PathVariable UUID id, @Valid @RequestBody ReplayRequest request) {
        return new Replayed(deliveries.replay(id, request.from(), request.to()));
    }

    private static DeliveryStatus status(String id) {
        return DeliveryStatus.fromId(id)
                .orElseThrow(() -> Problems.invalid(
                        "status",
                        "must be one of "
                                + Arrays.stream(DeliveryStatus.values())
                                        .map(DeliveryStatus::id)
                                        .collect(Collectors.joining(", "))));
    }

    /**
     * A subscription as a client writes it. On create, {@code name} and {@code channel} are required;
     * on update, absent fields stay as they are and a given {@code filter} replaces the whole filter.
     * {@code ordering} is {@code per-asset} (the default) or {@code none}.
     */
    record SubscriptionRequest(
            @Nullable String name,
            @Nullable FilterRequest filter,
            @Nullable Boolean enabled,
            @Nullable JsonNode channel,
            @Nullable String ordering) {

        SubscriptionDraft toDraft() {
            if (name == null) {
                throw Problems.invalid("name", "is required");
            }
            if (channel == null || channel.isNull()) {
                throw Problems.invalid("channel", "is required");
            }
            return new SubscriptionDraft(
                    name,
                    filter == null ? SubscriptionFilter.ALL : filter.toFilter(),
                    Objects.requireNonNullElse(enabled, true),
                    ChannelSpec.parse(channel),
                    ordering == null ? SubscriptionOrdering.DEFAULT : ordering(ordering));
        }

        SubscriptionPatch toPatch() {
            return new SubscriptionPatch(
                    name,
                    filter == null ? null : filter.toFilter(),
                    enabled,
                    channel == null || channel.isNull() ? null : ChannelSpec.parse(channel),
                    ordering == null ? null : ordering(ordering));
        }

        private static SubscriptionOrdering ordering(String id) {
            return SubscriptionOrdering.fromId(id)
                    .orElseThrow(() -> Problems.invalid("ordering", "must be one of " + SubscriptionOrdering.ids()));
        }
    }

    /** A filter as a client writes it; absent fields place no condition. */
    record FilterRequest(
            @Nullable List<String> types,
            @Nullable List<UUID> zoneIds,
            @Nullable List<String> zoneTags,
            @Nullable List<UUID> assetIds,
            @Nullable List<String> assetTags) {

        SubscriptionFilter toFilter() {
            return new SubscriptionFilter(
                    values("filter.types", types),
                    values("filter.zoneIds", zoneIds),
                    values("filter.zoneTags", zoneTags),
                    values("filter.assetIds", assetIds),
                    values("filter.assetTags", assetTags));
        }

        private static <T> List<T> values(String field, @Nullable List<T> values) {
            if (values == null) {
                return List.of();
            }
            if (values.stream().anyMatch(Objects::isNull)) {
                throw Problems.invalid(field, "must not contain null");
            }
            return values;
        }
    }

    /** The range of a replay, by event time: from inclusive, to exclusive. */
    record ReplayRequest(@NotNull Instant from, @NotNull Instant to) {}

    /** How many deliveries a replay queued. */
    record Replayed(int queued) {}

    /** A new signing secret. */
    record Secret(String secret) {}

    /** A subscription and its signing secret, as the create response shows it. */
    record WithSecret(
            @JsonUnwrapped Subscription subscription,
            @Nullable String secret) {}
}
