/**
 * Shared kernel: identifiers, the current tenant, the ways a service refuses a request ({@code
 * problem}), and the HTTP API conventions every module reuses.
 */
@ApplicationModule(displayName = "Shared kernel", type = ApplicationModule.Type.OPEN)
@NullMarked
package io.sextant.shared;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
