package io.sextant.events;

import io.sextant.asset.Assets;
import io.sextant.shared.access.AssetFacts;
import io.sextant.shared.access.Scope;
import io.sextant.shared.access.SpatialRegion;
import io.sextant.shared.access.SqlPredicate;
import io.sextant.shared.access.Visibility;
import io.sextant.shared.geo.BoundingBox;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Which events a subject's grants reach: the one rule the event search, the event by id, the live
 * streams and every delivery channel apply. An event is reached by a scope when every part of the
 * scope that is set holds:
 *
 * <ul>
 *   <li><b>asset</b> (clearance, asset tags, named assets, condition): the event's asset is reached on
 *       its own facts, as the asset registry has them now. An event about no asset is not reached by a
 *       scope with asset parts.
 *   <li><b>region</b>: the event's location, {@code data.position} ({@code lon}, {@code lat}: where a
 *       zone crossing, a speeding reading, a resumption or a proximity measurement of {@code assetId}
 *       happened), lies inside. An event <em>without a location</em> (a dwell, a correction, a stale
 *       asset, a disabled subscription) is <b>not reached</b> by a scope with a region: nothing shows
 *       it happened inside.
 *   <li><b>data window / shifts</b>: the event's {@code time}.
 *   <li><b>zone tags</b>: an event about a zone ({@code zone_id} set) carries one of them in its
 *       {@code zone_tags}; an event about no zone is not narrowed by them.
 * </ul>
 *
 * <p>A visibility reaches an event when one of its scopes does. {@link Visibility.All} reaches every
 * event and costs nothing; {@link Visibility.None} reaches none.
 */
@Component
public class EventVisibility {

    private final Assets assets;

    EventVisibility(Assets assets) {
        this.assets = assets;
    }

    /** Where the event happened, {lon, lat}: its {@code data.position}, or null when it shows none. */
    public static double @Nullable [] location(Event event) {
        JsonNode position = event.data().path("position");
        JsonNode lon = position.path("lon");
        JsonNode lat = position.path("lat");
        if (!lon.isNumber() || !lat.isNumber()) {
            return null;
        }
        return new double[] {lon.doubleValue(), lat.doubleValue()};
    }

    /**
     * Whether {@code visibility} reaches {@code event} at {@code now}, reading the facts of the
     * event's asset (in the current tenant) only when a scope needs them, at most once.
     */
    public boolean reaches(Visibility visibility, Event event, Instant now) {
        return reaches(visibility, event, now, assets::facts);
    }

    /** As {@link #reaches(Visibility, Event, Instant)}, with the asset facts from {@code facts}. */
    static boolean reaches(
            Visibility visibility, Event event, Instant now, Function<UUID, Optional<AssetFacts>> facts) {
        if (visibility instanceof Visibility.All) {
            return true;
        }
        if (!(visibility instanceof Visibility.Scoped scoped)) {
            return false;
        }
        Map<UUID, Optional<AssetFacts>> read = new HashMap<>(2);
        Predicate<Scope> assetReached = scope -> {
            UUID assetId = event.assetId();
            if (assetId == null) {
                return false;
            }
            Optional<AssetFacts> asset = read.computeIfAbsent(assetId, facts);
            return asset.isPresent() && scope.reachesAsset(asset.get());
        };
        for (Scope scope : scoped.scopes()) {
            if (reaches(scope, event, now, assetReached)) {
                return true;
            }
        }
        return false;
    }

    /** Whether one scope reaches the event; {@code assetReached} decides the asset parts when there are some. */
    static boolean reaches(Scope scope, Event event, Instant now, Predicate<Scope> assetReached) {
        if (scope.region() != null) {
            double[] at = location(event);
            if (at == null || !scope.reachesPoint(at[0], at[1])) {
                return false;
            }
        }
        if (!scope.reachesDataTime(event.time(), now)) {
            return false;
        }
        if (event.zoneId() != null && !scope.reachesZone(event.zoneTags())) {
            return false;
        }
        return !scope.hasAssetParts() || assetReached.test(scope);
    }

    /**
     * {@code visibility} compiled for one query at {@code now}: a predicate over the unqualified
     * columns of the {@code event} table that holds for every event it reaches (the asset parts as
     * the ids of the assets each scope reaches, the data window, the zone tags, the region's boxes
     * over the event's location), and the exact test to refine the rows in memory with (the region's
     * shape, the shifts). Null for {@link Visibility.All}: nothing to add.
     */
    @Nullable
    Compiled compile(Visibility visibility, Instant now) {
        if (visibility instanceof Visibility.All) {
            return null;
        }
        if (!(visibility instanceof Visibility.Scoped scoped)) {
            return new Compiled(List.of(), List.of(), now, SqlPredicate.FALSE);
        }
        List<Scope> scopes = new ArrayList<>();
        List<@Nullable Set<UUID>> reachedAssets = new ArrayList<>();
        List<String> alternatives = new ArrayList<>();
        Map<String, Object> params = new LinkedHashMap<>();
        for (Scope scope : scoped.scopes()) {
            String prefix = "vis" + scopes.size();
            List<String> parts = new ArrayList<>();
            Set<UUID> ids = null;
            if (scope.hasAssetParts()) {
                ids = Set.copyOf(assets.idsReachedBy(scope));
                if (ids.isEmpty()) {
                    continue;
                }
                parts.add("asset_id = any(cast(:" + prefix + "Assets as uuid[]))");
                params.put(prefix + "Assets", ids.toArray(UUID[]::new));
            }
            Instant earliest = scope.earliestDataTime(now);
            if (earliest != null) {
                parts.add("time >= :" + prefix + "Earliest");
                params.put(prefix + "Earliest", Timestamp.from(earliest));
            }
            if (!scope.zoneTags().isEmpty()) {
                parts.add("(zone_id is null or zone_tags && cast(:" + prefix + "ZoneTags as text[]))");
                params.put(
                        prefix + "ZoneTags", scope.zoneTags().stream().sorted().toArray(String[]::new));
            }
            SpatialRegion region = scope.region();
            if (region != null) {
                List<String> boxes = new ArrayList<>();
                for (BoundingBox box : region.boxes()) {
                    String name = prefix + "Box" + boxes.size();
                    boxes.add("(" + LON + " between :" + name + "W and :" + name + "E and " + LAT + " between :" + name
                            + "S and :" + name + "N)");
                    params.put(name + "W", box.west());
                    params.put(name + "E", box.east());
                    params.put(name + "S", box.south());
                    params.put(name + "N", box.north());
                }
                parts.add(boxes.isEmpty() ? "false" : "(" + String.join(" or ", boxes) + ")");
            }
            scopes.add(scope);
            reachedAssets.add(ids);
            alternatives.add(parts.isEmpty() ? "true" : "(" + String.join(" and ", parts) + ")");
        }
        String sql = alternatives.isEmpty() ? "false" : "(" + String.join(" or ", alternatives) + ")";
        return new Compiled(scopes, reachedAssets, now, new SqlPredicate(sql, params));
    }

    /** The event's {@code data.position} as SQL numbers; null when it is not a number. */
    private static final String LON =
            "(case when jsonb_typeof(data #> '{position,lon}') = 'number' then cast(data #>> '{position,lon}' as float8) end)";

    private static final String LAT =
            "(case when jsonb_typeof(data #> '{position,lat}') = 'number' then cast(data #>> '{position,lat}' as float8) end)";

    /**
     * A visibility compiled for one query: {@link #sql()} selects a superset of what it reaches,
     * {@link #reaches(Event)} decides exactly.
     */
    static final class Compiled {
        private final List<Scope> scopes;
        private final List<@Nullable Set<UUID>> reachedAssets;
        private final Instant now;
        private final SqlPredicate sql;

        Compiled(List<Scope> scopes, List<@Nullable Set<UUID>> reachedAssets, Instant now, SqlPredicate sql) {
            this.scopes = scopes;
            this.reachedAssets = reachedAssets;
            this.now = now;
            this.sql = sql;
        }

        SqlPredicate sql() {
            return sql;
        }

        boolean reaches(Event event) {
            for (int i = 0; i < scopes.size(); i++) {
                Set<UUID> ids = reachedAssets.get(i);
                if (EventVisibility.reaches(
                        scopes.get(i),
                        event,
                        now,
                        scope -> ids != null && event.assetId() != null && ids.contains(event.assetId()))) {
                    return true;
                }
            }
            return false;
        }
    }
}
