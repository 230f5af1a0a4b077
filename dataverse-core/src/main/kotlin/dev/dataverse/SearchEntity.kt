package dev.dataverse

import dev.dataverse.internal.protocol.SearchRequests

/**
 * One table a Dataverse search covers, with the columns to return and to search and a filter of its own (Learn:
 * "Dataverse Search query", SearchEntity type). Without any [SearchEntity], a search covers every table enabled for
 * search.
 *
 * Kotlin: `SearchEntity("account", selectColumns = listOf("name", "createdon"), searchColumns = listOf("name"), filter = "statecode eq 0")`.
 * Java: `SearchEntity.builder("account").selectColumns("name", "createdon").searchColumns("name").filter("statecode eq 0").build()`.
 */
public class SearchEntity @JvmOverloads constructor(
    /** The table's logical name, e.g. `account`. */
    name: String,
    selectColumns: List<String> = emptyList(),
    searchColumns: List<String> = emptyList(),
    /**
     * A filter on this table's records in the search filter syntax (`statecode eq 0`, `revenue gt 1000 and
     * name eq 'x'`); sent as written. Default `null`: no filter.
     */
    public val filter: String? = null,
) {
    /** The table's logical name, lower-cased. */
    public val name: String = SearchRequests.requireTable(name)

    /** Columns each result returns in [SearchResult.attributes]. Empty (the default): only the table's primary name. */
    public val selectColumns: List<String> = SearchRequests.columns(selectColumns, "selectColumns")

    /** Columns the search text is matched against. Empty (the default): only the table's primary name. */
    public val searchColumns: List<String> = SearchRequests.columns(searchColumns, "searchColumns")

    init {
        SearchRequests.requireFilter(filter, "filter of search entity '${this.name}'")
    }

    override fun equals(other: Any?): Boolean = other is SearchEntity && other.name == name &&
        other.selectColumns == selectColumns && other.searchColumns == searchColumns && other.filter == filter

    override fun hashCode(): Int = listOf(name, selectColumns, searchColumns, filter).hashCode()

    override fun toString(): String =
        "SearchEntity(name=$name, selectColumns=$selectColumns, searchColumns=$searchColumns, filter=$filter)"

    /** Fluent builder for Java callers; [build] validates. */
    public class Builder(private val name: String) {
        private var selectColumns: List<String> = emptyList()
        private var searchColumns: List<String> = emptyList()
        private var filter: String? = null

        /** @see SearchEntity.selectColumns */
        public fun selectColumns(vararg columns: String): Builder = apply { selectColumns = columns.toList() }

        /** @see SearchEntity.selectColumns */
        public fun selectColumns(columns: List<String>): Builder = apply { selectColumns = columns.toList() }

        /** @see SearchEntity.searchColumns */
        public fun searchColumns(vararg columns: String): Builder = apply { searchColumns = columns.toList() }

        /** @see SearchEntity.searchColumns */
        public fun searchColumns(columns: List<String>): Builder = apply { searchColumns = columns.toList() }

        /** @see SearchEntity.filter */
        public fun filter(filter: String?): Builder = apply { this.filter = filter }

        /** Validates and builds. @throws InvalidInputException naming the invalid value. */
        public fun build(): SearchEntity = SearchEntity(name, selectColumns, searchColumns, filter)
    }

    public companion object {
        /** A builder for the table [name]. */
        @JvmStatic
        public fun builder(name: String): Builder = Builder(name)
    }
}
