/** The exports API: start, follow, list, download and delete exports. */
@NullMarked
package io.sextant.export.web;

import org.jspecify.annotations.NullMarked;
