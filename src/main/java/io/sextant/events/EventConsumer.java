package io.sextant.events;

import java.util.List;

/**
 * A durable reader of the event log. The relay hands it every committed event exactly once per
 * successful call, in log order, inside a transaction that also advances its cursor: whatever the
 * consumer writes through the current transaction (a queued job, a delivery row) commits together
 * with the cursor, or neither does and the same events come again. Only one node runs a given
 * consumer at a time. Each call holds the events of one tenant, with the transaction scoped to that
 * tenant (row-level security); a batch of several tenants' events comes as one call per tenant.
 */
public interface EventConsumer {

    /** A stable name: the key of this consumer's cursor. */
    String name();

    void consume(List<Event> events);
}
