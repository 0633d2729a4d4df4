package io.sextant.tracking;

import java.util.TreeSet;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The order in which the writers' groups reach the position observers: the order they were taken
 * from the queue. Each group takes a ticket as it is taken ({@link #take}, under the lock that takes
 * groups), waits before its observers until every earlier ticket has passed ({@link #awaitTurn}),
 * and passes its own once its observers have seen it — or once it failed, or had nothing to show
 * them ({@link #pass}, which may be called again).
 *
 * <p>Without it, two writers race: a later group whose history write finished first reached the
 * fence engine first, and an asset's positions of the earlier group, although sent and queued
 * before, counted as late and replayed the asset's stored track. Under load that made the next
 * groups slower still.
 *
 * <p>The wait is bounded. An earlier group may be held up by the later one itself — its copy waiting
 * for a key the later group holds uncommitted (a batch re-sent while the first was still queued),
 * or its partition DDL for the later group's lock on the table — and the later group must not wait
 * for that forever: after the wait it goes on out of turn, and the positions concerned are replayed
 * as late data, exactly as they would have been without the order.
 */
final class GroupOrder {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition passed = lock.newCondition();
    /** Tickets taken and not yet passed; the first is the group whose turn it is. */
    private final TreeSet<Long> open = new TreeSet<>();

    private long next;

    /** The ticket of the group just taken. */
    long take() {
        lock.lock();
        try {
            open.add(next);
            return next++;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until every group taken before {@code ticket} has passed, at most {@code waitNanos}.
     *
     * @return whether it is the group's turn; false when the wait ran out (or was interrupted)
     */
    boolean awaitTurn(long ticket, long waitNanos) {
        lock.lock();
        try {
            long left = waitNanos;
            while (!open.isEmpty() && open.first() < ticket) {
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

    /** The group is done with the observers (or never will be): the next one may go. */
    void pass(long ticket) {
        lock.lock();
        try {
            boolean wasFirst = !open.isEmpty() && open.first() == ticket;
            if (open.remove(ticket) && wasFirst) {
                passed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Tickets taken and not passed (for tests). */
    int open() {
        lock.lock();
        try {
            return open.size();
        } finally {
            lock.unlock();
        }
    }
}
