/**
 * The ways an application service refuses a request, free of any transport: each carries the
 * problem type slug, title and detail an adapter reports (REST maps them to RFC 9457 in one place).
 */
@NullMarked
package io.sextant.shared.problem;

import org.jspecify.annotations.NullMarked;
