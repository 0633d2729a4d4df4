/**
 * Grant conditions: CEL expressions over subject, request and asset attributes, restricted to a
 * fragment that is decided the same way in memory for one asset and as a SQL predicate over the
 * {@code asset} table for lists and queries.
 */
@NullMarked
package io.sextant.access.condition;

import org.jspecify.annotations.NullMarked;
