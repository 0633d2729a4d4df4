package io.sextant.geofencing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AssetLocksTest {

    private final AssetLocks locks = new AssetLocks();

    private static List<UUID> assets(int count) {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(UUID.randomUUID());
        }
        return ids;
    }

    /** {@code locking} has not got its lock after 300 ms. */
    private static void stillWaiting(Future<?> locking, String who) {
        assertThatThrownBy(() -> locking.get(300, TimeUnit.MILLISECONDS))
                .as("%s must still be waiting", who)
                .isInstanceOf(TimeoutException.class);
    }

    @Test
    void a_lock_exists_only_while_it_is_held() {
        List<UUID> ids = assets(3);
        AssetLocks.Held held = locks.lockAll(List.of(ids.get(0), ids.get(1), ids.get(2), ids.get(1)));
        assertThat(locks.size()).isEqualTo(3);
        held.release();
        assertThat(locks.size()).isZero();
        locks.lock(ids.get(0)).release();
        assertThat(locks.size()).isZero();
    }

    @Test
    void groups_of_disjoint_assets_hold_their_locks_at_the_same_time() throws Exception {
        List<UUID> ids = assets(4);
        AssetLocks.Held first = locks.lockAll(ids.subList(0, 2));
        CompletableFuture<AssetLocks.Held> second =
                CompletableFuture.supplyAsync(() -> locks.lockAll(ids.subList(2, 4)));
        AssetLocks.Held held = second.get(5, TimeUnit.SECONDS);
        assertThat(locks.size()).isEqualTo(4);
        CompletableFuture.runAsync(held::release).get(5, TimeUnit.SECONDS);
        first.release();
        assertThat(locks.size()).isZero();
    }

    @Test
    void a_group_sharing_one_asset_waits_until_the_holder_releases_it() throws Exception {
        List<UUID> ids = assets(3);
        AssetLocks.Held first = locks.lockAll(ids.subList(0, 2));
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            Future<?> second =
                    other.submit(() -> locks.lockAll(ids.subList(1, 3)).release());
            stillWaiting(second, "the second group, for the asset the first one holds");
            first.release();
            second.get(5, TimeUnit.SECONDS);
            assertThat(locks.size()).isZero();
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void a_timer_locking_one_asset_waits_for_the_group_that_holds_it() throws Exception {
        List<UUID> ids = assets(2);
        AssetLocks.Held group = locks.lockAll(ids);
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            Future<?> timer = other.submit(() -> locks.lock(ids.get(1)).release());
            stillWaiting(timer, "the timer, for the asset a group holds");
            group.release();
            timer.get(5, TimeUnit.SECONDS);
        } finally {
            other.shutdownNow();
        }
    }

    /**
     * Eight threads lock random overlapping groups of assets, each in its own random order: no asset
     * is ever held by two threads at once, nobody deadlocks, and no lock outlives its holders.
     */
    @Test
    void overlapping_groups_in_any_order_exclude_each_other_and_never_deadlock() throws Exception {
        List<UUID> ids = assets(40);
        ConcurrentHashMap<UUID, AtomicInteger> holders = new ConcurrentHashMap<>();
        ids.forEach(id -> holders.put(id, new AtomicInteger()));
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger rounds = new AtomicInteger();
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long seed = 31L * t;
                workers.add(pool.submit(() -> {
                    Random random = new Random(seed);
                    start.await();
                    for (int round = 0; round < 2_000; round++) {
                        List<UUID> group = new ArrayList<>();
                        int size = 1 + random.nextInt(12);
                        for (int i = 0; i < size; i++) {
                            group.add(ids.get(random.nextInt(ids.size())));
                        }
                        // One in five is a timer's: a single asset.
                        List<UUID> mine = random.nextInt(5) == 0 ? group.subList(0, 1) : group;
                        AssetLocks.Held held = mine.size() == 1 ? locks.lock(mine.getFirst()) : locks.lockAll(mine);
                        List<UUID> distinct = mine.stream().distinct().toList();
                        for (UUID id : distinct) {
                            if (holders.get(id).incrementAndGet() != 1) {
                                overlaps.incrementAndGet();
                            }
                        }
                        Thread.onSpinWait();
                        for (UUID id : distinct) {
                            holders.get(id).decrementAndGet();
                        }
                        held.release();
                        rounds.incrementAndGet();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> worker : workers) {
                worker.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(rounds.get()).isEqualTo(threads * 2_000);
        assertThat(overlaps.get())
                .as("times an asset was held by two threads at once")
                .isZero();
        assertThat(locks.size()).isZero();
    }
}
