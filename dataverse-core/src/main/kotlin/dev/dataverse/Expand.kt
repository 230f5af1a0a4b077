package dev.dataverse

import dev.dataverse.internal.protocol.Identifiers

/**
 * A typed `$expand` clause: a navigation property with nested `$select`, `$filter`, `$orderby` and `$top`.
 *
 * ```kotlin
 * Expand("contact_customer_accounts", select = listOf("fullname"), where = Filter.eq("statecode", 0), orderBy = listOf("fullname"), top = 5)
 * // contact_customer_accounts($select=fullname;$filter=statecode eq 0;$orderby=fullname;$top=5)
 * ```
 * Pass it to [ListOptions] or [RetrieveOptions] with `.toODataString()`, or to the Java builders' `expand(Expand...)`.
 */
public class Expand @JvmOverloads constructor(
    /** The navigation property, e.g. `primarycontactid` (single-valued) or `contact_customer_accounts` (collection). */
    public val navigationProperty: String,
    /** Columns of the related records to return; empty returns all. */
    select: List<String> = emptyList(),
    /** Which related records to return (collection-valued properties only). */
    public val where: Filter? = null,
    /** Order of the related records (collection-valued properties only). */
    orderBy: List<String> = emptyList(),
    /** At most this many related records (collection-valued properties only). */
    public val top: Int? = null,
) {
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
        val options = listOfNotNull(
            select.takeIf { it.isNotEmpty() }?.joinToString(",", prefix = "\$select="),
            where?.let { "\$filter=${it.toODataString()}" },
            orderBy.takeIf { it.isNotEmpty() }?.joinToString(",", prefix = "\$orderby="),
            top?.let { "\$top=$it" },
        )
        return if (options.isEmpty()) navigationProperty else "$navigationProperty(${options.joinToString(";")})"
    }

    override fun toString(): String = toODataString()
}
