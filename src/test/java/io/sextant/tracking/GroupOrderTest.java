package io.sextant.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GroupOrderTest {

    private static final long LONG = TimeUnit.SECONDS.toNanos(10);
    private static final UUID TENANT = UUID.randomUUID();

    /** A group with one position of each asset given. */
    private static List<Position> group(UUID... assets) {
        List<Position> positions = new ArrayList<>();
        for (UUID asset : assets) {
            positions.add(
                    new Position(TENANT, asset, Instant.now(), Instant.now(), 1, 1, null, null, null, null, Map.of()));
        }
        return positions;
    }

    @Test
    void a_group_waits_for_every_earlier_group_with_one_of_its_assets_and_for_no_other() throws Exception {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        UUID c = UUID.randomUUID();
        GroupOrder order = new GroupOrder();
        GroupOrder.Ticket first = order.take(group(a, a, b));
        GroupOrder.Ticket second = order.take(group(c));
        GroupOrder.Ticket third = order.take(group(b, c));
        assertThat(order.awaitTurn(first, 0)).isTrue();
        assertThat(order.awaitTurn(second, 0))
                .as("no asset in common with the first")
                .isTrue();

        CompletableFuture<Boolean> thirdTurn = CompletableFuture.supplyAsync(() -> order.awaitTurn(third, LONG));
        order.pass(second);
        Thread.sleep(100);
        assertThat(thirdTurn).as("still waiting for the first, which carries b").isNotDone();
        order.pass(first);
        assertThat(thirdTurn.get(5, TimeUnit.SECONDS)).isTrue();
        order.pass(third);
        assertThat(order.held()).containsExactly(0, 0);
    }

    @Test
    void a_wait_that_runs_out_says_so_and_passing_twice_changes_nothing() {
        UUID a = UUID.randomUUID();
        GroupOrder order = new GroupOrder();
        GroupOrder.Ticket first = order.take(group(a));
        GroupOrder.Ticket second = order.take(group(a));
        long started = System.nanoTime();
        assertThat(order.awaitTurn(second, TimeUnit.MILLISECONDS.toNanos(50))).isFalse();
        assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
        order.pass(second); // went out of turn
        GroupOrder.Ticket third = order.take(group(a));
        order.pass(first);
        order.pass(first);
        assertThat(order.awaitTurn(third, 0)).isTrue();
        assertThat(order.held()).containsExactly(1, 1);
        order.pass(third);
        order.pass(second);
        assertThat(order.held()).containsExactly(0, 0);
    }
}
