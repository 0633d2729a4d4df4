/** REST adapter of jobs: what is queued, running and dead, and retrying the dead. */
@NullMarked
package io.sextant.jobs.web;

import org.jspecify.annotations.NullMarked;
