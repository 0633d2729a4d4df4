package io.sextant.access.condition;

import io.sextant.access.condition.Condition.AnyTag;
import io.sextant.access.condition.Condition.Comparison;
import io.sextant.access.condition.Condition.Equals;
import io.sextant.access.condition.Condition.Has;
import io.sextant.access.condition.Condition.In;
import io.sextant.access.condition.Condition.Not;
import io.sextant.access.condition.Condition.Or;
import io.sextant.access.condition.Condition.Order;
import io.sextant.access.condition.Condition.Text;
import io.sextant.access.condition.Condition.TextTest;
import io.sextant.access.condition.Condition.Truth;
import io.sextant.access.condition.MemoryEvaluation.Outcome;
import io.sextant.shared.access.SqlPredicate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Writes a condition as a SQL predicate over the {@code asset} table that selects a row exactly when
 * {@link MemoryEvaluation} decides TRUE for it. CEL's error becomes SQL's null, which {@code and},
 * {@code or} and {@code not} treat as CEL's {@code &&}, {@code ||} and {@code !} treat an error, and
 * which {@code where} does not select. Parts that do not read the asset are decided in memory and
 * written as literals; every value is a bind parameter.
 */
final class SqlTranslation {

    private static final String NULL = "cast(null as boolean)";

    private final MemoryEvaluation constants;
    private final String columns;
    private final String prefix;
    private final Map<String, Object> params = new LinkedHashMap<>();
    private int tagLoops;
    private @Nullable String tag;

    SqlTranslation(SubjectAttributes subject, Instant requestTime, String alias, String prefix) {
        this.constants = new MemoryEvaluation(subject, requestTime, null);
        this.columns = alias.isEmpty() ? "" : alias + ".";
        this.prefix = prefix;
    }

    SqlPredicate translate(Condition condition) {
        return new SqlPredicate(sql(condition), params);
    }

    private String sql(Condition condition) {
        if (!condition.readsAsset()) {
            return literal(constants.decide(condition));
        }
        return switch (condition) {
            case Truth t -> literal(Outcome.of(t.value()));
            case Condition.And and -> "(" + sql(and.left()) + " and " + sql(and.right()) + ")";
            case Or or -> "(" + sql(or.left()) + " or " + sql(or.right()) + ")";
            case Not not -> "(not " + sql(not.operand()) + ")";
            case Equals eq -> {
                boolean assetLeft = eq.left().readsAsset();
                Term asset = assetLeft ? eq.left() : eq.right();
                String equal = equal(asset, constant(assetLeft ? eq.right() : eq.left()));
                yield eq.negated() ? "(not " + equal + ")" : equal;
            }
            case Order order -> {
                boolean assetLeft = order.left().readsAsset();
                yield order(
                        assetLeft ? order.left() : order.right(),
                        assetLeft ? order.comparison() : order.comparison().flipped(),
                        constant(assetLeft ? order.right() : order.left()));
            }
            case In in -> in(in.element(), in.list());
            case Has has -> "(" + attribute(has.key()) + " is not null)";
            case Text text -> text(text.test(), text.receiver(), constant(text.argument()));
            case AnyTag any -> anyTag(any.predicate());
        };
    }

    /** {@code asset == value}, one side an asset term, the other a request constant. */
    private String equal(Term asset, Object value) {
        if (value == Values.ERROR) {
            return NULL;
        }
        if (asset instanceof Term.Attribute attribute) {
            String json = attribute(attribute.key());
            String test = switch (value) {
                case String s ->
                    "when jsonb_typeof(%s) = 'string' then (%s #>> '{}') = %s".formatted(json, json, param(s));
                case Number n ->
                    "when jsonb_typeof(%s) = 'number' then cast(%s as float8) = %s"
                            .formatted(json, json, param(n.doubleValue()));
                case Boolean b ->
                    "when jsonb_typeof(%s) = 'boolean' then cast(%s as boolean) = %s".formatted(json, json, param(b));
                default -> value == Values.NULL ? "when jsonb_typeof(%s) = 'null' then true".formatted(json) : "";
            };
            // A missing key is CEL's error; present, a value of another kind is simply unequal. The
            // case keeps the casts from running on a value of another kind.
            return "(case when %s is null then null %s else false end)".formatted(json, test);
        }
        return value instanceof String s ? "(%s = %s)".formatted(text(asset), param(s)) : "false";
    }

    private String order(Term asset, Comparison comparison, Object value) {
        if (asset instanceof Term.Attribute attribute) {
            String json = attribute(attribute.key());
            return switch (value) {
                case String s ->
                    "(case jsonb_typeof(%s) when 'string' then (%s #>> '{}') collate \"C\" %s %s end)"
                            .formatted(json, json, comparison.sql, param(s));
                case Number n ->
                    "(case jsonb_typeof(%s) when 'number' then cast(%s as float8) %s %s end)"
                            .formatted(json, json, comparison.sql, param(n.doubleValue()));
                default -> NULL;
            };
        }
        return value instanceof String s
                ? "(%s collate \"C\" %s %s)".formatted(text(asset), comparison.sql, param(s))
                : NULL;
    }

    private String in(Term element, Term list) {
        if (list instanceof Term.Tags) {
            Object value = constant(element);
            if (value == Values.ERROR) {
                return NULL;
            }
            return value instanceof String s ? "(%s = any(%stags))".formatted(param(s), columns) : "false";
        }
        if (!(constant(list) instanceof List<?> values)) {
            return NULL;
        }
        if (element instanceof Term.Attribute) {
            if (values.isEmpty()) {
                return equal(element, Values.STRUCTURED);
            }
            List<String> any = new ArrayList<>();
            for (Object value : values) {
                any.add(equal(element, value));
            }
            return "(" + String.join(" or ", any) + ")";
        }
        List<String> strings = new ArrayList<>();
        for (Object value : values) {
            if (value instanceof String s) {
                strings.add(param(s));
            }
        }
        return strings.isEmpty() ? "false" : "(%s in (%s))".formatted(text(element), String.join(", ", strings));
    }

    private String text(TextTest test, Term receiver, Object argument) {
        if (!(argument instanceof String s)) {
            return NULL;
        }
        String p = param(s);
        if (receiver instanceof Term.Attribute attribute) {
            String json = attribute(attribute.key());
            return "(case jsonb_typeof(%s) when 'string' then %s end)"
                    .formatted(json, textTest(test, "(" + json + " #>> '{}')", p));
        }
        return "(" + textTest(test, text(receiver), p) + ")";
    }

    private static String textTest(TextTest test, String text, String p) {
        return switch (test) {
            case STARTS_WITH -> "starts_with(%s, %s)".formatted(text, p);
            case ENDS_WITH -> "right(%s, char_length(%s)) = %s".formatted(text, p, p);
            case CONTAINS -> "strpos(%s, %s) > 0".formatted(text, p);
        };
    }

    /** CEL's exists: true if the predicate holds for a tag, else null if it is null for one, else false. */
    private String anyTag(Condition predicate) {
        String loop = prefix + "tag" + tagLoops++;
        tag = loop + ".tag";
        String holds = sql(predicate);
        tag = null;
        String tags = "select 1 from unnest(%stags) as %s(tag) where ".formatted(columns, loop);
        return "(case when exists (%s%s) then true when exists (%s(%s) is null) then null else false end)"
                .formatted(tags, holds, tags, holds);
    }

    /** A string-valued asset term as SQL text. */
    private String text(Term asset) {
        return switch (asset) {
            case Term.Column column ->
                column == Term.Column.ID ? "cast(%sid as text)".formatted(columns) : columns + column.column;
            case Term.Tag t -> {
                if (tag == null) {
                    throw new IllegalStateException("a tag outside asset.tags.exists");
                }
                yield tag;
            }
            default -> throw new IllegalStateException("not a string asset term: " + asset);
        };
    }

    private String attribute(String key) {
        return "(%sattributes -> cast(%s as text))".formatted(columns, param(key));
    }

    private Object constant(Term term) {
        if (term.readsAsset()) {
            throw new IllegalStateException("compiled with an asset term on both sides: " + term);
        }
        return constants.value(term);
    }

    private String param(Object value) {
        String name = prefix + params.size();
        params.put(name, value);
        return ":" + name;
    }

    private static String literal(Outcome outcome) {
        return switch (outcome) {
            case TRUE -> "true";
            case FALSE -> "false";
            case ERROR -> NULL;
        };
    }
}
