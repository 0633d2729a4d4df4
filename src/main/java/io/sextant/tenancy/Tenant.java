package io.sextant.tenancy;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * A customer organisation: the owner of every asset, zone, event and identity inside it.
 *
 * @param positionRetention how long position history is kept
 * @param autoRegisterAssets whether ingest registers an asset for an unknown external id instead of
 *     rejecting the position
 */
public record Tenant(
        UUID id, String slug, String name, Duration positionRetention, boolean autoRegisterAssets, Instant createdAt) {

    /** The settings a tenant administrator may change. */
    public record Settings(Duration positionRetention, boolean autoRegisterAssets) {}

    public Settings settings() {
        return new Settings(positionRetention, autoRegisterAssets);
    }
}
