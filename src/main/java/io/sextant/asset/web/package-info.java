/** REST adapter of assets. */
@NullMarked
package io.sextant.asset.web;

import org.jspecify.annotations.NullMarked;
