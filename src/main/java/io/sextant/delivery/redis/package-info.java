/** The Redis Streams channel. */
@NullMarked
package io.sextant.delivery.redis;

import org.jspecify.annotations.NullMarked;
