/** The webhook channel: Standard Webhooks signatures, the HTTP sender and the SSRF guard. */
@NullMarked
package io.sextant.delivery.webhook;

import org.jspecify.annotations.NullMarked;
