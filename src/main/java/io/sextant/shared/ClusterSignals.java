package io.sextant.shared;

/**
 * Hints between the nodes of one installation that something changed which they would otherwise
 * notice only when they next poll — "the event log has grown". The platform delivers them through
 * Redis pub/sub when Redis is configured, and nowhere when it is not (a single node). A signal carries
 * no data and may be lost (Redis away, a node reconnecting): a receiver still polls, and the signal
 * only shortens its wait. Publishing never blocks and never fails its caller.
 */
public interface ClusterSignals {

    /** Signals that reach no other node: one node alone, or no Redis. */
    ClusterSignals NONE = new ClusterSignals() {
        @Override
        public void publish(String topic) {}

        @Override
        public void subscribe(String topic, Runnable receiver) {}
    };

    /** Tells the other nodes that {@code topic} changed (this node already knows). */
    void publish(String topic);

    /** Runs {@code receiver} (on a thread of the transport: it must be quick) when {@code topic} is signalled. */
    void subscribe(String topic, Runnable receiver);
}
