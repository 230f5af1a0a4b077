package dev.dataverse

import dev.dataverse.internal.protocol.Identifiers

/**
 * What to read when listing records: the OData query options `$select`, `$filter`, `$orderby`, `$expand`, `$top`,
 * `$count`, plus the page size and annotations.
 *
 * Kotlin: `ListOptions(select = listOf("name", "revenue"), filter = "revenue gt 1000", orderBy = listOf("name desc"))`.
 * Java: `ListOptions.builder().select("name", "revenue").filter("revenue gt 1000").orderBy("name desc").build()`.
 *
 * Every option is validated at construction and raises [InvalidInputException] before anything is sent.
 */
public class ListOptions(
    /** Columns to return (`$select`). Empty (the default) returns all columns, which is slower: name the ones you need. */
    select: List<String> = emptyList(),
    /**
     * An OData `$filter` expression written by hand, e.g. `statecode eq 0 and contains(name,'Contoso')`. It is sent as
     * given (percent-encoded), so string literals inside must have their quotes doubled: prefer [where], which escapes
     * values for you. The default `null` means no filter.
     */
    filter: String? = null,
    /** Sort order (`$orderby`): column names, each optionally followed by ` asc` or ` desc`. Default: the service's order. */
    orderBy: List<String> = emptyList(),
    /**
     * Navigation properties to expand (`$expand`), each with optional nested options, e.g. `primarycontactid($select=fullname)`.
     * Sent as given (percent-encoded).
     */
    expand: List<String> = emptyList(),
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
    /** A typed filter (see [Filter] and the [where] DSL); an alternative to [filter], not to be combined with it. */
    public val where: Filter? = null,
) {
    /** The `$filter` sent: [where] rendered, or the hand-written expression; `null` for none. */
    public val filter: String? = filter ?: where?.toODataString()

    /** Columns to return; empty means all. */
    public val select: List<String> = select.toList()

    /** Sort clauses, e.g. `name desc`. */
    public val orderBy: List<String> = orderBy.toList()

    /** Expand clauses. */
    public val expand: List<String> = expand.toList()

    init {
        this.select.forEach { Identifiers.requireColumn(it, "select column") }
        this.orderBy.forEach { Identifiers.requireOrderBy(it) }
        this.expand.forEach { Identifiers.requireExpand(it) }
        if (filter != null && where != null) throw InvalidInputException("Pass either 'filter' or 'where', not both.")
        if (filter != null && filter.isBlank()) throw InvalidInputException("'filter' cannot be blank; pass null for no filter.")
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
        private var filter = if (from.where == null) from.filter else null
        private var where = from.where
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
        public fun filter(filter: String?): Builder = apply { this.filter = filter }

        /** @see ListOptions.where */
        public fun where(filter: Filter?): Builder = apply { where = filter }

        /** @see ListOptions.orderBy */
        public fun orderBy(vararg clauses: String): Builder = apply { orderBy = clauses.toList() }

        /** @see ListOptions.orderBy */
        public fun orderBy(clauses: List<String>): Builder = apply { orderBy = clauses.toList() }

        /** @see ListOptions.expand */
        public fun expand(vararg clauses: String): Builder = apply { expand = clauses.toList() }

        /** Typed expand clauses; see [Expand]. */
        public fun expand(vararg clauses: Expand): Builder = apply { expand = clauses.map { it.toODataString() } }

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
            ListOptions(select, filter, orderBy, expand, top, pageSize, count, includeAnnotations, where)
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
