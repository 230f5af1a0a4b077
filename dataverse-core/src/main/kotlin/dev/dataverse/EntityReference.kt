package dev.dataverse

import dev.dataverse.internal.protocol.Identifiers
import java.util.UUID

/**
 * A value that points a lookup column at another record, for create, update and upsert payloads.
 *
 * ```kotlin
 * records.create("contact", mapOf("lastname" to "Doe", "parentcustomerid_account" to EntityReference("account", accountId)))
 * ```
 * The payload key is the lookup's navigation property (case-sensitive, e.g. `primarycontactid`,
 * `parentcustomerid_account`, or `new_CustomerId` for custom lookups); the client resolves [table]'s entity set and sends
 * `"<navigation property>@odata.bind": "/<entity set>(<id>)"`, so callers never build those strings by hand.
 */
public class EntityReference(
    /** Logical name of the referenced table, e.g. `account`. */
    public val table: String,
    /** Primary id of the referenced record. */
    public val id: UUID,
) {
    init {
        Identifiers.requireTable(table)
    }

    override fun equals(other: Any?): Boolean = other is EntityReference && other.table == table && other.id == id

    override fun hashCode(): Int = 31 * table.hashCode() + id.hashCode()

    override fun toString(): String = "EntityReference($table, $id)"
}
