/** REST adapter of identity. */
@NullMarked
package io.sextant.identity.web;

import org.jspecify.annotations.NullMarked;
