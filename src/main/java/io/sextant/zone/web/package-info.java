/** REST adapter of zones. */
@NullMarked
package io.sextant.zone.web;

import org.jspecify.annotations.NullMarked;
