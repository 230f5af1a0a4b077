package dev.dataverse;

/**
 * Whether a document must match any or all of the search terms (the {@code searchmode} search option; Learn: "Dataverse
 * Search query", options parameter).
 */
public enum SearchMode {
    /** A document matches when it matches any term (the service's default). */
    ANY,

    /** A document matches only when it matches every term. */
    ALL;
}
