package io.sextant.access;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A grant: a subject holds a role, narrowed by a scope, between two instants.
 *
 * @param subject {@code user:<id>}, {@code service:<client id>}, {@code api-key:<id>} or {@code
 *     group:<name>} (a group claim of an external token)
 * @param scope the scope as written (see {@link ScopeSpec}); an empty object for none
 * @param createdBy the subject that wrote the grant
 * @param version the ETag
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AccessGrant(
        UUID id,
        String subject,
        String role,
        JsonNode scope,
        @Nullable Instant validFrom,
        @Nullable Instant validUntil,
        String description,
        String createdBy,
        long version,
        Instant createdAt) {}
