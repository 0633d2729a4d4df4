package io.sextant.access.condition;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A value in a compiled condition. Asset terms become columns in SQL; every other term is a
 * constant for one request (subject, request time, literals) and becomes a bind parameter.
 */
sealed interface Term {

    boolean readsAsset();

    /** A string column of the asset: {@code asset.id} (as text), {@code externalId}, {@code type}, {@code classification}. */
    enum Column implements Term {
        ID("asset.id", "id"),
        EXTERNAL_ID("asset.externalId", "external_id"),
        TYPE("asset.type", "type"),
        CLASSIFICATION("asset.classification", "classification");

        final String variable;
        final String column;

        Column(String variable, String column) {
            this.variable = variable;
            this.column = column;
        }

        @Override
        public boolean readsAsset() {
            return true;
        }
    }

    /** {@code asset.tags}. */
    record Tags() implements Term {
        @Override
        public boolean readsAsset() {
            return true;
        }
    }

    /** The tag an {@link Condition.AnyTag} predicate is looking at. */
    record Tag() implements Term {
        @Override
        public boolean readsAsset() {
            return true;
        }
    }

    /** {@code asset.attributes.key} or {@code asset.attributes['key']}. */
    record Attribute(String key) implements Term {
        @Override
        public boolean readsAsset() {
            return true;
        }
    }

    /** {@code subject.id}, {@code subject.kind}, {@code subject.groups}. */
    enum Subject implements Term {
        ID,
        KIND,
        GROUPS;

        @Override
        public boolean readsAsset() {
            return false;
        }
    }

    /** {@code request.time}. */
    record RequestTime() implements Term {
        @Override
        public boolean readsAsset() {
            return false;
        }
    }

    /**
     * A literal: a String, Long, Double, Boolean, {@link Values#NULL} or, for {@code timestamp('…')},
     * an Instant.
     */
    record Literal(Object value) implements Term {
        @Override
        public boolean readsAsset() {
            return false;
        }
    }

    /** {@code [a, b, …]} of constants, only as the right-hand side of {@code in}. */
    record ListLiteral(List<Term> elements) implements Term {
        @Override
        public boolean readsAsset() {
            return false;
        }
    }

    /** {@code time.getHours('Europe/Paris')} and the other timestamp accessors, on a constant time. */
    record TimePart(TimeField field, Term time, @Nullable ZoneId zone) implements Term {
        @Override
        public boolean readsAsset() {
            return false;
        }
    }

    /** CEL's timestamp accessors (CEL counts months, days of the month and of the year from 0). */
    enum TimeField {
        FULL_YEAR("getFullYear"),
        MONTH("getMonth"),
        DAY_OF_YEAR("getDayOfYear"),
        DAY_OF_MONTH("getDayOfMonth"),
        DATE("getDate"),
        DAY_OF_WEEK("getDayOfWeek"),
        HOURS("getHours"),
        MINUTES("getMinutes"),
        SECONDS("getSeconds");

        final String function;

        TimeField(String function) {
            this.function = function;
        }

        long of(Instant time, ZoneId zone) {
            var local = time.atZone(zone);
            return switch (this) {
                case FULL_YEAR -> local.getYear();
                case MONTH -> local.getMonthValue() - 1;
                case DAY_OF_YEAR -> local.getDayOfYear() - 1;
                case DAY_OF_MONTH -> local.getDayOfMonth() - 1;
                case DATE -> local.getDayOfMonth();
                case DAY_OF_WEEK -> local.getDayOfWeek().getValue() % 7;
                case HOURS -> local.getHour();
                case MINUTES -> local.getMinute();
                case SECONDS -> local.getSecond();
            };
        }
    }
}
