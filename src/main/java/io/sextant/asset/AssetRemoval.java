package io.sextant.asset;

import java.time.Instant;
import java.util.UUID;

/** An asset removed, and when (the database's clock). */
public record AssetRemoval(UUID assetId, Instant removedAt) {}
