package io.sextant.geofencing;

/** A fix together with where it lies relative to the zone, the input of a replay. */
public record PresenceFix(Fix fix, Presence presence) {}
