package io.sextant.shared.access;

import java.util.Map;

/**
 * A SQL boolean expression and the values of its named bind parameters ({@code :name}), to be
 * placed in a {@code where} clause as it is. Parameter names carry a prefix chosen by whoever
 * compiled it, so predicates combine without collisions.
 */
public record SqlPredicate(String sql, Map<String, Object> params) {

    public static final SqlPredicate TRUE = new SqlPredicate("true", Map.of());
    public static final SqlPredicate FALSE = new SqlPredicate("false", Map.of());

    public SqlPredicate {
        params = Map.copyOf(params);
    }
}
