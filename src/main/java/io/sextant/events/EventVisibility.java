package io.sextant.events;

import io.sextant.asset.Assets;
import io.sextant.shared.access.AssetFacts;
import io.sextant.shared.access.Reach;
import io.sextant.shared.access.Reach.ScopeAssets;
import io.sextant.shared.access.Scope;
import io.sextant.shared.access.SpatialRegion;
import io.sextant.shared.access.SqlPredicate;
import io.sextant.shared.access.Visibility;
import io.sextant.shared.geo.BoundingBox;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Which events a subject's grants reach: the one rule the event search, the event by id, the live
 * streams and every delivery channel apply. It is {@link Reach}'s rule for data, the one position
 * queries apply too, with an event read as a datum: a scope reaches it when every part of the scope
 * that is set holds:
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
        Map<UUID, Optional<AssetFacts>> read = new HashMap<>(2);
        Reach reach = Reach.of(
                visibility,
                now,
                scope -> ScopeAssets.tested(assetId -> read.computeIfAbsent(assetId, facts)
                        .map(scope::reachesAsset)
                        .orElse(false)));
        return reaches(reach, event);
    }

    /** Whether {@code reach} holds the event: its asset, its location, its time, its zone's tags. */
    static boolean reaches(Reach reach, Event event) {
        return reach.reaches(
                event.assetId(), location(event), event.time(), event.zoneId() == null ? null : event.zoneTags());
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
        // A scope that names assets lists them (at most the named ones) for SQL to narrow by; any
        // other scope with asset parts decides the assets of each chunk of rows in one query
        // (Compiled#prepare), so a broad scope never lists every asset it reaches.
        List<AssetDecisions> pending = new ArrayList<>();
        Reach reach = Reach.of(visibility, now, scope -> {
            if (!scope.assets().isEmpty()) {
                return ScopeAssets.listed(assets.idsReachedBy(scope));
            }
            AssetDecisions decisions = new AssetDecisions(scope, assets);
            pending.add(decisions);
            return ScopeAssets.tested(decisions::reaches);
        });
        List<String> alternatives = new ArrayList<>();
        Map<String, Object> params = new LinkedHashMap<>();
        for (Reach.Part part : reach.parts()) {
            Scope scope = part.scope();
            String prefix = "vis" + alternatives.size();
            List<String> parts = new ArrayList<>();
            Set<UUID> ids = part.listed();
            if (ids != null) {
                if (ids.isEmpty()) {
                    continue;
                }
                parts.add("asset_id = any(cast(:" + prefix + "Assets as uuid[]))");
                params.put(prefix + "Assets", ids.toArray(UUID[]::new));
            } else if (part.assets() != null) {
                parts.add("asset_id is not null");
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
            alternatives.add(parts.isEmpty() ? "true" : "(" + String.join(" and ", parts) + ")");
        }
        String sql = alternatives.isEmpty() ? "false" : "(" + String.join(" or ", alternatives) + ")";
        return new Compiled(reach, new SqlPredicate(sql, params), List.copyOf(pending));
    }

    /** One scope's decisions on assets, made a chunk of rows at a time and remembered for the query. */
    static final class AssetDecisions {
        private final Scope scope;
        private final Assets assets;
        private final Map<UUID, Boolean> decided = new HashMap<>();

        AssetDecisions(Scope scope, Assets assets) {
            this.scope = scope;
            this.assets = assets;
        }

        void decide(Collection<UUID> candidates) {
            List<UUID> unknown = candidates.stream()
                    .filter(id -> !decided.containsKey(id))
                    .distinct()
                    .toList();
            if (unknown.isEmpty()) {
                return;
            }
            Set<UUID> reached = assets.idsReachedAmong(scope, unknown);
            unknown.forEach(id -> decided.put(id, reached.contains(id)));
        }

        boolean reaches(UUID assetId) {
            if (!decided.containsKey(assetId)) {
                decide(List.of(assetId));
            }
            return Boolean.TRUE.equals(decided.get(assetId));
        }
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
    record Compiled(Reach reach, SqlPredicate sql, List<AssetDecisions> pending) {

        /** Decides the assets of a chunk of rows in one query per scope, before they are tested. */
        void prepare(List<Event> chunk) {
            if (pending.isEmpty()) {
                return;
            }
            List<UUID> ids = chunk.stream()
                    .map(Event::assetId)
                    .filter(java.util.Objects::nonNull)
                    .toList();
            pending.forEach(decisions -> decisions.decide(ids));
        }

        boolean reaches(Event event) {
            return EventVisibility.reaches(reach, event);
        }
    }
}
