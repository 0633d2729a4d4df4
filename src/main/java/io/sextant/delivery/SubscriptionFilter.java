package io.sextant.delivery;

import io.sextant.events.Event;
import io.sextant.events.EventFilter;
import io.sextant.events.EventTypes;
import io.sextant.shared.problem.FieldError;
import io.sextant.shared.problem.InvalidInput;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Which events a subscription receives. An empty field places no condition; within a field any one
 * value matches (an event carries that type, zone, asset or one of those tags); across fields all
 * conditions must hold. A type is either a type of {@link EventTypes} or a prefix wildcard such as
 * {@code sextant.zone.*}. This is how a subscription stores and validates its filter; matching, in
 * memory and in SQL, is {@link EventFilter}'s.
 */
public record SubscriptionFilter(
        List<String> types, List<UUID> zoneIds, List<String> zoneTags, List<UUID> assetIds, List<String> assetTags) {

    public static final SubscriptionFilter ALL =
            new SubscriptionFilter(List.of(), List.of(), List.of(), List.of(), List.of());

    /** Most values in one field. */
    public static final int MAX_VALUES = 100;

    public SubscriptionFilter {
        types = List.copyOf(types);
        zoneIds = List.copyOf(zoneIds);
        zoneTags = List.copyOf(zoneTags);
        assetIds = List.copyOf(assetIds);
        assetTags = List.copyOf(assetTags);
    }

    /** Whether this filter lets {@code event} through. */
    public boolean matches(Event event) {
        return toEventFilter().matches(event);
    }

    /** The same filter as the event log's model, which matches in memory and compiles to SQL. */
    public EventFilter toEventFilter() {
        return new EventFilter(
                Set.copyOf(types),
                Set.copyOf(assetIds),
                Set.copyOf(zoneIds),
                Set.copyOf(assetTags),
                Set.copyOf(zoneTags));
    }

    /** The problems with this filter, each naming its field ({@code filter.types}, …); empty if none. */
    List<FieldError> problems() {
        List<FieldError> errors = new ArrayList<>();
        checkSize(errors, "filter.types", types);
        checkSize(errors, "filter.zoneIds", zoneIds);
        checkSize(errors, "filter.zoneTags", zoneTags);
        checkSize(errors, "filter.assetIds", assetIds);
        checkSize(errors, "filter.assetTags", assetTags);
        for (String type : types) {
            String problem = EventFilter.typeProblem(type);
            if (problem != null) {
                errors.add(new FieldError("filter.types", problem));
            }
        }
        checkTags(errors, "filter.zoneTags", zoneTags);
        checkTags(errors, "filter.assetTags", assetTags);
        return errors;
    }

    void check() {
        List<FieldError> errors = problems();
        if (!errors.isEmpty()) {
            throw new InvalidInput(errors);
        }
    }

    private static void checkSize(List<FieldError> errors, String field, Collection<?> values) {
        if (values.size() > MAX_VALUES) {
            errors.add(new FieldError(field, "at most " + MAX_VALUES + " values (was " + values.size() + ")"));
        }
        if (new HashSet<>(values).size() != values.size()) {
            errors.add(new FieldError(field, "has repeated values"));
        }
    }

    private static void checkTags(List<FieldError> errors, String field, List<String> tags) {
        for (String tag : tags) {
            String problem = EventFilter.tagProblem(tag);
            if (problem != null) {
                errors.add(new FieldError(field, problem));
            }
        }
    }
}
