package io.sextant.access.condition;

import io.sextant.access.condition.Condition.AnyTag;
import io.sextant.access.condition.Condition.Equals;
import io.sextant.access.condition.Condition.Has;
import io.sextant.access.condition.Condition.In;
import io.sextant.access.condition.Condition.Not;
import io.sextant.access.condition.Condition.Or;
import io.sextant.access.condition.Condition.Order;
import io.sextant.access.condition.Condition.Text;
import io.sextant.access.condition.Condition.Truth;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Decides a condition in memory with CEL's semantics: an error (a missing attribute, a value of the
 * wrong type) is absorbed by {@code &&} and {@code ||} when the other side decides, and otherwise
 * reaches the top, where it counts as false. The asset is absent when only the request's constants
 * are folded for SQL.
 */
final class MemoryEvaluation {

    /** CEL's three outcomes, which are SQL's true, false and null. */
    enum Outcome {
        TRUE,
        FALSE,
        ERROR;

        static Outcome of(boolean value) {
            return value ? TRUE : FALSE;
        }
    }

    private final SubjectAttributes subject;
    private final Instant requestTime;
    private final @Nullable AssetAttributes asset;
    private @Nullable String tag;

    MemoryEvaluation(SubjectAttributes subject, Instant requestTime, @Nullable AssetAttributes asset) {
        this.subject = subject;
        this.requestTime = requestTime;
        this.asset = asset;
    }

    Outcome decide(Condition condition) {
        return switch (condition) {
            case Truth t -> Outcome.of(t.value());
            case Condition.And and -> and(decide(and.left()), decide(and.right()));
            case Or or -> or(decide(or.left()), decide(or.right()));
            case Not not -> not(decide(not.operand()));
            case Equals eq -> equals(value(eq.left()), value(eq.right()), eq.negated());
            case Order order -> order(value(order.left()), order.comparison(), value(order.right()));
            case In in -> in(value(in.element()), value(in.list()));
            case Has has -> Outcome.of(asset().attributes().containsKey(has.key()));
            case Text text -> text(text.test(), value(text.receiver()), value(text.argument()));
            case AnyTag any -> anyTag(any.predicate());
        };
    }

    Object value(Term term) {
        return switch (term) {
            case Term.Column column ->
                switch (column) {
                    case ID -> asset().id().toString();
                    case EXTERNAL_ID -> asset().externalId();
                    case TYPE -> asset().type();
                    case CLASSIFICATION -> asset().classification();
                };
            case Term.Tags tags -> asset().tags();
            case Term.Tag t -> {
                if (tag == null) {
                    throw new IllegalStateException("a tag read outside asset.tags.exists");
                }
                yield tag;
            }
            case Term.Attribute attribute -> {
                var attributes = asset().attributes();
                yield attributes.containsKey(attribute.key())
                        ? Values.fromJson(attributes.get(attribute.key()))
                        : Values.ERROR;
            }
            case Term.Subject field ->
                switch (field) {
                    case ID -> subject.id();
                    case KIND -> subject.kind();
                    case GROUPS -> List.copyOf(subject.groups());
                };
            case Term.RequestTime t -> requestTime;
            case Term.Literal literal -> literal.value();
            case Term.ListLiteral list -> {
                List<Object> values = new ArrayList<>();
                for (Term element : list.elements()) {
                    values.add(value(element));
                }
                yield values;
            }
            case Term.TimePart part -> {
                Object time = value(part.time());
                yield time instanceof Instant instant
                        ? part.field().of(instant, part.zone() == null ? ZoneOffset.UTC : part.zone())
                        : Values.ERROR;
            }
        };
    }

    static Outcome and(Outcome left, Outcome right) {
        if (left == Outcome.FALSE || right == Outcome.FALSE) {
            return Outcome.FALSE;
        }
        return left == Outcome.ERROR || right == Outcome.ERROR ? Outcome.ERROR : Outcome.TRUE;
    }

    static Outcome or(Outcome left, Outcome right) {
        if (left == Outcome.TRUE || right == Outcome.TRUE) {
            return Outcome.TRUE;
        }
        return left == Outcome.ERROR || right == Outcome.ERROR ? Outcome.ERROR : Outcome.FALSE;
    }

    static Outcome not(Outcome operand) {
        return switch (operand) {
            case TRUE -> Outcome.FALSE;
            case FALSE -> Outcome.TRUE;
            case ERROR -> Outcome.ERROR;
        };
    }

    private static Outcome equals(Object left, Object right, boolean negated) {
        if (left == Values.ERROR || right == Values.ERROR) {
            return Outcome.ERROR;
        }
        return Outcome.of(Values.equal(left, right) != negated);
    }

    private static Outcome order(Object left, Condition.Comparison comparison, Object right) {
        if (left == Values.ERROR || right == Values.ERROR) {
            return Outcome.ERROR;
        }
        Integer order = Values.compare(left, right);
        return order == null ? Outcome.ERROR : Outcome.of(comparison.holds(order));
    }

    private static Outcome in(Object element, Object list) {
        if (element == Values.ERROR || !(list instanceof List<?> values)) {
            return Outcome.ERROR;
        }
        for (Object value : values) {
            if (Values.equal(element, value)) {
                return Outcome.TRUE;
            }
        }
        return Outcome.FALSE;
    }

    private static Outcome text(Condition.TextTest test, Object receiver, Object argument) {
        if (!(receiver instanceof String s) || !(argument instanceof String a)) {
            return Outcome.ERROR;
        }
        return Outcome.of(
                switch (test) {
                    case STARTS_WITH -> s.startsWith(a);
                    case ENDS_WITH -> s.endsWith(a);
                    case CONTAINS -> s.contains(a);
                });
    }

    /** CEL's exists: true if the predicate holds for some tag, else an error if it failed on one, else false. */
    private Outcome anyTag(Condition predicate) {
        Outcome result = Outcome.FALSE;
        for (String each : asset().tags()) {
            tag = each;
            result = or(result, decide(predicate));
        }
        tag = null;
        return result;
    }

    private AssetAttributes asset() {
        if (asset == null) {
            throw new IllegalStateException("an asset term evaluated while folding the request's constants");
        }
        return asset;
    }
}
