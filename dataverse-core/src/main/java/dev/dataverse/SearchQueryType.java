package dev.dataverse;

/**
 * The syntax of the search text (the {@code querytype} search option; Learn: "Dataverse Search query", options parameter and
 * "Lucene query syntax").
 */
public enum SearchQueryType {
    /**
     * Simple syntax: {@code +} and, {@code |} or, {@code -} not, {@code ( )} precedence, trailing {@code *} wildcard, {@code "..."} phrases (the default).
     */
    SIMPLE,

    /**
     * Lucene syntax: adds {@code AND}/{@code OR}/{@code NOT}, fuzzy {@code ~}, boosting {@code ^}, proximity, regular expressions, leading wildcards.
     */
    LUCENE;
}
