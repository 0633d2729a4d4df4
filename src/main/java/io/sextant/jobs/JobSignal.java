package io.sextant.jobs;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.stereotype.Component;

/**
 * Nudges this node's idle job worker: a job was committed, a job finished (freeing a slot, perhaps
 * unblocking its ordering key), or the worker is stopping. A wake-up that arrives while the worker
 * is busy is kept, so it looks once more before it sleeps.
 */
@Component
class JobSignal {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition woken = lock.newCondition();
    private boolean pending;

    void wake() {
        lock.lock();
        try {
            pending = true;
            woken.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Whether a wake-up is pending, clearing it. */
    boolean take() {
        lock.lock();
        try {
            boolean was = pending;
            pending = false;
            return was;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until woken (or returns at once if a wake-up is pending), at most {@code timeout}. */
    void await(Duration timeout) throws InterruptedException {
        lock.lock();
        try {
            long nanos = timeout.toNanos();
            while (!pending && nanos > 0) {
                nanos = woken.awaitNanos(nanos);
            }
            pending = false;
        } finally {
            lock.unlock();
        }
    }
}
