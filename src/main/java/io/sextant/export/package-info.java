/**
 * Exports: a track or an area-and-window history written as GeoJSON, GeoJSON text sequences (RFC
 * 8142) or CSV by a background job, with its requester's authority, into PostgreSQL chunks that any
 * node serves for download until they expire.
 */
@ApplicationModule(
        displayName = "Exports",
        allowedDependencies = {"shared", "tracking", "jobs", "identity"})
@NullMarked
package io.sextant.export;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
