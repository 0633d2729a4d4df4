package io.sextant.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The overlay of waiting latest positions on a page read from the table, against the truth. */
class LatestOverlayTest {

    private static final UUID TENANT = UUID.randomUUID();
    private static final Instant T = Instant.parse("2026-12-01T00:00:00Z");

    private static Position at(UUID asset, int seconds) {
        return new Position(TENANT, asset, T.plusSeconds(seconds), T, 1, 1, null, null, null, null, Map.of());
    }

    @Test
    void uuids_sort_as_postgresql_sorts_them_unsigned_byte_by_byte() {
        UUID low = UUID.fromString("7fffffff-ffff-ffff-ffff-ffffffffffff");
        UUID high = UUID.fromString("80000000-0000-0000-0000-000000000000");
        assertThat(LatestPositionWrites.UUID_ORDER.compare(low, high)).isNegative();
        assertThat(low.compareTo(high)).as("java.util.UUID compares signed").isPositive();
    }

    @Test
    void every_page_of_the_overlay_is_the_page_of_the_truth() {
        Random random = new Random(20261203);
        for (int round = 0; round < 500; round++) {
            List<UUID> assets = new ArrayList<>();
            for (int i = 0; i < 1 + random.nextInt(30); i++) {
                assets.add(new UUID(random.nextLong(), random.nextLong()));
            }
            // The table holds some assets; newer positions wait for some of them and for others.
            Map<UUID, Position> table = new HashMap<>();
            Map<UUID, Position> truth = new HashMap<>();
            List<Position> waiting = new ArrayList<>();
            for (UUID asset : assets) {
                boolean inTable = random.nextBoolean();
                boolean waits = !inTable || random.nextBoolean();
                if (inTable) {
                    table.put(asset, at(asset, random.nextInt(100)));
                    truth.put(asset, table.get(asset));
                }
                if (waits) {
                    Position newer = at(asset, 100 + random.nextInt(100));
                    waiting.add(newer);
                    truth.put(asset, newer);
                }
            }
            List<UUID> admitted = random.nextInt(4) == 0
                    ? assets.stream().filter(a -> random.nextBoolean()).toList()
                    : null;
            int limit = 1 + random.nextInt(6);

            List<StoredPosition> expected = new ArrayList<>();
            truth.values().stream()
                    .filter(p -> admitted == null || admitted.contains(p.assetId()))
                    .sorted(Comparator.comparing(Position::assetId, LatestPositionWrites.UUID_ORDER))
                    .forEach(p -> expected.add(StoredPosition.of(p)));

            List<StoredPosition> pages = new ArrayList<>();
            UUID after = null;
            while (true) {
                UUID cursor = after;
                List<StoredPosition> rows = table.values().stream()
                        .filter(p -> admitted == null || admitted.contains(p.assetId()))
                        .filter(p -> cursor == null || LatestPositionWrites.UUID_ORDER.compare(p.assetId(), cursor) > 0)
                        .sorted(Comparator.comparing(Position::assetId, LatestPositionWrites.UUID_ORDER))
                        .limit(limit)
                        .map(StoredPosition::of)
                        .toList();
                List<StoredPosition> page = LatestPositionWrites.overlay(waiting, rows, admitted, cursor, limit);
                pages.addAll(page);
                if (page.size() < limit) {
                    break;
                }
                after = page.getLast().assetId();
            }
            assertThat(pages).as("round %d", round).isEqualTo(expected);
        }
    }
}
