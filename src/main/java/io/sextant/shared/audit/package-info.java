/** The audit log's port, which modules call when an administrative change commits. */
@NullMarked
package io.sextant.shared.audit;

import org.jspecify.annotations.NullMarked;
