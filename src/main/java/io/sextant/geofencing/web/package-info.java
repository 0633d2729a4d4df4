/** HTTP adapters of the geofencing module: the tenant's asset rules. */
@NullMarked
package io.sextant.geofencing.web;

import org.jspecify.annotations.NullMarked;
