/** HTTP adapters of the events module: the event log API and live streams. */
@NullMarked
package io.sextant.events.web;

import org.jspecify.annotations.NullMarked;
