package dev.dataverse;

/** Whether a {@link SearchFacet} counts one value or a range (Learn: FacetResult {@code type}). */
public enum SearchFacetType {
    /** The facet counts the documents with one {@link SearchFacet#value}. */
    VALUE,

    /** The facet counts the documents in {@link SearchFacet#from} (inclusive) to {@link SearchFacet#to} (exclusive). */
    RANGE;
}
