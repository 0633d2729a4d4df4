package io.sextant.geofencing;

import java.util.UUID;

/** One proximity episode's key: tenant, rule and the (ordered) pair of assets. */
record PairKey(UUID tenantId, String rule, ProximityRule.AssetPair pair) {}
