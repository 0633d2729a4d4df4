/** The audit log's REST API and the hook that records refused requests. */
@NullMarked
package io.sextant.access.web;

import org.jspecify.annotations.NullMarked;
