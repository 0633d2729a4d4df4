/** HTTP adapter of the console: its page, settings and content security policy. */
@NullMarked
package io.sextant.console.web;

import org.jspecify.annotations.NullMarked;
