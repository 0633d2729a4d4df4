/** Sextant's root package: one sub-package per application module. */
@NullMarked
package io.sextant;

import org.jspecify.annotations.NullMarked;
