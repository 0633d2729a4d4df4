/** The platform's own Redis connection and its health check, when Redis is configured. */
@NullMarked
package io.sextant.platform.redis;

import org.jspecify.annotations.NullMarked;
