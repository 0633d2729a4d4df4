/** Geometry kernel: points, great-circle distances and bounding boxes on the sphere, free of I/O. */
@NullMarked
package io.sextant.shared.geo;

import org.jspecify.annotations.NullMarked;
