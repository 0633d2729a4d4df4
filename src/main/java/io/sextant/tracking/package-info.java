/** Tracking: positions of assets — ingest, history, live and historical queries. */
@ApplicationModule(
        displayName = "Tracking",
        allowedDependencies = {"shared", "platform", "tenancy", "asset"})
@NullMarked
package io.sextant.tracking;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
