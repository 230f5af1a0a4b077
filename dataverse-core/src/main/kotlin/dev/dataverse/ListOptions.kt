package dev.dataverse

import dev.dataverse.internal.protocol.Identifiers

/**
 * What to read when listing records: the OData query options `$select`, `$filter`, `$orderby`, `$expand`, `$top`,
 * `$count`, plus the page size and annotations.
 *
 * Kotlin: `ListOptions(select = listOf("name", "revenue"), filter = where { "revenue" gt 1000 }, orderBy = listOf("name desc"))`.
 * Java: `ListOptions.builder().select("name", "revenue").filter(Filter.gt("revenue", 1000)).orderBy("name desc").build()`.
 *
 * Filters and expands are typed ([Filter], [Expand]): values are escaped by the library, and columns are checked.
 * [Filter.raw] and [Expand.raw] take hand-written OData for what the types do not cover.
 *
 * Every option is validated at construction and raises [InvalidInputException] before anything is sent.
 */
public class ListOptions(
    /** Columns to return (`$select`). Empty (the default) returns all columns, which is slower: name the ones you need. */
    select: List<String> = emptyList(),
    /**
     * Which records to return (`$filter`): a typed [Filter] (see the [where] DSL), or [Filter.raw] for an expression
     * written by hand. The default `null` means no filter. The columns a typed filter reads are checked against the
     * table's metadata before the query is sent.
     */
    public val filter: Filter? = null,
    /** Sort order (`$orderby`): column names, each optionally followed by ` asc` or ` desc`. Default: the service's order. */
    orderBy: List<String> = emptyList(),
    /** Related records to return with each record (`$expand`), e.g. `Expand("primarycontactid", select = listOf("fullname"))`. */
    expand: List<Expand> = emptyList(),
    /**
     * Maximum number of records in total across all pages; `null` (the default) means no limit. The client keeps the
     * limit: the service ignores `$top` when it pages (Learn, "Page results"), so `$top` is sent only when one page can
     * hold the limit, and otherwise the listing stops after [top] records.
     */
    public val top: Int? = null,
    /** Records per page, 1..5000 (`Prefer: odata.maxpagesize`); `null` (the default) lets the service choose (5000). */
    public val pageSize: Int? = null,
    /** Ask for the total number of matching rows (`$count=true`), reported by [Page.totalCount]. Default `false`. */
    public val count: Boolean = false,
    /**
     * Ask for formatted values and lookup annotations (`Prefer: odata.include-annotations="*"`), read with
     * [DataverseRecord.formattedValue] and [DataverseRecord.lookupLogicalName]. Default `false`.
     */
    public val includeAnnotations: Boolean = false,
) {
    /** Columns to return; empty means all. */
    public val select: List<String> = select.toList()

    /** Sort clauses, e.g. `name desc`. */
    public val orderBy: List<String> = orderBy.toList()

    /** Expand clauses. */
    public val expand: List<Expand> = expand.toList()

    init {
        this.select.forEach { Identifiers.requireColumn(it, "select column") }
        this.orderBy.forEach { Identifiers.requireOrderBy(it) }
        @Suppress("SENSELESS_COMPARISON") // Java callers can pass nulls.
        if (this.expand.any { it == null }) throw InvalidInputException("'expand' cannot hold null.")
        if (top != null && top < 1) throw InvalidInputException("'top' must be at least 1, but was $top.")
        if (pageSize != null && pageSize !in 1..MAX_PAGE_SIZE) {
            throw InvalidInputException("'pageSize' must be between 1 and $MAX_PAGE_SIZE, but was $pageSize.")
        }
    }

    /** A builder initialised with these options. */
    public fun toBuilder(): Builder = Builder(this)

    override fun toString(): String =
        "ListOptions(select=$select, filter=$filter, orderBy=$orderBy, expand=$expand, top=$top, pageSize=$pageSize, " +
            "count=$count, includeAnnotations=$includeAnnotations)"

    /** Fluent builder for Java callers. Every setter returns this builder; [build] validates. */
    public class Builder public constructor(from: ListOptions) {
        private var select = from.select
        private var filter = from.filter
        private var orderBy = from.orderBy
        private var expand = from.expand
        private var top = from.top
        private var pageSize = from.pageSize
        private var count = from.count
        private var includeAnnotations = from.includeAnnotations

        /** @see ListOptions.select */
        public fun select(vararg columns: String): Builder = apply { select = columns.toList() }

        /** @see ListOptions.select */
        public fun select(columns: List<String>): Builder = apply { select = columns.toList() }

        /** @see ListOptions.filter */
        public fun filter(filter: Filter?): Builder = apply { this.filter = filter }

        /** @see ListOptions.orderBy */
        public fun orderBy(vararg clauses: String): Builder = apply { orderBy = clauses.toList() }

        /** @see ListOptions.orderBy */
        public fun orderBy(clauses: List<String>): Builder = apply { orderBy = clauses.toList() }

        /** @see ListOptions.expand */
        public fun expand(vararg clauses: Expand): Builder = apply { expand = clauses.toList() }

        /** @see ListOptions.expand */
        public fun expand(clauses: List<Expand>): Builder = apply { expand = clauses.toList() }

        /** @see ListOptions.top */
        public fun top(top: Int): Builder = apply { this.top = top }

        /** @see ListOptions.pageSize */
        public fun pageSize(pageSize: Int): Builder = apply { this.pageSize = pageSize }

        /** @see ListOptions.count */
        public fun count(count: Boolean): Builder = apply { this.count = count }

        /** @see ListOptions.includeAnnotations */
        public fun includeAnnotations(include: Boolean): Builder = apply { includeAnnotations = include }

        /** Validates and builds the options. @throws InvalidInputException naming the invalid option. */
        public fun build(): ListOptions =
            ListOptions(select, filter, orderBy, expand, top, pageSize, count, includeAnnotations)
    }

    public companion object {
        /** The largest page the service returns, and its default page size. */
        public const val MAX_PAGE_SIZE: Int = 5000

        /** No options: all columns, no filter, the service's page size. */
        @JvmField
        public val DEFAULT: ListOptions = ListOptions()

        /** A builder starting from [DEFAULT]. */
        @JvmStatic
        public fun builder(): Builder = Builder(DEFAULT)
    }
}
