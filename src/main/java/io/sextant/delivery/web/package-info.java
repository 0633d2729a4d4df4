/** The subscriptions and delivery-log REST API. */
@NullMarked
package io.sextant.delivery.web;

import org.jspecify.annotations.NullMarked;
