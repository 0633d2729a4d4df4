package io.sextant.jobs;

import java.util.Map;

/**
 * How many of a tenant's jobs are in each status, overall and per kind. Every status is present
 * (zero included), keyed by its {@link JobStatus#id()}; kinds in alphabetical order.
 */
public record JobSummary(Map<String, Long> total, Map<String, Map<String, Long>> kinds) {}
