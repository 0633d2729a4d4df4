/**
 * The web console: a single-page application served at {@code /console} that uses only the public
 * REST API and the live event stream, with its browser libraries (MapLibre GL JS, an offline base
 * map from Natural Earth) built into the jar. This module serves the page, its settings and its
 * content security policy; it holds no data of its own.
 */
@ApplicationModule(
        displayName = "Console",
        allowedDependencies = {})
@NullMarked
package io.sextant.console;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
