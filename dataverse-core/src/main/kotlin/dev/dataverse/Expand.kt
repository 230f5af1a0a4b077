package dev.dataverse

import dev.dataverse.internal.protocol.Identifiers

/**
 * A typed `$expand` clause: a navigation property with nested `$select`, `$filter`, `$orderby` and `$top`.
 *
 * ```kotlin
 * Expand("contact_customer_accounts", select = listOf("fullname"), filter = Filter.eq("statecode", 0), orderBy = listOf("fullname"), top = 5)
 * // contact_customer_accounts($select=fullname;$filter=statecode eq 0;$orderby=fullname;$top=5)
 * ```
 * Pass it to [ListOptions] or [RetrieveOptions] (Java: their builders' `expand(Expand...)`). [raw] takes a clause
 * written by hand, for what this type does not cover (e.g. a nested `$expand`).
 */
public class Expand private constructor(
    /** The navigation property, e.g. `primarycontactid` (single-valued) or `contact_customer_accounts` (collection). */
    public val navigationProperty: String,
    select: List<String>,
    /** Which related records to return (collection-valued properties only); [Filter.raw] for a hand-written one. */
    public val filter: Filter?,
    orderBy: List<String>,
    /** At most this many related records (collection-valued properties only). */
    public val top: Int?,
    private val raw: String?,
) {
    /**
     * A clause for [navigationProperty] with the related records' columns [select] (empty returns all), and for
     * collection-valued properties the [filter], [orderBy] and [top] to apply to them.
     *
     * @throws InvalidInputException for a name that is not an identifier or a [top] below 1.
     */
    @JvmOverloads
    public constructor(
        navigationProperty: String,
        select: List<String> = emptyList(),
        filter: Filter? = null,
        orderBy: List<String> = emptyList(),
        top: Int? = null,
    ) : this(navigationProperty, select, filter, orderBy, top, null)

    /** Columns to return. */
    public val select: List<String> = select.toList()

    /** Sort clauses. */
    public val orderBy: List<String> = orderBy.toList()

    init {
        Identifiers.requireColumn(navigationProperty, "navigation property")
        this.select.forEach { Identifiers.requireColumn(it, "expand select column") }
        this.orderBy.forEach { Identifiers.requireOrderBy(it) }
        if (top != null && top < 1) throw InvalidInputException("'top' of an expand must be at least 1, but was $top.")
    }

    /** The clause in OData syntax. */
    public fun toODataString(): String {
        if (raw != null) return raw
        val options = listOfNotNull(
            select.takeIf { it.isNotEmpty() }?.joinToString(",", prefix = "\$select="),
            filter?.let { "\$filter=${it.toODataString()}" },
            orderBy.takeIf { it.isNotEmpty() }?.joinToString(",", prefix = "\$orderby="),
            top?.let { "\$top=$it" },
        )
        return if (options.isEmpty()) navigationProperty else "$navigationProperty(${options.joinToString(";")})"
    }

    override fun toString(): String = toODataString()

    override fun equals(other: Any?): Boolean = other is Expand && other.toODataString() == toODataString()

    override fun hashCode(): Int = toODataString().hashCode()

    public companion object {
        /**
         * A clause written by hand, e.g. `primarycontactid($select=fullname;$expand=parentcustomerid_account($select=name))`,
         * sent as given (percent-encoded): quotes in string literals inside must be doubled.
         *
         * @throws InvalidInputException when [clause] does not start with a navigation property name, or is blank.
         */
        @JvmStatic
        public fun raw(clause: String): Expand {
            Identifiers.requireExpand(clause)
            return Expand(clause.substringBefore('(').trim(), emptyList(), null, emptyList(), null, clause)
        }
    }
}
