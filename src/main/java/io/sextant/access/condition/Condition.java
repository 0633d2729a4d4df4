package io.sextant.access.condition;

/**
 * A compiled condition: the boolean part of the fragment. Each node is decided by {@link
 * MemoryEvaluation} for one asset and translated by {@link SqlTranslation}; the two must agree on
 * every node, errors included (an error is SQL's {@code null}).
 */
sealed interface Condition {

    /** True when deciding the node needs the asset; otherwise it is a constant for one request. */
    boolean readsAsset();

    /** {@code true} or {@code false}. */
    record Truth(boolean value) implements Condition {
        @Override
        public boolean readsAsset() {
            return false;
        }
    }

    /** {@code left && right}. */
    record And(Condition left, Condition right) implements Condition {
        @Override
        public boolean readsAsset() {
            return left.readsAsset() || right.readsAsset();
        }
    }

    /** {@code left || right}. */
    record Or(Condition left, Condition right) implements Condition {
        @Override
        public boolean readsAsset() {
            return left.readsAsset() || right.readsAsset();
        }
    }

    /** {@code !operand}. */
    record Not(Condition operand) implements Condition {
        @Override
        public boolean readsAsset() {
            return operand.readsAsset();
        }
    }

    /** {@code left == right}, or {@code left != right} when negated. */
    record Equals(Term left, Term right, boolean negated) implements Condition {
        @Override
        public boolean readsAsset() {
            return left.readsAsset() || right.readsAsset();
        }
    }

    /** {@code left < right} and the other orderings. */
    record Order(Term left, Comparison comparison, Term right) implements Condition {
        @Override
        public boolean readsAsset() {
            return left.readsAsset() || right.readsAsset();
        }
    }

    /** {@code element in list}. */
    record In(Term element, Term list) implements Condition {
        @Override
        public boolean readsAsset() {
            return element.readsAsset() || list.readsAsset();
        }
    }

    /** {@code has(asset.attributes.key)}. */
    record Has(String key) implements Condition {
        @Override
        public boolean readsAsset() {
            return true;
        }
    }

    /** {@code receiver.startsWith(argument)}, {@code endsWith} or {@code contains}. */
    record Text(TextTest test, Term receiver, Term argument) implements Condition {
        @Override
        public boolean readsAsset() {
            return receiver.readsAsset() || argument.readsAsset();
        }
    }

    /** {@code asset.tags.exists(t, predicate)}, the predicate reading the tag as {@link Term.Tag}. */
    record AnyTag(Condition predicate) implements Condition {
        @Override
        public boolean readsAsset() {
            return true;
        }
    }

    /** The four orderings, each with the one that holds when its operands change places. */
    enum Comparison {
        LESS("<"),
        LESS_OR_EQUAL("<="),
        GREATER(">"),
        GREATER_OR_EQUAL(">=");

        final String sql;

        Comparison(String sql) {
            this.sql = sql;
        }

        Comparison flipped() {
            return switch (this) {
                case LESS -> GREATER;
                case LESS_OR_EQUAL -> GREATER_OR_EQUAL;
                case GREATER -> LESS;
                case GREATER_OR_EQUAL -> LESS_OR_EQUAL;
            };
        }

        boolean holds(int order) {
            return switch (this) {
                case LESS -> order < 0;
                case LESS_OR_EQUAL -> order <= 0;
                case GREATER -> order > 0;
                case GREATER_OR_EQUAL -> order >= 0;
            };
        }
    }

    /** The string tests. */
    enum TextTest {
        STARTS_WITH,
        ENDS_WITH,
        CONTAINS
    }
}
