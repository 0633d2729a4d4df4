/**
 * Fine-grained authorization: tenant-defined roles, grants that bind a subject to a role narrowed by
 * scopes (region, time, clearance, tags, a condition), the decision and its explanation, and the
 * audit log of administrative changes and denied requests.
 */
@ApplicationModule(
        displayName = "Access",
        allowedDependencies = {"shared", "identity", "zone", "asset"})
@NullMarked
package io.sextant.access;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
