/** Platform internals: observability. */
@NullMarked
package io.sextant.platform.observability;

import org.jspecify.annotations.NullMarked;
