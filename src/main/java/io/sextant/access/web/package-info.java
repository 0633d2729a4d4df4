/** The access module's HTTP adapter: roles, grants, explanations, the audit log, and the hook that records refused requests. */
@NullMarked
package io.sextant.access.web;

import org.jspecify.annotations.NullMarked;
