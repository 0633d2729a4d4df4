package io.sextant.geofencing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock per asset, so that two groups of positions whose assets are disjoint never wait for each
 * other, however many assets they hold (with a fixed number of stripes, a group of a few thousand
 * assets takes nearly all of them). A lock exists only while a thread holds or waits for it: the
 * map holds as many entries as there are assets being evaluated, not every asset ever seen.
 *
 * <p>Several assets are always locked in ascending {@link UUID} order, whoever locks them, so two
 * threads locking overlapping sets cannot deadlock; a thread holding assets takes no other asset
 * lock until it has released them.
 */
final class AssetLocks {

    /** A lock with the number of threads holding or waiting for it; that count changes only in the map. */
    private static final class Entry {
        final ReentrantLock lock = new ReentrantLock();
        int users;
    }

    private final Map<UUID, Entry> entries = new ConcurrentHashMap<>();

    /** The assets held together; released by {@link #release()}, in reverse order. */
    final class Held {
        private final List<UUID> assets;

        private Held(List<UUID> assets) {
            this.assets = assets;
        }

        void release() {
            for (int i = assets.size() - 1; i >= 0; i--) {
                unlock(assets.get(i));
            }
        }
    }

    /** Locks every asset of {@code assetIds} (repeats allowed), in the one global order. */
    Held lockAll(Collection<UUID> assetIds) {
        List<UUID> sorted = new ArrayList<>(assetIds);
        sorted.sort(null); // a group arrives sorted by tenant and asset: nearly sorted already
        List<UUID> ordered = new ArrayList<>(sorted.size());
        for (UUID assetId : sorted) {
            if (ordered.isEmpty() || !ordered.getLast().equals(assetId)) {
                ordered.add(assetId);
            }
        }
        for (int i = 0; i < ordered.size(); i++) {
            try {
                acquire(ordered.get(i));
            } catch (RuntimeException | Error e) {
                for (int j = i - 1; j >= 0; j--) {
                    unlock(ordered.get(j));
                }
                throw e;
            }
        }
        return new Held(ordered);
    }

    /** Locks one asset; the caller holds no other asset lock. */
    Held lock(UUID assetId) {
        acquire(assetId);
        return new Held(List.of(assetId));
    }

    private void acquire(UUID assetId) {
        Entry entry = entries.compute(assetId, (id, existing) -> {
            Entry e = existing == null ? new Entry() : existing;
            e.users++;
            return e;
        });
        try {
            entry.lock.lock();
        } catch (RuntimeException | Error e) {
            entries.computeIfPresent(assetId, (id, existing) -> --existing.users == 0 ? null : existing);
            throw e;
        }
    }

    private void unlock(UUID assetId) {
        entries.computeIfPresent(assetId, (id, entry) -> {
            entry.lock.unlock();
            return --entry.users == 0 ? null : entry;
        });
    }

    /** How many assets are held or waited for now (for tests). */
    int size() {
        return entries.size();
    }
}
