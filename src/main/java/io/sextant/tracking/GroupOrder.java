package io.sextant.tracking;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The order in which the writers' groups reach the position observers, asset by asset: a group
 * goes after every group taken from the queue before it that carries one of its assets. Each group
 * takes a ticket as it is taken ({@link #take}, under the lock that takes groups, so tickets follow
 * the queue), waits before its observers until those groups have passed ({@link #awaitTurn}), and
 * passes once its observers have seen it — or once it failed, or had nothing to show them
 * ({@link #pass}, which may be called again). Groups of different assets do not wait for each other.
 *
 * <p>Without it, two writers race: a later group whose history write finished first reached the
 * fence engine first, and the asset's positions of the earlier group, although sent and queued
 * before, counted as late and replayed the asset's stored track. Under load that made the next
 * groups slower still.
 *
 * <p>The wait is bounded. An earlier group may be held up by the later one itself — its copy waiting
 * for a key the later group holds uncommitted (a batch re-sent while the first was still queued),
 * or its partition DDL for the later group's lock on the table — and the later group must not wait
 * for that forever: after the wait it goes on out of turn, and the positions concerned are replayed
 * as late data, exactly as they would have been without the order. (The order of the groups that
 * come later is then kept among themselves; they no longer wait for the group overtaken.)
 */
final class GroupOrder {

    /** A group's place: its number, its assets, and the groups before it that carry one of them. */
    static final class Ticket {
        final long number;
        private final long[] after;
        private final List<UUID> assets;

        private Ticket(long number, long[] after, List<UUID> assets) {
            this.number = number;
            this.after = after;
            this.assets = assets;
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition passed = lock.newCondition();
    /** Tickets taken and not yet passed. */
    private final Set<Long> open = new HashSet<>();
    /** For each asset of an open ticket, the last such ticket. */
    private final Map<UUID, Long> lastWith = new HashMap<>();

    private long next;

    /** The ticket of the group of {@code positions}, just taken. */
    Ticket take(List<Position> positions) {
        lock.lock();
        try {
            long number = next++;
            List<UUID> assets = new ArrayList<>();
            Set<Long> after = new HashSet<>();
            for (Position position : positions) {
                UUID assetId = position.assetId();
                Long previous = lastWith.put(assetId, number);
                if (previous == null || previous != number) { // the asset's first position in the group
                    assets.add(assetId);
                    if (previous != null) {
                        after.add(previous);
                    }
                }
            }
            open.add(number);
            return new Ticket(number, after.stream().mapToLong(Long::longValue).toArray(), assets);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until every group taken before {@code ticket} that carries one of its assets has passed,
     * at most {@code waitNanos}.
     *
     * @return whether they have; false when the wait ran out (or was interrupted)
     */
    boolean awaitTurn(Ticket ticket, long waitNanos) {
        if (ticket.after.length == 0) {
            return true;
        }
        lock.lock();
        try {
            long left = waitNanos;
            while (anyOpen(ticket.after)) {
                if (left <= 0) {
                    return false;
                }
                left = passed.awaitNanos(left);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** The group is done with the observers (or never will be): the groups after it may go. */
    void pass(Ticket ticket) {
        lock.lock();
        try {
            if (!open.remove(ticket.number)) {
                return;
            }
            for (UUID assetId : ticket.assets) {
                lastWith.remove(assetId, ticket.number);
            }
            passed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Tickets taken and not passed, and assets they hold (for tests). */
    int[] held() {
        lock.lock();
        try {
            return new int[] {open.size(), lastWith.size()};
        } finally {
            lock.unlock();
        }
    }

    private boolean anyOpen(long[] numbers) {
        for (long number : numbers) {
            if (open.contains(number)) {
                return true;
            }
        }
        return false;
    }
}
