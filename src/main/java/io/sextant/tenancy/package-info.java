/** Tenancy: the tenants that own every other resource, and their lifecycle. */
@ApplicationModule(
        displayName = "Tenancy",
        allowedDependencies = {"shared"})
@NullMarked
package io.sextant.tenancy;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
