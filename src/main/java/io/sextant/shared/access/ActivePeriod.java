package io.sextant.shared.access;

import java.time.Instant;

/** When something holds: a weekly schedule in a time zone, a validity interval, or both. */
@FunctionalInterface
public interface ActivePeriod {

    boolean isActive(Instant t);
}
