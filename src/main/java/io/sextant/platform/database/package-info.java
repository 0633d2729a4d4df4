/** Platform internals: database. */
@NullMarked
package io.sextant.platform.database;

import org.jspecify.annotations.NullMarked;
