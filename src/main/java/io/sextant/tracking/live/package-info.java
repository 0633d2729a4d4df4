/** The in-memory index of every asset's latest position, answering box, radius, nearest and area queries. */
@NullMarked
package io.sextant.tracking.live;

import org.jspecify.annotations.NullMarked;
