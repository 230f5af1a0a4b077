package dev.dataverse.internal

import dev.dataverse.BatchReference
import dev.dataverse.EntityReference
import dev.dataverse.InvalidInputException
import dev.dataverse.internal.protocol.LookupResolution
import dev.dataverse.internal.protocol.TableName

/**
 * Maps the keys of a write's record references to the navigation properties the service binds: a caller may write
 * `"parentcustomerid" to EntityReference("account", id)` (the lookup column's logical name, as `columns()` lists it) or
 * any case of a navigation property (`user3_accountid` for `user3_AccountId`), and the body carries the exact
 * `"parentcustomerid_account@odata.bind"` (Learn: "Create a table row using the Web API", associate table rows on
 * create; "Update and delete table rows using the Web API"). Resolution is [LookupResolution]'s.
 *
 * The table's lookups come from [NavigationCache], read once per metadata TTL and only for a write that holds a
 * reference: no write costs a request of its own. Only a key that names no lookup also reads the table's column names,
 * to tell a non-lookup column from an unknown name in the error.
 */
internal class LookupBinder(private val tables: TableMetadataCache) {
    /**
     * [values] with each top-level [EntityReference] (and, in a `$batch`, [BatchReference] to a record created earlier)
     * under its exact navigation property; other keys unchanged, in the same order. Nested maps (deep insert) are left as
     * given: their table is the navigation's, not [table].
     *
     * @throws InvalidInputException when a reference's key names no lookup, a lookup that cannot point to its table, or
     *   several navigation properties; or when two keys bind the same navigation property.
     */
    suspend fun bind(table: TableName, values: Map<String, Any?>): Map<String, Any?> {
        if (!hasReferences(values)) return values
        val lookups = tables.navigations.lookups(table)
        val bound = LinkedHashMap<String, Any?>(values.size)
        val keyOf = HashMap<String, String>()
        for ((key, value) in values) {
            val target = referencedTable(value)
            val name = if (target == null) key else LookupResolution.navigationFor(table.value, key, target, lookups) ?: notALookup(table, key)
            keyOf.put(name, key)?.let { other ->
                throw InvalidInputException("Keys '$other' and '$key' of a '${table.value}' record both set '$name': give one of them.")
            }
            bound[name] = value
        }
        return bound
    }

    /** Whether [values] hold a top-level record reference, the only values [bind] changes. */
    fun hasReferences(values: Map<String, Any?>): Boolean = values.values.any { referencedTable(it) != null }

    private suspend fun notALookup(table: TableName, key: String): Nothing {
        val lookups = LookupResolution.describe(tables.navigations.lookups(table))
        val isColumn = key.lowercase() in tables.columns(table)
        throw InvalidInputException(
            if (isColumn) {
                "Column '$key' of table '${table.value}' is not a lookup: a record reference can only be the value of a lookup " +
                    "column or of its navigation property. Lookups of '${table.value}': $lookups."
            } else {
                "Table '${table.value}' has no lookup column or navigation property named '$key'. Its lookups: $lookups."
            },
        )
    }

    /** The table a value points to when it is a record reference; `null` for any other value. */
    private fun referencedTable(value: Any?): String? = when (value) {
        is EntityReference -> value.table
        is BatchReference -> value.table.takeIf { it.isNotEmpty() }
        else -> null
    }
}
