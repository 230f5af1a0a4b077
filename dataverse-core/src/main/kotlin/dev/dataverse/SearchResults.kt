package dev.dataverse

import java.util.UUID

/**
 * The answer to a [SearchQuery] (Learn: "Dataverse Search query", Response): one page of [results], the [facets]
 * asked for, the total count when asked for, and the service's [queryContext] when it sends one.
 *
 * The answer was checked whole when it arrived; its results and facet buckets are decoded from its bytes as they are
 * read, so holding an answer holds its bytes, not a tree of it. They are values: equal when they hold the same data.
 */
public class SearchResults private constructor(
    /** The matching records of this page, best first unless [SearchQuery.orderBy] said otherwise. */
    public val results: List<SearchResult>,
    /** Facet values by facet field (`entityname`, `account:primarycontactid`), in the order the service sent them. */
    public val facets: Map<String, List<SearchFacet>>,
    /**
     * The number of matches ignoring top and skip, when [SearchQuery.count] asked for it; `null` otherwise (the service
     * then sends -1).
     */
    public val totalCount: Long?,
    /** How the service interpreted the search text, when it says; Learn notes it is reserved and usually `null`. */
    public val queryContext: SearchQueryContext?,
) {
    override fun toString(): String = "SearchResults(results=${results.size}, facets=${facets.keys}, totalCount=$totalCount)"

    internal companion object {
        @JvmSynthetic
        operator fun invoke(
            results: List<SearchResult>,
            facets: Map<String, List<SearchFacet>>,
            totalCount: Long?,
            queryContext: SearchQueryContext?,
        ): SearchResults = SearchResults(results, facets, totalCount, queryContext)
    }
}

/** One record found by a search (Learn: "Dataverse Search query", QueryResult). */
public class SearchResult private constructor(
    /** The record's id. */
    public val id: UUID,
    /** The logical name of the record's table, e.g. `account`. */
    public val entityName: String,
    /** The object type code the service reports for the result (the attribute `@search.objecttypecode` carries the table's). */
    public val objectTypeCode: Int,
    /**
     * The selected columns ([SearchEntity.selectColumns], else the primary name) by logical name, as JSON values mapped
     * to Java ones (String, Long, BigDecimal, Boolean, List, Map, null), with the service's annotations such as
     * `@search.objecttypecode` and `createdon@OData.Community.Display.V1.FormattedValue`.
     */
    public val attributes: Map<String, Any?>,
    /**
     * The matched fragments by column: the column's text with each matching term between [HIGHLIGHT_START] and
     * [HIGHLIGHT_END], e.g. `{crmhit}Contoso{/crmhit} Pharmaceuticals`.
     */
    public val highlights: Map<String, List<String>>,
    /** The relevance score; higher is better. Only comparable within one answer. */
    public val score: Double,
) {
    /** Results are values: two are equal when they hold the same data (results are decoded from the answer when read). */
    override fun equals(other: Any?): Boolean = other is SearchResult && other.id == id && other.entityName == entityName &&
        other.objectTypeCode == objectTypeCode && other.attributes == attributes && other.highlights == highlights && other.score == score

    override fun hashCode(): Int = id.hashCode()

    override fun toString(): String = "SearchResult($entityName $id, score=$score)"

    public companion object {
        /** The marker before a matching term in [highlights] and [SearchSuggestion.text]. */
        public const val HIGHLIGHT_START: String = "{crmhit}"

        /** The marker after a matching term. */
        public const val HIGHLIGHT_END: String = "{/crmhit}"

        /** [text] without the highlight markers, for display as plain text. */
        @JvmStatic
        public fun stripHighlights(text: String): String = text.replace(HIGHLIGHT_START, "").replace(HIGHLIGHT_END, "")

        @JvmSynthetic
        internal operator fun invoke(
            id: UUID,
            entityName: String,
            objectTypeCode: Int,
            attributes: Map<String, Any?>,
            highlights: Map<String, List<String>>,
            score: Double,
        ): SearchResult = SearchResult(id, entityName, objectTypeCode, attributes, highlights, score)
    }
}

/** One bucket of a facet (Learn: "Dataverse Search query", FacetResult). Values are JSON values mapped to Java ones. */
public class SearchFacet private constructor(
    /** Whether this bucket is one value or a range. */
    public val type: SearchFacetType,
    /** The number of matching documents in this bucket, when the service says. */
    public val count: Long?,
    /** The bucket's value, or the inclusive lower bound of an interval facet. */
    public val value: Any?,
    /** The inclusive lower bound of a range, `null` for none. */
    public val from: Any?,
    /** The exclusive upper bound of a range, `null` for none. */
    public val to: Any?,
    /** A second value the service adds for lookups (the referenced record's name). */
    public val optionalValue: Any?,
) {
    /** Facets are values: two are equal when they hold the same data. */
    override fun equals(other: Any?): Boolean = other is SearchFacet && other.type == type && other.count == count &&
        other.value == value && other.from == from && other.to == to && other.optionalValue == optionalValue

    override fun hashCode(): Int = listOf(type, count, value, from, to).hashCode()

    override fun toString(): String = "SearchFacet($type, value=$value, from=$from, to=$to, count=$count)"

    internal companion object {
        @JvmSynthetic
        operator fun invoke(type: SearchFacetType, count: Long?, value: Any?, from: Any?, to: Any?, optionalValue: Any?): SearchFacet =
            SearchFacet(type, count, value, from, to, optionalValue)
    }
}

/** How the service interpreted the search text (Learn: "Dataverse Search query", QueryContext). */
public class SearchQueryContext private constructor(
    /** The search text as sent. */
    public val originalQuery: String?,
    /** The text the service searched for instead, e.g. after correcting spelling. */
    public val alteredQuery: String?,
    /** Why the service altered the text. */
    public val reasons: List<String>,
    /** Words the service thinks were meant, when it altered the text for spelling. */
    public val spellSuggestions: List<String>,
) {
    override fun toString(): String = "SearchQueryContext(originalQuery=$originalQuery, alteredQuery=$alteredQuery)"

    internal companion object {
        @JvmSynthetic
        operator fun invoke(originalQuery: String?, alteredQuery: String?, reasons: List<String>, spellSuggestions: List<String>): SearchQueryContext =
            SearchQueryContext(originalQuery, alteredQuery, reasons, spellSuggestions)
    }
}

/** One suggestion for a [SearchSuggestQuery] (Learn: "Dataverse Search suggest", SuggestResult). */
public class SearchSuggestion private constructor(
    /** The suggested text, with the matching part between [SearchResult.HIGHLIGHT_START] and [SearchResult.HIGHLIGHT_END]. */
    public val text: String,
    /**
     * The suggested record: `@search.objectid`, `@search.entityname`, `@search.objecttypecode` and its primary name or
     * selected columns, as JSON values mapped to Java ones.
     */
    public val document: Map<String, Any?>,
) {
    /** The suggested record's id (`@search.objectid`), when the document carries a valid one. */
    public val id: UUID? get() = (document["@search.objectid"] as? String)?.let { runCatching { UUID.fromString(it) }.getOrNull() }

    /** The suggested record's table (`@search.entityname`), when the document carries it. */
    public val entityName: String? get() = document["@search.entityname"] as? String

    /** Suggestions are values: two are equal when they hold the same data. */
    override fun equals(other: Any?): Boolean = other is SearchSuggestion && other.text == text && other.document == document

    override fun hashCode(): Int = text.hashCode()

    override fun toString(): String = "SearchSuggestion(text=$text, entityName=$entityName, id=$id)"

    internal companion object {
        @JvmSynthetic
        operator fun invoke(text: String, document: Map<String, Any?>): SearchSuggestion = SearchSuggestion(text, document)
    }
}
