package io.sextant.shared.access;

import io.sextant.shared.geo.BoundingBox;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Visibility} made ready to decide many data items at one instant — the rows of one query,
 * the events of one delivery batch — with the asset parts of each scope decided by whoever holds the
 * assets: ids the asset module listed (which a query can also hand to SQL, {@link
 * #admittedAssets}), or a test on facts at hand (an in-memory catalog, facts read once per asset).
 *
 * <p>This is the one rule for positions and events. A scope reaches a datum when every part of it
 * that is set holds:
 *
 * <ul>
 *   <li><b>asset</b> (clearance, asset tags, named assets, condition): the datum is about an asset the
 *       scope reaches. A datum about no asset is not reached by a scope with asset parts.
 *   <li><b>region</b>: the datum has a location and it lies inside. A datum without a location is not
 *       reached by a scope with a region: nothing shows it happened inside.
 *   <li><b>data window / shifts</b>: its data time.
 *   <li><b>zone tags</b>: a datum about a zone carries one of them; a datum about no zone is not
 *       narrowed by them.
 * </ul>
 *
 * A reach holds a datum when one of its scopes does. Queries narrow their SQL with {@link
 * #admittedAssets} and {@link #earliest} (or compile {@link #parts()} over their own columns) and
 * decide each row exactly here, reading on until a page is full.
 */
public final class Reach {

    private static final Reach ALL = new Reach(true, List.of(), Instant.EPOCH);

    private final boolean all;
    private final List<Part> parts;
    private final Instant now;

    private Reach(boolean all, List<Part> parts, Instant now) {
        this.all = all;
        this.parts = List.copyOf(parts);
        this.now = now;
    }

    /**
     * {@code visibility} at {@code now}; {@code assetsOf} says how each scope with asset parts has
     * them decided (it is not asked about scopes without).
     */
    public static Reach of(Visibility visibility, Instant now, Function<Scope, ScopeAssets> assetsOf) {
        return switch (visibility) {
            case Visibility.All a -> ALL;
            case Visibility.None n -> new Reach(false, List.of(), now);
            case Visibility.Scoped scoped -> {
                List<Part> parts = new ArrayList<>();
                for (Scope scope : scoped.scopes()) {
                    parts.add(new Part(scope, scope.hasAssetParts() ? assetsOf.apply(scope) : null));
                }
                yield new Reach(false, parts, now);
            }
        };
    }

    /** Nothing narrows: every datum of the tenant. */
    public boolean all() {
        return all;
    }

    /** Nothing is reached: no scope, or every scope's listed assets are none. */
    public boolean none() {
        return !all && parts.stream().allMatch(Part::reachesNoAsset);
    }

    /** The scopes and how their asset parts are decided, for a query that compiles them to its own SQL. */
    public List<Part> parts() {
        return parts;
    }

    /** The instant the data window and shifts are judged at. */
    public Instant now() {
        return now;
    }

    /** Whether a position of {@code assetId} at a point and data time is reached. */
    public boolean reachesPosition(UUID assetId, double lon, double lat, Instant time) {
        return reachesPosition(assetId, null, null, lon, lat, time);
    }

    /**
     * {@link #reachesPosition(UUID, double, double, Instant)} for a caller that may hold the asset's
     * own facts ({@code tags} and {@code classification}, or null when it does not): a scope whose
     * asset parts are decided {@linkplain ScopeAssets#onFacts on those facts} tests them directly
     * instead of looking the asset up (the live index keeps them beside each latest position, and a
     * search tests thousands of candidates).
     */
    public boolean reachesPosition(
            UUID assetId,
            @Nullable List<String> tags,
            @Nullable String classification,
            double lon,
            double lat,
            Instant time) {
        if (all) {
            return true;
        }
        for (Part part : parts) {
            boolean asset = tags != null && classification != null && part.assets() instanceof ScopeAssets.OnFacts
                    ? part.scope().reachesAssetIgnoringCondition(assetId, tags, classification)
                    : part.reachesAsset(assetId);
            // Cheapest first: the region's point test is the costliest, and runs last.
            if (asset && part.scope().reachesDataTime(time, now) && part.scope().reachesPoint(lon, lat)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a datum is reached: about {@code assetId} (or no asset), at {@code location} ({lon,
     * lat}, or null when it shows none), recorded at {@code time}, about a zone with {@code zoneTags}
     * (null when it is about no zone).
     */
    public boolean reaches(
            @Nullable UUID assetId, double @Nullable [] location, Instant time, @Nullable List<String> zoneTags) {
        if (all) {
            return true;
        }
        for (Part part : parts) {
            Scope scope = part.scope();
            if (scope.region() != null && (location == null || !scope.reachesPoint(location[0], location[1]))) {
                continue;
            }
            if (!scope.reachesDataTime(time, now)) {
                continue;
            }
            if (zoneTags != null && !scope.reachesZone(zoneTags)) {
                continue;
            }
            if (part.assets() != null && (assetId == null || !part.reachesAsset(assetId))) {
                continue;
            }
            return true;
        }
        return false;
    }

    /**
     * Whether anything inside {@code area} can be reached: false when every scope that reaches some
     * asset has a region whose boxes all lie outside it, so a search of that area can answer nothing
     * without looking.
     */
    public boolean mayReachArea(BoundingBox area) {
        if (all) {
            return true;
        }
        for (Part part : parts) {
            if (part.reachesNoAsset()) {
                continue;
            }
            SpatialRegion region = part.scope().region();
            if (region == null) {
                return true;
            }
            for (BoundingBox box : region.boxes()) {
                if (box.intersects(area)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether an asset is reached at all on its own facts (data about it can be reached). */
    public boolean reachesAsset(UUID assetId) {
        if (all) {
            return true;
        }
        for (Part part : parts) {
            if (part.reachesAsset(assetId)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The assets some scope reaches, for SQL to prefilter by, intersected with {@code admitted}
     * (another filter's list, or null for none); {@code admitted} itself when some scope does not
     * narrow by listed assets.
     */
    public @Nullable List<UUID> admittedAssets(@Nullable List<UUID> admitted) {
        if (all || parts.stream().anyMatch(p -> p.listed() == null)) {
            return admitted;
        }
        Set<UUID> union = new HashSet<>();
        parts.forEach(p -> union.addAll(Objects.requireNonNull(p.listed())));
        if (admitted == null) {
            return List.copyOf(union);
        }
        return admitted.stream().filter(union::contains).toList();
    }

    /** The oldest data time some scope reaches, or null when one reaches back without limit. */
    public @Nullable Instant earliest() {
        if (all) {
            return null;
        }
        Instant earliest = null;
        for (Part part : parts) {
            Instant from = part.scope().earliestDataTime(now);
            if (from == null) {
                return null;
            }
            earliest = earliest == null || from.isBefore(earliest) ? from : earliest;
        }
        return earliest;
    }

    /**
     * One scope and how its asset parts are decided; {@code assets} null when it has none (it does
     * not narrow by asset).
     */
    public record Part(Scope scope, @Nullable ScopeAssets assets) {

        /** The ids of the assets it reaches when they were listed, or null (no asset parts, or tested). */
        public @Nullable Set<UUID> listed() {
            return assets instanceof ScopeAssets.Listed(Set<UUID> ids) ? ids : null;
        }

        boolean reachesAsset(UUID assetId) {
            return assets == null || assets.reaches(assetId);
        }

        boolean reachesNoAsset() {
            Set<UUID> ids = listed();
            return ids != null && ids.isEmpty();
        }
    }

    /** How a scope's asset parts are decided for one reach. */
    public sealed interface ScopeAssets {

        boolean reaches(UUID assetId);

        /** The assets it reaches, as the asset module listed them (exact, SQL can use them). */
        static ScopeAssets listed(Collection<UUID> ids) {
            return new Listed(Set.copyOf(ids));
        }

        /** A test on facts at hand (an in-memory catalog, facts read on demand). */
        static ScopeAssets tested(Predicate<UUID> test) {
            return new Tested(test);
        }

        /**
         * Decided on the asset's own facts — its tags and classification, {@link
         * Scope#reachesAssetIgnoringCondition} — which {@code byId} looks up for a caller that does
         * not hold them. Only for a scope without a condition.
         */
        static ScopeAssets onFacts(Predicate<UUID> byId) {
            return new OnFacts(byId);
        }

        record Listed(Set<UUID> ids) implements ScopeAssets {
            @Override
            public boolean reaches(UUID assetId) {
                return ids.contains(assetId);
            }
        }

        record OnFacts(Predicate<UUID> byId) implements ScopeAssets {
            @Override
            public boolean reaches(UUID assetId) {
                return byId.test(assetId);
            }
        }

        record Tested(Predicate<UUID> test) implements ScopeAssets {
            @Override
            public boolean reaches(UUID assetId) {
                return test.test(assetId);
            }
        }
    }
}
