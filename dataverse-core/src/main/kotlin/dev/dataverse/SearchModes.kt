package dev.dataverse

/**
 * Whether a document must match any or all of the search terms (the `searchmode` search option; Learn: "Dataverse
 * Search query", options parameter).
 */
public enum class SearchMode {
    /** A document matches when it matches any term (the service's default). */
    ANY,

    /** A document matches only when it matches every term. */
    ALL,
}

/**
 * The syntax of the search text (the `querytype` search option; Learn: "Dataverse Search query", options parameter and
 * "Lucene query syntax").
 */
public enum class SearchQueryType {
    /** Simple syntax: `+` and, `|` or, `-` not, `( )` precedence, trailing `*` wildcard, `"..."` phrases (the default). */
    SIMPLE,

    /** Lucene syntax: adds `AND`/`OR`/`NOT`, fuzzy `~`, boosting `^`, proximity, regular expressions, leading wildcards. */
    LUCENE,
}
