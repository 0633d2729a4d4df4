/** Test fixtures: databases, an HTTP client for the running server, token forgery for negative tests. */
@NullMarked
package io.sextant.testing;

import org.jspecify.annotations.NullMarked;
