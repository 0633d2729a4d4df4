/**
 * Platform: the database (embedded or external PostgreSQL, tenant-scoped transactions), the HTTP
 * conventions applied to every request (request ids, size limits, rate limits, idempotency,
 * problem details) and observability.
 */
@ApplicationModule(
        displayName = "Platform",
        allowedDependencies = {"shared", "secrets"})
@NullMarked
package io.sextant.platform;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
