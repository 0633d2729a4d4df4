package io.sextant.platform;

/**
 * A larger (or smaller) body limit for the requests under one path, declared as a bean by the
 * module that serves them (batch ingest, say). The longest matching prefix wins; other requests
 * get {@code SEXTANT_HTTP_MAX_REQUEST_SIZE}.
 */
public record RequestBodyLimit(String pathPrefix, long maxBytes) {}
