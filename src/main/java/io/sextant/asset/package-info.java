/** Assets: the things that move (vehicles, drones, robots, crews, sensors) and their metadata. */
@ApplicationModule(
        displayName = "Assets",
        allowedDependencies = {"shared"})
@NullMarked
package io.sextant.asset;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
