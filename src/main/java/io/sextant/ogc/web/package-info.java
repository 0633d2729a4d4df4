/** The HTTP adapter of OGC API – Features: landing page, conformance, collections and their items. */
@NullMarked
package io.sextant.ogc.web;

import org.jspecify.annotations.NullMarked;
