package io.sextant.zone;

import io.sextant.shared.geo.BoundingBox;
import io.sextant.shared.problem.FieldError;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A row of {@code zone} or {@code zone_version}: one version of a zone as stored.
 *
 * @param changedAt when this version was made ({@code updated_at}, or {@code valid_from})
 * @param validTo when the next version replaced it (versions only)
 */
record StoredZone(
        UUID id,
        UUID tenantId,
        long version,
        boolean deleted,
        String name,
        List<String> tags,
        Map<String, Object> attributes,
        String shapeKind,
        JsonNode shape,
        @Nullable JsonNode schedule,
        @Nullable JsonNode fence,
        BoundingBox bbox,
        Instant createdAt,
        Instant changedAt,
        @Nullable Instant validTo) {

    static StoredZone of(
            UUID id, UUID tenantId, long version, ZoneContent content, Instant createdAt, Instant changedAt) {
        return new StoredZone(
                id,
                tenantId,
                version,
                false,
                content.name(),
                content.tags(),
                content.attributes(),
                content.shape().kind(),
                content.shapeJson(),
                content.scheduleJson(),
                content.fenceJson(),
                content.bbox(),
                createdAt,
                changedAt,
                null);
    }

    /** The same content as a later version that records the deletion. */
    StoredZone deletedAt(Instant at) {
        return new StoredZone(
                id,
                tenantId,
                version + 1,
                true,
                name,
                tags,
                attributes,
                shapeKind,
                shape,
                schedule,
                fence,
                bbox,
                createdAt,
                at,
                null);
    }

    Zone toZone() {
        String member = ZoneContent.memberOf(shapeKind);
        return new Zone(
                id,
                tenantId,
                name,
                tags,
                attributes,
                member.equals("geometry") ? shape : null,
                member.equals("circle") ? shape : null,
                member.equals("corridor") ? shape : null,
                schedule,
                fence,
                bboxList(),
                version,
                createdAt,
                changedAt);
    }

    ZoneVersion toVersion() {
        String member = ZoneContent.memberOf(shapeKind);
        return new ZoneVersion(
                id,
                tenantId,
                name,
                tags,
                attributes,
                member.equals("geometry") ? shape : null,
                member.equals("circle") ? shape : null,
                member.equals("corridor") ? shape : null,
                schedule,
                fence,
                bboxList(),
                version,
                createdAt,
                changedAt,
                changedAt,
                validTo,
                deleted);
    }

    /**
     * The form the fence engine uses. The JSON was validated when it was written, so its topology
     * and the limits are not checked again.
     *
     * @throws IllegalStateException if the stored JSON no longer reads (it was valid when written)
     */
    CompiledZone compile() {
        try {
            ZoneShape compiledShape = ZoneRules.shape(ZoneContent.memberOf(shapeKind), shape, ZoneLimits.NONE, false);
            List<FieldError> errors = new ArrayList<>();
            ZoneSchedule compiledSchedule = schedule == null ? null : ZoneJson.schedule(schedule, errors);
            FenceSettings settings = fence == null ? FenceSettings.DEFAULTS : ZoneJson.fence(fence, errors);
            if (!errors.isEmpty() || settings == null) {
                throw new IllegalStateException("stored zone " + id + " does not read: " + errors);
            }
            return new CompiledZone(id, tenantId, version, name, tags, compiledShape, compiledSchedule, settings);
        } catch (ZoneJson.Invalid e) {
            throw new IllegalStateException("stored zone " + id + " does not read: " + e.error(), e);
        }
    }

    private List<Double> bboxList() {
        return List.of(bbox.west(), bbox.south(), bbox.east(), bbox.north());
    }
}
