package dev.dataverse

import dev.dataverse.internal.protocol.Identifiers

/**
 * What a change listing ([Records.changes]) reads: the columns of new and updated records, the page size, annotations,
 * and where to start — from the beginning (every record, a full sync) or from the [deltaToken] a previous run ended with.
 *
 * Change tracking supports only `$select` among the query options: Learn ("Use change tracking to synchronize data with
 * external systems", "Query options not supported in Change Tracking Web API request") says `$filter`, `$orderby`,
 * `$expand` and `$top` are refused with `Prefer: odata.track-changes`. So these options have no filter, order, expand or
 * row limit; [from] turns [ListOptions] into change-tracking options and rejects those four (and `count`) before
 * anything is sent.
 *
 * Kotlin: `ChangeTrackingOptions(select = listOf("name"), pageSize = 500, deltaToken = saved)`.
 * Java: `ChangeTrackingOptions.builder().select("name").pageSize(500).deltaToken(saved).build()`.
 */
public class ChangeTrackingOptions(
    /** Columns to return for new and updated records (`$select`). Empty (the default) returns all columns. */
    select: List<String> = emptyList(),
    /** Changes per page, 1..5000 (`Prefer: odata.maxpagesize`); `null` (the default) lets the service choose (5000). */
    public val pageSize: Int? = null,
    /** Ask for formatted values and lookup annotations (`Prefer: odata.include-annotations="*"`). Default `false`. */
    public val includeAnnotations: Boolean = false,
    /**
     * The [ChangePage.deltaToken] a previous run of the same table ended with: the listing then returns only what was
     * created, updated or deleted since. `null` (the default) starts a full sync: every record, no deletions, ending with
     * a first delta token. The token is opaque and may be stored as a plain string.
     */
    public val deltaToken: String? = null,
) {
    /** Columns to return; empty means all. */
    public val select: List<String> = select.toList()

    init {
        this.select.forEach { Identifiers.requireColumn(it, "select column") }
        if (pageSize != null && pageSize !in 1..ListOptions.MAX_PAGE_SIZE) {
            throw InvalidInputException("'pageSize' must be between 1 and ${ListOptions.MAX_PAGE_SIZE}, but was $pageSize.")
        }
        if (deltaToken != null && (deltaToken.isBlank() || deltaToken.any { it.isISOControl() })) {
            throw InvalidInputException("'deltaToken' must be a ChangePage.deltaToken, but was blank or held control characters.")
        }
    }

    /** A builder initialised with these options. */
    public fun toBuilder(): Builder = Builder(this)

    /** The same options starting after [token] (a [ChangePage.deltaToken]). */
    public fun since(token: String): ChangeTrackingOptions = ChangeTrackingOptions(select, pageSize, includeAnnotations, token)

    override fun toString(): String =
        "ChangeTrackingOptions(select=$select, pageSize=$pageSize, includeAnnotations=$includeAnnotations, " +
            "deltaToken=${if (deltaToken == null) "none" else "set"})"

    /** Fluent builder for Java callers. Every setter returns this builder; [build] validates. */
    public class Builder public constructor(from: ChangeTrackingOptions) {
        private var select = from.select
        private var pageSize = from.pageSize
        private var includeAnnotations = from.includeAnnotations
        private var deltaToken = from.deltaToken

        /** @see ChangeTrackingOptions.select */
        public fun select(vararg columns: String): Builder = apply { select = columns.toList() }

        /** @see ChangeTrackingOptions.select */
        public fun select(columns: List<String>): Builder = apply { select = columns.toList() }

        /** @see ChangeTrackingOptions.pageSize */
        public fun pageSize(pageSize: Int): Builder = apply { this.pageSize = pageSize }

        /** @see ChangeTrackingOptions.includeAnnotations */
        public fun includeAnnotations(include: Boolean): Builder = apply { includeAnnotations = include }

        /** @see ChangeTrackingOptions.deltaToken */
        public fun deltaToken(token: String?): Builder = apply { deltaToken = token }

        /** Validates and builds the options. @throws InvalidInputException naming the invalid option. */
        public fun build(): ChangeTrackingOptions = ChangeTrackingOptions(select, pageSize, includeAnnotations, deltaToken)
    }

    public companion object {
        /** All columns, the service's page size, a full sync. */
        @JvmField
        public val DEFAULT: ChangeTrackingOptions = ChangeTrackingOptions()

        /** A builder starting from [DEFAULT]. */
        @JvmStatic
        public fun builder(): Builder = Builder(DEFAULT)

        /**
         * The change-tracking options of a listing's [options] (select, page size, annotations), starting after
         * [deltaToken]. Learn refuses `$filter`, `$orderby`, `$expand` and `$top` with change tracking, and a change
         * listing reports no total count, so each of those raises [InvalidInputException] naming it, before anything
         * is sent.
         */
        @JvmStatic
        @JvmOverloads
        public fun from(options: ListOptions, deltaToken: String? = null): ChangeTrackingOptions {
            @Suppress("SENSELESS_COMPARISON") // Java callers can pass nulls.
            if (options == null) throw InvalidInputException("'options' cannot be null.")
            val unsupported = listOfNotNull(
                "filter".takeIf { options.filter != null },
                "orderBy".takeIf { options.orderBy.isNotEmpty() },
                "expand".takeIf { options.expand.isNotEmpty() },
                "top".takeIf { options.top != null },
                "count".takeIf { options.count },
            )
            if (unsupported.isNotEmpty()) {
                throw InvalidInputException(
                    "Change tracking supports only 'select' (\$select), not ${unsupported.joinToString { "'$it'" }}: the service " +
                        "refuses \$filter, \$orderby, \$expand and \$top with Prefer: odata.track-changes, and reports no count.",
                )
            }
            return ChangeTrackingOptions(options.select, options.pageSize, options.includeAnnotations, deltaToken)
        }
    }
}
