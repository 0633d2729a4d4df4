/** The access module's HTTP adapter: roles, grants and explanations. */
@NullMarked
package io.sextant.access.web;

import org.jspecify.annotations.NullMarked;
