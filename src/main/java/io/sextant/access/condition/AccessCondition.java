package io.sextant.access.condition;

import io.sextant.shared.access.SqlPredicate;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * A grant's condition: a Common Expression Language expression that narrows which assets the grant
 * reaches, decided in memory for one asset ({@link #test}) and as a SQL predicate over the {@code
 * asset} table ({@link #toSql}), the two agreeing on every asset. Only a fragment of CEL compiles to
 * SQL; {@link #compile} refuses anything outside it with an {@link InvalidCondition} that names the
 * part, never approximating it.
 *
 * <h2>Variables</h2>
 *
 * {@code subject.id}, {@code subject.kind} (strings), {@code subject.groups} (list of strings);
 * {@code asset.id} (the UUID as lower-case text), {@code asset.externalId}, {@code asset.type},
 * {@code asset.classification} (strings), {@code asset.tags} (list of strings), {@code
 * asset.attributes} (map of string to JSON value); {@code request.time} (timestamp). Subject and
 * request values are constants for one request: in SQL they become bind parameters, and only asset
 * values become columns.
 *
 * <h2>The fragment</h2>
 *
 * <ul>
 *   <li>Literals: {@code true}, {@code false}, {@code null}, integers within ±2^53, doubles, strings
 *       (without U+0000), {@code timestamp('2026-01-01T00:00:00Z')} (RFC 3339, checked when compiled).
 *       Not unsigned integers, bytes, maps or messages.
 *   <li>{@code &&}, {@code ||}, {@code !} and parentheses, with CEL's error absorption (below).
 *   <li>{@code ==}, {@code !=} and the orderings {@code < <= > >=} between an asset value and a
 *       constant (a literal, a subject or request value), or between two constants; never between two
 *       asset values, never on lists, and no ordering of booleans or null. Equality is CEL's
 *       heterogeneous equality: values of different kinds are unequal, {@code 1 == 1.0}. Strings are
 *       ordered by code point (SQL: {@code collate "C"}), numbers by value, timestamps by time.
 *   <li>{@code x in [constants…]}, {@code constant in asset.tags}, {@code x in subject.groups}.
 *   <li>{@code s.startsWith(c)}, {@code s.endsWith(c)}, {@code s.contains(c)} with a constant
 *       argument (SQL: {@code starts_with}, {@code right}, {@code strpos}: no pattern, nothing to
 *       escape).
 *   <li>{@code asset.attributes.key} and {@code asset.attributes['key']} (top-level keys only), in
 *       any comparison above and with the string tests, but not alone as a condition (write {@code
 *       asset.attributes.active == true}: CEL's runtimes disagree on {@code &&} over a non-boolean);
 *       {@code has(asset.attributes.key)}.
 *   <li>{@code asset.tags.exists(t, predicate)} over the fragment, not nested.
 *   <li>On {@code request.time} or a timestamp literal: {@code getFullYear}, {@code getMonth}, {@code
 *       getDayOfYear}, {@code getDayOfMonth}, {@code getDate}, {@code getDayOfWeek}, {@code getHours},
 *       {@code getMinutes}, {@code getSeconds}, with an optional time zone literal ({@code
 *       'Europe/Paris'}, {@code '+01:00'}); CEL's numbering (months from 0, Sunday is 0).
 * </ul>
 *
 * Refused, among others: {@code size}, {@code matches}, arithmetic, {@code ?:}, indexing other than
 * attributes, macros other than {@code has} and {@code exists}, conversions, unknown variables and
 * functions, more than {@value ConditionCompiler#MAX_LENGTH} characters, nesting deeper than
 * {@value ConditionCompiler#MAX_DEPTH}. Types are checked by CEL's checker.
 *
 * <h2>Attributes and errors</h2>
 *
 * A JSON number is read as a double (SQL: {@code float8}), a string as a string, true and false as
 * booleans, JSON null as {@code null}; an array or object equals no constant and orders with
 * nothing. As in CEL, reading a missing key, ordering values of different kinds, or a string test on
 * a non-string is an error. An error is absorbed by {@code ||} with a true side and by {@code &&}
 * with a false side, passes through {@code !}, and when it reaches the top the condition is false.
 * SQL agrees because an error is written as SQL's null, which {@code or}, {@code and}, {@code not}
 * and {@code where} treat the same way; values of the wrong kind are filtered with {@code
 * jsonb_typeof} before any cast, so the SQL never fails on the data.
 *
 * <p>Numbers beyond the range of a double (about 1.8e308), on which SQL's cast would fail, never
 * reach the attributes: the API refuses them in every JSON body ({@code JsonBodyGuard}).
 */
public final class AccessCondition {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final String expression;
    private final Condition condition;

    private AccessCondition(String expression, Condition condition) {
        this.expression = expression;
        this.condition = condition;
    }

    /** Parses and type-checks; throws InvalidCondition (message names the offending part and its column). */
    public static AccessCondition compile(String expression) {
        return new AccessCondition(expression, ConditionCompiler.compile(expression));
    }

    public String expression() {
        return expression;
    }

    /** In memory: true when the condition holds for the asset; an error counts as false. */
    public boolean test(SubjectAttributes subject, AssetAttributes asset, Instant requestTime) {
        return new MemoryEvaluation(subject, requestTime, asset).decide(condition) == MemoryEvaluation.Outcome.TRUE;
    }

    /**
     * The same decision as SQL over the asset table: columns id (uuid), external_id, type (text),
     * tags (text[]), classification (text), attributes (jsonb); every value a named bind parameter
     * whose name starts with paramPrefix; columns referenced through {@code alias.} when alias is
     * non-empty. Both must be SQL identifiers.
     */
    public SqlPredicate toSql(SubjectAttributes subject, Instant requestTime, String alias, String paramPrefix) {
        if (!alias.isEmpty() && !IDENTIFIER.matcher(alias).matches()) {
            throw new IllegalArgumentException("not a SQL identifier: " + alias);
        }
        if (!IDENTIFIER.matcher(paramPrefix).matches()) {
            throw new IllegalArgumentException("not a parameter prefix: " + paramPrefix);
        }
        return new SqlTranslation(subject, requestTime, alias, paramPrefix).translate(condition);
    }

    @Override
    public String toString() {
        return expression;
    }
}
