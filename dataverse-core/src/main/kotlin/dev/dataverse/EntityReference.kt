package dev.dataverse

import dev.dataverse.internal.protocol.Identifiers
import java.util.UUID

/**
 * A value that points a lookup column at another record, for create, update and upsert payloads.
 *
 * ```kotlin
 * records.create("contact", mapOf("lastname" to "Doe", "parentcustomerid" to EntityReference("account", accountId)))
 * ```
 * ```java
 * records.create("contact", Map.of("lastname", "Doe", "parentcustomerid", new EntityReference("account", accountId)));
 * ```
 * The payload key is the lookup column's logical name (`parentcustomerid`, `new_customerid`, as [Tables.columns] lists
 * it) or one of its navigation properties in any case (`parentcustomerid_account`, `new_CustomerId`). The service binds
 * a lookup only through its exact, case-sensitive navigation property, so the client maps the key through the table's
 * many-to-one relationships (read once and cached) and sends `"<navigation property>@odata.bind": "/<entity set>(<id>)"`:
 * for a polymorphic lookup (Customer, Owner, regarding), the navigation property that leads to [table]. Callers never
 * build those strings by hand. A [table] the lookup cannot point to, an ambiguous key, or a column that is no lookup fails
 * with [InvalidInputException] naming the valid choices, before anything is sent (Learn: "Create a table row using the
 * Web API", associate table rows on create).
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
