package io.sextant.access.condition;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.parser.CelUnparserFactory;
import io.sextant.access.condition.Condition.Comparison;
import io.sextant.access.condition.Condition.TextTest;
import io.sextant.access.condition.Term.Column;
import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Turns a CEL expression into a {@link Condition}: CEL parses it, this class walks the parsed tree
 * and refuses every part outside the fragment (naming the part and its column), then CEL's checker
 * refuses what is not well typed. See {@link AccessCondition} for the fragment.
 */
final class ConditionCompiler {

    static final int MAX_LENGTH = 1_000;
    static final int MAX_DEPTH = 32;

    /** Integers beyond 2^53 would not compare exactly with attributes, which are read as doubles. */
    static final long MAX_INTEGER = 1L << 53;

    private static final CelCompiler CEL = CelCompilerFactory.standardCelCompilerBuilder()
            .setOptions(CelOptions.current()
                    .populateMacroCalls(true)
                    .enableHeterogeneousNumericComparisons(true)
                    .build())
            .setStandardMacros(CelStandardMacro.HAS, CelStandardMacro.EXISTS)
            .addVar("subject.id", SimpleType.STRING)
            .addVar("subject.kind", SimpleType.STRING)
            .addVar("subject.groups", ListType.create(SimpleType.STRING))
            .addVar("asset.id", SimpleType.STRING)
            .addVar("asset.externalId", SimpleType.STRING)
            .addVar("asset.type", SimpleType.STRING)
            .addVar("asset.tags", ListType.create(SimpleType.STRING))
            .addVar("asset.classification", SimpleType.STRING)
            .addVar("asset.attributes", MapType.create(SimpleType.STRING, SimpleType.DYN))
            .addVar("request.time", SimpleType.TIMESTAMP)
            .setResultType(SimpleType.BOOL)
            .build();

    private static final String VARIABLES = "subject.id, subject.kind, subject.groups, asset.id, asset.externalId,"
            + " asset.type, asset.tags, asset.classification, asset.attributes, request.time";

    private static final Map<String, Term> VARIABLE_TERMS = Map.of(
            "subject.id", Term.Subject.ID,
            "subject.kind", Term.Subject.KIND,
            "subject.groups", Term.Subject.GROUPS,
            "asset.id", Column.ID,
            "asset.externalId", Column.EXTERNAL_ID,
            "asset.type", Column.TYPE,
            "asset.classification", Column.CLASSIFICATION,
            "asset.tags", new Term.Tags(),
            "request.time", new Term.RequestTime());

    private static final Map<String, Comparison> ORDERINGS = Map.of(
            "_<_", Comparison.LESS,
            "_<=_", Comparison.LESS_OR_EQUAL,
            "_>_", Comparison.GREATER,
            "_>=_", Comparison.GREATER_OR_EQUAL);

    private static final Map<String, TextTest> TEXT_TESTS =
            Map.of("startsWith", TextTest.STARTS_WITH, "endsWith", TextTest.ENDS_WITH, "contains", TextTest.CONTAINS);

    private static final Map<String, String> OPERATORS = Map.ofEntries(
            Map.entry("_+_", "arithmetic (+)"),
            Map.entry("_-_", "arithmetic (-)"),
            Map.entry("_*_", "arithmetic (*)"),
            Map.entry("_/_", "arithmetic (/)"),
            Map.entry("_%_", "arithmetic (%)"),
            Map.entry("-_", "arithmetic negation"),
            Map.entry("_?_:_", "the conditional operator ?:"));

    private final int[] codePoints;
    private final CelAbstractSyntaxTree parsed;
    private @Nullable String iterationVariable;

    private ConditionCompiler(String expression, CelAbstractSyntaxTree parsed) {
        this.codePoints = expression.codePoints().toArray();
        this.parsed = parsed;
    }

    static Condition compile(String expression) {
        if (expression.isBlank()) {
            throw new InvalidCondition(1, "the condition is empty");
        }
        if (expression.length() > MAX_LENGTH) {
            throw new InvalidCondition(
                    MAX_LENGTH + 1,
                    "the condition is %,d characters long; at most %,d are allowed"
                            .formatted(expression.length(), MAX_LENGTH));
        }
        CelAbstractSyntaxTree parsed = parse(expression);
        ConditionCompiler compiler = new ConditionCompiler(expression, parsed);
        Condition condition = compiler.condition(parsed.getExpr(), 1);
        compiler.typeCheck();
        return condition;
    }

    private static CelAbstractSyntaxTree parse(String expression) {
        try {
            return CEL.parse(expression).getAst();
        } catch (CelValidationException e) {
            CelIssue issue = e.getErrors().getFirst();
            int column = issue.getSourceLocation().getColumn() + 1;
            throw new InvalidCondition(column, "column %d: syntax error: %s".formatted(column, issue.getMessage()));
        }
    }

    private void typeCheck() {
        try {
            CEL.check(parsed).getAst();
        } catch (CelValidationException e) {
            CelIssue issue = e.getErrors().getFirst();
            Optional<CelExpr> node = find(parsed.getExpr(), issue.getExprId());
            if (node.isPresent()) {
                throw refuse(node.get(), issue.getMessage());
            }
            int column = issue.getSourceLocation().getColumn() + 1;
            throw new InvalidCondition(column, "column %d: %s".formatted(column, issue.getMessage()));
        }
    }

    // ---- conditions

    private Condition condition(CelExpr e, int depth) {
        if (depth > MAX_DEPTH) {
            throw refuse(e, "the condition nests deeper than %d levels".formatted(MAX_DEPTH));
        }
        return switch (e.getKind()) {
            case CONSTANT -> {
                if (e.constant().getKind() == CelConstant.Kind.BOOLEAN_VALUE) {
                    yield new Condition.Truth(e.constant().booleanValue());
                }
                throw refuse(e, "a literal other than true or false is not a condition");
            }
            case SELECT -> {
                if (e.select().testOnly()) {
                    yield has(e);
                }
                yield notACondition(e);
            }
            case IDENT -> notACondition(e);
            case CALL -> call(e, depth);
            case COMPREHENSION -> anyTag(e, depth);
            default -> throw refuse(e, "a list, map or message is not a condition");
        };
    }

    /**
     * A value where a condition belongs. An attribute is not accepted as a condition by itself: CEL's
     * runtimes disagree on {@code &&} and {@code ||} over a value that is not a boolean.
     */
    private Condition notACondition(CelExpr e) {
        throw refuse(e, "a value is not a condition; compare it, as in asset.attributes.active == true");
    }

    private Condition has(CelExpr e) {
        CelExpr operand = e.select().operand();
        if (!"asset.attributes".equals(qualifiedName(operand))) {
            throw refuse(e, "has() is supported only as has(asset.attributes.key)");
        }
        return new Condition.Has(e.select().field());
    }

    private Condition call(CelExpr e, int depth) {
        CelExpr.CelCall call = e.call();
        String function = call.function();
        List<CelExpr> args = call.args();
        switch (function) {
            case "_&&_" -> {
                return new Condition.And(condition(args.get(0), depth + 1), condition(args.get(1), depth + 1));
            }
            case "_||_" -> {
                return new Condition.Or(condition(args.get(0), depth + 1), condition(args.get(1), depth + 1));
            }
            case "!_" -> {
                return new Condition.Not(condition(args.get(0), depth + 1));
            }
            case "_==_", "_!=_" -> {
                Term left = comparable(args.get(0), depth);
                Term right = comparable(args.get(1), depth);
                oneSideConstant(e, left, right);
                return new Condition.Equals(left, right, function.equals("_!=_"));
            }
            case "@in" -> {
                return in(e, args.get(0), args.get(1), depth);
            }
            case "_[_]" -> {
                return notACondition(e);
            }
            default -> {
                // An ordering or a string test; anything else falls through to the refusals below.
            }
        }
        Comparison comparison = ORDERINGS.get(function);
        if (comparison != null) {
            Term left = comparable(args.get(0), depth);
            Term right = comparable(args.get(1), depth);
            oneSideConstant(e, left, right);
            for (Term side : List.of(left, right)) {
                if (side instanceof Term.Literal(Object value) && (value instanceof Boolean || value == Values.NULL)) {
                    throw refuse(e, "ordering booleans or null is not supported in access conditions");
                }
            }
            return new Condition.Order(left, comparison, right);
        }
        TextTest test = TEXT_TESTS.get(function);
        if (test != null && call.target().isPresent() && args.size() == 1) {
            Term receiver = comparable(call.target().get(), depth);
            Term argument = comparable(args.getFirst(), depth);
            if (argument.readsAsset()) {
                throw refuse(
                        args.getFirst(),
                        "the argument of %s must be a literal or a subject or request value".formatted(function));
            }
            return new Condition.Text(test, receiver, argument);
        }
        throw unsupported(e);
    }

    private Condition in(CelExpr e, CelExpr elementExpr, CelExpr listExpr, int depth) {
        Term element = comparable(elementExpr, depth);
        Term list = term(listExpr, depth + 1);
        switch (list) {
            case Term.ListLiteral literal -> {
                for (int i = 0; i < literal.elements().size(); i++) {
                    Term each = literal.elements().get(i);
                    if (each.readsAsset() || isList(each)) {
                        throw refuse(
                                listExpr.list().elements().get(i),
                                "a list after in may hold only literals and subject or request values");
                    }
                }
            }
            case Term.Tags tags -> {
                if (element.readsAsset()) {
                    throw refuse(
                            e, "compares two asset values; one side must be a literal or a subject or request value");
                }
            }
            case Term.Subject field when field == Term.Subject.GROUPS -> {
                // A constant list for the request: any element goes.
            }
            default -> throw refuse(listExpr, "in is supported only over a list literal, asset.tags or subject.groups");
        }
        return new Condition.In(element, list);
    }

    private Condition anyTag(CelExpr e, int depth) {
        CelExpr.CelComprehension loop = e.comprehension();
        CelExpr step = loop.loopStep();
        boolean exists = loop.accuInit().getKind() == CelExpr.ExprKind.Kind.CONSTANT
                && loop.accuInit().constant().getKind() == CelConstant.Kind.BOOLEAN_VALUE
                && !loop.accuInit().constant().booleanValue()
                && step.getKind() == CelExpr.ExprKind.Kind.CALL
                && step.call().function().equals("_||_");
        if (!exists) {
            throw refuse(e, "of the macros only has() and exists() are supported in access conditions");
        }
        if (!"asset.tags".equals(qualifiedName(loop.iterRange()))) {
            throw refuse(e, "exists() is supported only over asset.tags");
        }
        if (iterationVariable != null) {
            throw refuse(e, "exists() inside exists() is not supported in access conditions");
        }
        iterationVariable = loop.iterVar();
        try {
            return new Condition.AnyTag(condition(step.call().args().get(1), depth + 1));
        } finally {
            iterationVariable = null;
        }
    }

    /** Both sides of a comparison: one may read the asset, the other is a constant for the request. */
    private void oneSideConstant(CelExpr e, Term left, Term right) {
        if (left.readsAsset() && right.readsAsset()) {
            throw refuse(e, "compares two asset values; one side must be a literal or a subject or request value");
        }
    }

    // ---- terms

    /** A term that can be compared: a scalar, not a list. */
    private Term comparable(CelExpr e, int depth) {
        Term term = term(e, depth + 1);
        if (isList(term)) {
            throw refuse(e, "a list can only follow in (as in 'x' in asset.tags)");
        }
        return term;
    }

    private static boolean isList(Term term) {
        return term instanceof Term.Tags || term instanceof Term.ListLiteral || term == Term.Subject.GROUPS;
    }

    private Term term(CelExpr e, int depth) {
        if (depth > MAX_DEPTH) {
            throw refuse(e, "the condition nests deeper than %d levels".formatted(MAX_DEPTH));
        }
        return switch (e.getKind()) {
            case CONSTANT -> literal(e);
            case IDENT, SELECT -> variable(e);
            case CALL -> termCall(e, depth);
            case LIST -> {
                List<Term> elements = new ArrayList<>();
                for (CelExpr element : e.list().elements()) {
                    elements.add(term(element, depth + 1));
                }
                yield new Term.ListLiteral(List.copyOf(elements));
            }
            default ->
                throw refuse(
                        e,
                        "maps, messages and macros other than has() and exists() are not supported"
                                + " in access conditions");
        };
    }

    private Term literal(CelExpr e) {
        CelConstant constant = e.constant();
        return switch (constant.getKind()) {
            case BOOLEAN_VALUE -> new Term.Literal(constant.booleanValue());
            case NULL_VALUE -> new Term.Literal(Values.NULL);
            case INT64_VALUE -> {
                long value = constant.int64Value();
                if (value > MAX_INTEGER || value < -MAX_INTEGER) {
                    throw refuse(e, "integers in access conditions must lie within ±2^53 (9007199254740992)");
                }
                yield new Term.Literal(value);
            }
            case DOUBLE_VALUE -> {
                double value = constant.doubleValue();
                if (!Double.isFinite(value)) {
                    throw refuse(e, "the number is out of range");
                }
                yield new Term.Literal(value);
            }
            case STRING_VALUE -> {
                String value = constant.stringValue();
                if (value.indexOf('\0') >= 0) {
                    throw refuse(e, "strings in access conditions cannot hold the character U+0000");
                }
                yield new Term.Literal(value);
            }
            default -> throw refuse(e, "unsigned integers and bytes are not supported in access conditions");
        };
    }

    private Term variable(CelExpr e) {
        if (e.getKind() == CelExpr.ExprKind.Kind.SELECT && e.select().testOnly()) {
            throw refuse(e, "has() is a condition, not a value");
        }
        String name = qualifiedName(e);
        if (name == null) {
            throw refuse(e, "only asset.attributes has fields (asset.attributes.key)");
        }
        if (name.equals(iterationVariable)) {
            return new Term.Tag();
        }
        Term term = VARIABLE_TERMS.get(name);
        if (term != null) {
            return term;
        }
        if (name.startsWith("asset.attributes.")) {
            String key = name.substring("asset.attributes.".length());
            if (key.contains(".")) {
                throw refuse(e, "only top-level attributes can be read (asset.attributes.key)");
            }
            return new Term.Attribute(key);
        }
        if (name.equals("asset.attributes")) {
            throw refuse(e, "asset.attributes can only be read one key at a time (asset.attributes.key)");
        }
        if (iterationVariable != null && name.startsWith(iterationVariable + ".")) {
            throw refuse(e, "a tag has no fields");
        }
        for (String known : VARIABLE_TERMS.keySet()) {
            if (name.startsWith(known + ".")) {
                throw refuse(e, "%s has no fields".formatted(known));
            }
        }
        throw refuse(e, "unknown variable %s; the variables are %s".formatted(name, VARIABLES));
    }

    private Term termCall(CelExpr e, int depth) {
        CelExpr.CelCall call = e.call();
        String function = call.function();
        List<CelExpr> args = call.args();
        if (function.equals("_[_]") && call.target().isEmpty()) {
            if (!"asset.attributes".equals(qualifiedName(args.get(0)))) {
                throw refuse(e, "indexing is supported only as asset.attributes['key']");
            }
            CelExpr key = args.get(1);
            if (key.getKind() != CelExpr.ExprKind.Kind.CONSTANT
                    || key.constant().getKind() != CelConstant.Kind.STRING_VALUE) {
                throw refuse(key, "the key of asset.attributes[…] must be a string literal");
            }
            return new Term.Attribute(key.constant().stringValue());
        }
        if (function.equals("timestamp") && call.target().isEmpty() && args.size() == 1) {
            String text = stringLiteral(args.getFirst(), "timestamp() takes a string literal");
            try {
                return new Term.Literal(OffsetDateTime.parse(text).toInstant());
            } catch (DateTimeParseException ex) {
                throw refuse(args.getFirst(), "not an RFC 3339 timestamp (like 2026-01-01T00:00:00Z)");
            }
        }
        Optional<Term.TimeField> field = Arrays.stream(Term.TimeField.values())
                .filter(f -> f.function.equals(function))
                .findFirst();
        if (field.isPresent() && call.target().isPresent() && args.size() <= 1) {
            Term time = term(call.target().get(), depth + 1);
            if (time.readsAsset()) {
                throw refuse(e, "%s is supported only on request.time or a timestamp literal".formatted(function));
            }
            ZoneId zone = null;
            if (args.size() == 1) {
                String name = stringLiteral(args.getFirst(), "the time zone must be a string literal");
                try {
                    zone = ZoneId.of(name);
                } catch (DateTimeException ex) {
                    throw refuse(args.getFirst(), "unknown time zone %s".formatted(name));
                }
            }
            return new Term.TimePart(field.get(), time, zone);
        }
        if (ORDERINGS.containsKey(function)
                || TEXT_TESTS.containsKey(function)
                || List.of("_&&_", "_||_", "!_", "_==_", "_!=_", "@in").contains(function)) {
            throw refuse(e, "a condition cannot be used as a value; combine conditions with &&, || and !");
        }
        throw unsupported(e);
    }

    private String stringLiteral(CelExpr e, String otherwise) {
        if (e.getKind() == CelExpr.ExprKind.Kind.CONSTANT && e.constant().getKind() == CelConstant.Kind.STRING_VALUE) {
            return e.constant().stringValue();
        }
        throw refuse(e, otherwise);
    }

    private InvalidCondition unsupported(CelExpr e) {
        String function = e.call().function();
        String operator = OPERATORS.get(function);
        if (operator != null) {
            return refuse(e, "%s is not supported in access conditions".formatted(operator));
        }
        if (function.startsWith("_") || function.startsWith("@") || function.startsWith("!")) {
            return refuse(e, "the operator %s is not supported in access conditions".formatted(function));
        }
        return refuse(e, "function %s is not supported in access conditions".formatted(function));
    }

    /** {@code a.b.c} for a chain of field selections on an identifier, else null. */
    private static @Nullable String qualifiedName(CelExpr e) {
        return switch (e.getKind()) {
            case IDENT -> e.ident().name();
            case SELECT -> {
                if (e.select().testOnly()) {
                    yield null;
                }
                String operand = qualifiedName(e.select().operand());
                yield operand == null ? null : operand + "." + e.select().field();
            }
            default -> null;
        };
    }

    // ---- naming the offending part

    private InvalidCondition refuse(CelExpr e, String reason) {
        int offset = start(e);
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < offset && i < codePoints.length; i++) {
            if (codePoints[i] == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        int column = offset - lineStart + 1;
        String where = line == 1 ? "column %d".formatted(column) : "line %d, column %d".formatted(line, column);
        return new InvalidCondition(column, "`%s` at %s: %s".formatted(text(e), where, reason));
    }

    /**
     * Where a part starts: its leftmost node, moved back over a function name or {@code has} when
     * that node is the opening parenthesis of a call (CEL places calls there).
     */
    private int start(CelExpr e) {
        int offset = leftmost(e);
        if (offset < 0) {
            return 0;
        }
        if (offset < codePoints.length && codePoints[offset] == '(') {
            int i = offset;
            while (i > 0 && Character.isWhitespace(codePoints[i - 1])) {
                i--;
            }
            int nameEnd = i;
            while (i > 0 && (Character.isLetterOrDigit(codePoints[i - 1]) || codePoints[i - 1] == '_')) {
                i--;
            }
            if (i < nameEnd) {
                return i;
            }
        }
        return offset;
    }

    private int leftmost(CelExpr e) {
        Integer own = parsed.getSource().getPositionsMap().get(e.id());
        int best = own == null ? -1 : own;
        for (CelExpr child : children(e)) {
            int offset = leftmost(child);
            if (offset >= 0 && (best < 0 || offset < best)) {
                best = offset;
            }
        }
        return best;
    }

    private String text(CelExpr e) {
        try {
            return CelUnparserFactory.newUnparser().unparse(CelAbstractSyntaxTree.newParsedAst(e, parsed.getSource()));
        } catch (RuntimeException unparsable) {
            int from = Math.min(start(e), codePoints.length);
            return new String(codePoints, from, Math.min(codePoints.length - from, 40));
        }
    }

    private static Optional<CelExpr> find(CelExpr e, long id) {
        if (e.id() == id) {
            return Optional.of(e);
        }
        for (CelExpr child : children(e)) {
            Optional<CelExpr> found = find(child, id);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private static List<CelExpr> children(CelExpr e) {
        List<CelExpr> children = new ArrayList<>();
        switch (e.getKind()) {
            case SELECT -> children.add(e.select().operand());
            case CALL -> {
                e.call().target().ifPresent(children::add);
                children.addAll(e.call().args());
            }
            case LIST -> children.addAll(e.list().elements());
            case MAP ->
                e.map().entries().forEach(entry -> {
                    children.add(entry.key());
                    children.add(entry.value());
                });
            case STRUCT -> e.struct().entries().forEach(entry -> children.add(entry.value()));
            case COMPREHENSION -> {
                CelExpr.CelComprehension loop = e.comprehension();
                children.addAll(List.of(
                        loop.iterRange(), loop.accuInit(), loop.loopCondition(), loop.loopStep(), loop.result()));
            }
            default -> {
                // Constants and identifiers have no children.
            }
        }
        return children;
    }
}
