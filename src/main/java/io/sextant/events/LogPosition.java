package io.sextant.events;

/**
 * Where an event sits in the log: the id of the transaction that wrote it, then its sequence
 * number. Relays read only below the oldest transaction still running, so a position once passed is
 * never filled in behind a reader, whatever order concurrent transactions commit in.
 */
public record LogPosition(long xid, long seq) implements Comparable<LogPosition> {

    public static final LogPosition START = new LogPosition(0, 0);

    @Override
    public int compareTo(LogPosition other) {
        int byXid = Long.compare(xid, other.xid);
        return byXid != 0 ? byXid : Long.compare(seq, other.seq);
    }
}
