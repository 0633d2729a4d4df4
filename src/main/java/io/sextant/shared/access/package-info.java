/**
 * Function-level access to application services, free of any transport: the permissions a service
 * method requires, declared where the function lives, so every adapter that calls it gets the check.
 */
@NullMarked
package io.sextant.shared.access;

import org.jspecify.annotations.NullMarked;
