/** Platform internals: http. */
@NullMarked
package io.sextant.platform.http;

import org.jspecify.annotations.NullMarked;
