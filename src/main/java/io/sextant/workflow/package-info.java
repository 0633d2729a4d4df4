/**
 * Workflows: versioned state-machine definitions (states with {@code on} transitions, {@code after}
 * timers, entry actions and final states, in the vocabulary of SCXML and XState), read from JSON or
 * YAML and checked against their published schema and statically, and the pure transition core that
 * moves an instance from one state to the next.
 */
@ApplicationModule(
        displayName = "Workflow",
        allowedDependencies = {"shared", "events", "jobs", "asset", "zone", "identity"})
@NullMarked
package io.sextant.workflow;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
