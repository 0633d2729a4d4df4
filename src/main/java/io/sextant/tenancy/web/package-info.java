/** REST adapter of tenancy. */
@NullMarked
package io.sextant.tenancy.web;

import org.jspecify.annotations.NullMarked;
