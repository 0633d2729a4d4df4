package io.sextant.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GroupOrderTest {

    private static final long LONG = TimeUnit.SECONDS.toNanos(10);

    @Test
    void the_first_group_taken_needs_no_wait_and_a_later_one_waits_for_every_earlier_one_to_pass() throws Exception {
        GroupOrder order = new GroupOrder();
        long first = order.take();
        long second = order.take();
        long third = order.take();
        assertThat(order.awaitTurn(first, 0)).isTrue();

        CompletableFuture<Boolean> thirdTurn = CompletableFuture.supplyAsync(() -> order.awaitTurn(third, LONG));
        order.pass(second); // a later group done before the first does not make it the third's turn
        Thread.sleep(100);
        assertThat(thirdTurn).isNotDone();
        order.pass(first);
        assertThat(thirdTurn.get(5, TimeUnit.SECONDS)).isTrue();
        order.pass(third);
        assertThat(order.open()).isZero();
    }

    @Test
    void a_wait_that_runs_out_says_so_and_passing_twice_changes_nothing() {
        GroupOrder order = new GroupOrder();
        long first = order.take();
        long second = order.take();
        long started = System.nanoTime();
        assertThat(order.awaitTurn(second, TimeUnit.MILLISECONDS.toNanos(50))).isFalse();
        assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
        order.pass(second); // went out of turn
        long third = order.take();
        order.pass(first);
        order.pass(first);
        assertThat(order.awaitTurn(third, 0)).isTrue();
        assertThat(order.open()).isEqualTo(1);
    }
}
