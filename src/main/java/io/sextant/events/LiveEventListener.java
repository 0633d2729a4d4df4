package io.sextant.events;

import java.util.List;

/**
 * An in-process, non-durable reader of the log: sees the events committed after this node started,
 * in log order, as the relay finds them. Must not block: it runs on the relay thread.
 */
interface LiveEventListener {

    void onEvents(List<Event> events);
}
