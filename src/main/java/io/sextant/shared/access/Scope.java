package io.sextant.shared.access;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * How far one grant reaches, resolved for evaluation: every part that is set must hold (a part left
 * out does not narrow). Immutable.
 *
 * @param region where positions and events must lie (boundary included); an asset is reached when
 *     its latest position lies there or when it is one of {@code assets}
 * @param actingHours when the subject may act under the grant at all
 * @param dataWindow how far back data times may reach from now (a sliding window), or null
 * @param dataDuringShifts only data recorded while {@code actingHours} was active
 * @param classifications the asset classifications the subject's clearance reaches; empty for all
 * @param assetTags an asset must carry at least one of them; empty for any asset
 * @param assets the assets named by the grant; empty for any asset
 * @param zoneTags a zone (and an event about a zone) must carry at least one; empty for any
 * @param condition a condition over the asset, or null
 */
public record Scope(
        @Nullable SpatialRegion region,
        @Nullable ActivePeriod actingHours,
        @Nullable Duration dataWindow,
        boolean dataDuringShifts,
        Set<String> classifications,
        Set<String> assetTags,
        Set<UUID> assets,
        Set<String> zoneTags,
        @Nullable AssetCondition condition) {

    /** A grant without scopes: the role's permissions over the whole tenant, at all times. */
    public static final Scope UNRESTRICTED =
            new Scope(null, null, null, false, Set.of(), Set.of(), Set.of(), Set.of(), null);

    public Scope {
        classifications = Set.copyOf(classifications);
        assetTags = Set.copyOf(assetTags);
        assets = Set.copyOf(assets);
        zoneTags = Set.copyOf(zoneTags);
        if (dataDuringShifts && actingHours == null) {
            throw new IllegalArgumentException("data during shifts needs a schedule");
        }
    }

    /** Whether nothing narrows the data the grant reaches (it may still narrow when the subject acts). */
    public boolean reachesAllData() {
        return region == null
                && dataWindow == null
                && !dataDuringShifts
                && classifications.isEmpty()
                && assetTags.isEmpty()
                && assets.isEmpty()
                && zoneTags.isEmpty()
                && condition == null;
    }

    /** Whether any part is about the asset itself (clearance, tags, named assets, condition). */
    public boolean hasAssetParts() {
        return !classifications.isEmpty() || !assetTags.isEmpty() || !assets.isEmpty() || condition != null;
    }

    /**
     * The parts about the asset itself as SQL over the {@code asset} table ({@code classification},
     * {@code tags}, {@code id}, and the condition's columns), agreeing with {@link #reachesAsset}.
     *
     * @param alias the asset table's alias, or empty
     * @param paramPrefix the prefix of every bind parameter's name
     */
    public SqlPredicate assetSql(String alias, String paramPrefix) {
        String column = alias.isEmpty() ? "" : alias + ".";
        List<String> parts = new ArrayList<>();
        java.util.Map<String, Object> params = new java.util.LinkedHashMap<>();
        if (!classifications.isEmpty()) {
            parts.add(column + "classification = any(cast(:" + paramPrefix + "Classes as text[]))");
            params.put(
                    paramPrefix + "Classes", classifications.stream().sorted().toArray(String[]::new));
        }
        if (!assetTags.isEmpty()) {
            parts.add(column + "tags && cast(:" + paramPrefix + "Tags as text[])");
            params.put(paramPrefix + "Tags", assetTags.stream().sorted().toArray(String[]::new));
        }
        if (!assets.isEmpty()) {
            parts.add(column + "id = any(cast(:" + paramPrefix + "Ids as uuid[]))");
            params.put(paramPrefix + "Ids", assets.toArray(UUID[]::new));
        }
        AssetCondition test = condition;
        if (test != null) {
            SqlPredicate compiled = test.toSql(alias, paramPrefix + "Cond");
            parts.add("(" + compiled.sql() + ")");
            params.putAll(compiled.params());
        }
        return new SqlPredicate(parts.isEmpty() ? "true" : String.join(" and ", parts), params);
    }

    /** Whether the parts about the asset itself hold: clearance, tags, named assets, condition. */
    public boolean reachesAsset(AssetFacts asset) {
        return whyNotAsset(asset).isEmpty();
    }

    /**
     * Whether the parts about the asset itself other than the condition hold — clearance, tags,
     * named assets — from what an in-memory catalog knows, without building the asset's facts.
     */
    public boolean reachesAssetIgnoringCondition(UUID id, List<String> tags, String classification) {
        return (classifications.isEmpty() || classifications.contains(classification))
                && (assetTags.isEmpty() || !Collections.disjoint(assetTags, tags))
                && (assets.isEmpty() || assets.contains(id));
    }

    /** Each part about the asset itself that does not hold, in words; empty when all do. */
    public List<String> whyNotAsset(AssetFacts asset) {
        List<String> reasons = new ArrayList<>(2);
        if (!classifications.isEmpty() && !classifications.contains(asset.classification())) {
            reasons.add("the asset is classified " + asset.classification() + ", beyond the clearance");
        }
        if (!assetTags.isEmpty() && Collections.disjoint(assetTags, asset.tags())) {
            reasons.add("the asset carries none of the tags " + sorted(assetTags));
        }
        if (!assets.isEmpty() && !assets.contains(asset.id())) {
            reasons.add("the asset is not one the grant names");
        }
        if (condition != null && !condition.test(asset)) {
            reasons.add("the condition `" + condition.describe() + "` does not hold for the asset");
        }
        return reasons;
    }

    /**
     * Each reason the asset as an object (its registry entry, its latest position) is out of reach:
     * its own facts, and with a region, its latest position lying outside while the grant does not
     * name it.
     *
     * @param latest the asset's latest position as {lon, lat}, or null when it has none
     */
    public List<String> whyNotAssetObject(AssetFacts asset, double @Nullable [] latest) {
        List<String> reasons = whyNotAsset(asset);
        SpatialRegion area = region;
        if (area != null && !assets.contains(asset.id())) {
            if (latest == null) {
                reasons.add("the asset has no latest position inside the region (" + area.describe()
                        + ") and the grant does not name it");
            } else if (!area.covers(latest[0], latest[1])) {
                reasons.add("the asset's latest position " + latest[0] + "," + latest[1] + " lies outside the region ("
                        + area.describe() + ") and the grant does not name it");
            }
        }
        return reasons;
    }

    /** Whether a point lies in the region (always, without one). */
    public boolean reachesPoint(double lon, double lat) {
        return region == null || region.covers(lon, lat);
    }

    /** Whether data recorded at {@code time} is within reach at {@code now}. */
    public boolean reachesDataTime(Instant time, Instant now) {
        // Called for every candidate of a search: no reason is put into words here.
        return !beforeWindow(time, now) && !outsideShifts(time);
    }

    /** Why data recorded at {@code time} is out of reach at {@code now}, or null when it is not. */
    public @Nullable String whyNotDataTime(Instant time, Instant now) {
        if (beforeWindow(time, now)) {
            return "the data time " + time + " is older than the window of " + dataWindow;
        }
        if (outsideShifts(time)) {
            return "the data time " + time + " lies outside the subject's shifts";
        }
        return null;
    }

    private boolean beforeWindow(Instant time, Instant now) {
        Instant earliest = earliestDataTime(now);
        return earliest != null && time.isBefore(earliest);
    }

    private boolean outsideShifts(Instant time) {
        ActivePeriod shifts = actingHours;
        return dataDuringShifts && shifts != null && !shifts.isActive(time);
    }

    /** The oldest data time reached at {@code now}, or null when the grant has no sliding window. */
    public @Nullable Instant earliestDataTime(Instant now) {
        return dataWindow == null ? null : now.minus(dataWindow);
    }

    /** Whether a zone with these tags is reached. */
    public boolean reachesZone(List<String> tags) {
        return zoneTags.isEmpty() || !Collections.disjoint(zoneTags, tags);
    }

    private static List<String> sorted(Set<String> values) {
        return values.stream().sorted().toList();
    }
}
