/** REST adapter of tracking: ingest formats and queries. */
@NullMarked
package io.sextant.tracking.web;

import org.jspecify.annotations.NullMarked;
