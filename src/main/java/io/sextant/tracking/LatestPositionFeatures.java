package io.sextant.tracking;

import io.sextant.shared.features.FeaturePage;
import io.sextant.shared.features.FeatureQuery;
import io.sextant.shared.features.FeatureSource;
import io.sextant.shared.features.TimeInterval;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * The latest position of each of the tenant's assets as Point features (the shape every position
 * query answers with, {@link PositionFeatures}), through {@link PositionQueries}: {@code
 * positions:read} and the caller's grants (region, shift, assets) hold. The feature's id is the
 * asset's; a time interval selects the assets whose latest position's time lies in it.
 */
@Component
class LatestPositionFeatures implements FeatureSource {

    private final PositionQueries queries;

    LatestPositionFeatures(PositionQueries queries) {
        this.queries = queries;
    }

    @Override
    public String id() {
        return "latest-positions";
    }

    @Override
    public String title() {
        return "Latest positions";
    }

    @Override
    public String description() {
        return "Where each asset was last seen: one Point feature per asset, its id the asset's";
    }

    @Override
    public String permission() {
        return "positions:read";
    }

    @Override
    public FeaturePage page(FeatureQuery query) {
        TimeInterval interval = query.interval();
        PositionQueries.SnapshotPage page = queries.latestPage(
                query.bbox(),
                interval == null ? null : interval.start(),
                interval == null ? null : interval.end(),
                PositionCriteria.ANY,
                query.cursor(),
                query.limit());
        List<Map<String, Object>> features =
                page.items().stream().map(PositionFeatures::point).toList();
        return new FeaturePage(features, page.nextCursor());
    }

    @Override
    public Optional<Map<String, Object>> feature(String id) {
        UUID assetId;
        try {
            assetId = UUID.fromString(id);
        } catch (IllegalArgumentException notOurs) {
            return Optional.empty();
        }
        return Optional.ofNullable(queries.latestReached(List.of(assetId)).get(assetId))
                .map(p -> PositionFeatures.point(StoredPosition.of(p)));
    }
}
