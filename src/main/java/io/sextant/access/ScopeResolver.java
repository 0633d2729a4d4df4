package io.sextant.access;

import io.sextant.asset.Classification;
import io.sextant.shared.access.Scope;
import io.sextant.shared.access.SpatialRegion;
import io.sextant.zone.CompiledZone;
import io.sextant.zone.ZoneDirectory;
import io.sextant.zone.ZoneShape;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/** Turns a written scope into the one evaluated: zones into shapes, clearance into classifications. */
@Component
class ScopeResolver {

    private final ZoneDirectory zones;
    private final Conditions conditions;

    ScopeResolver(ZoneDirectory zones, Conditions conditions) {
        this.zones = zones;
        this.conditions = conditions;
    }

    Scope resolve(UUID tenantId, ScopeSpec spec, Subject subject, Instant now) {
        SpatialRegion region = null;
        if (spec.hasRegion()) {
            Set<String> tags = spec.regionZoneTags().stream()
                    .map(t -> t.toLowerCase(Locale.ROOT))
                    .collect(Collectors.toSet());
            List<ZoneShape> shapes = new ArrayList<>();
            for (CompiledZone zone : zones.indexFor(tenantId).zones()) {
                if (spec.regionZones().contains(zone.id()) || !Collections.disjoint(tags, zone.tags())) {
                    shapes.add(zone.shape());
                }
            }
            region = new ZonesRegion(shapes, spec.polygon(), ScopeSpec.describeRegion(spec));
        }
        Classification clearance = spec.clearance();
        Set<String> classifications = clearance == null ? Set.of() : classificationsUpTo(clearance);
        String condition = spec.condition();
        return new Scope(
                region,
                spec.schedule(),
                spec.dataWindow(),
                spec.dataDuringShifts(),
                classifications,
                spec.assetTags(),
                spec.assets(),
                spec.zoneTags().stream().map(t -> t.toLowerCase(Locale.ROOT)).collect(Collectors.toSet()),
                condition == null
                        ? null
                        : conditions.bind(condition, subject.id(), subject.kind(), subject.groups(), now));
    }

    /** The classifications a clearance reaches: its own level and every one below, in the enum's order. */
    static Set<String> classificationsUpTo(Classification clearance) {
        return Arrays.stream(Classification.values())
                .filter(c -> c.compareTo(clearance) <= 0)
                .map(Classification::id)
                .collect(Collectors.toSet());
    }

    /** Who a policy is built for, as conditions see it. */
    record Subject(String id, String kind, Set<String> groups) {

        Subject {
            groups = Set.copyOf(groups);
        }

        static Subject of(String subjectId, Set<String> groups) {
            int colon = subjectId.indexOf(':');
            return new Subject(subjectId, colon < 0 ? subjectId : subjectId.substring(0, colon), groups);
        }
    }
}
