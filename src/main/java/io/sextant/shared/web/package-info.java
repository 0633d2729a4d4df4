/** HTTP API conventions: problem details, cursor pages, entity tags. */
@NullMarked
package io.sextant.shared.web;

import org.jspecify.annotations.NullMarked;
