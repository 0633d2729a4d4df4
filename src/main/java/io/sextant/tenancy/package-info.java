/** Tenancy: the tenants that own every other resource, and their lifecycle. */
@ApplicationModule(displayName = "Tenancy")
@NullMarked
package io.sextant.tenancy;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
