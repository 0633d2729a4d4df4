package io.sextant.shared.access;

/**
 * A grant's condition over an asset, bound to one subject and request: decided in memory for one
 * asset and compiled to SQL over the {@code asset} table, the two agreeing exactly.
 */
public interface AssetCondition {

    boolean test(AssetFacts asset);

    /**
     * The same decision over the {@code asset} table's columns ({@code id}, {@code external_id},
     * {@code type}, {@code tags}, {@code classification}, {@code attributes}).
     *
     * @param alias the table's alias, or empty for none
     * @param paramPrefix the prefix of every bind parameter's name
     */
    SqlPredicate toSql(String alias, String paramPrefix);

    /** The expression, for explanations. */
    String describe();
}
