package dev.dataverse.internal.protocol

import dev.dataverse.InvalidInputException

/**
 * One many-to-one relationship of a table, as `EntityDefinitions(...)/ManyToOneRelationships` describes it: the lookup
 * [column] (`ReferencingAttribute`, a logical name such as `parentcustomerid`), the single-valued [navigation] property
 * that binds it (`ReferencingEntityNavigationPropertyName`, case-sensitive: `parentcustomerid_account`,
 * `new_AccountId`), and the table it leads to ([target], `ReferencedEntity`).
 */
internal data class LookupNavigation(val column: String, val navigation: String, val target: String)

/**
 * Which navigation property a record reference written under a payload key binds (Learn: "Create a table row using the
 * Web API", associate table rows on create: `"<navigation property>@odata.bind"`; the service refuses any other name
 * with "Could not find a property named ..."). Pure: the table's [LookupNavigation]s come from the metadata cache.
 *
 * A key names a lookup by its column's logical name or by one of its navigation properties, case-insensitively (an exact
 * navigation property name wins over case-insensitive matches). Of the navigation properties it names, the one that
 * leads to the reference's table is bound: for a polymorphic lookup (Customer, Owner, regarding) there is one per
 * target table.
 */
internal object LookupResolution {
    /**
     * The navigation property [key] binds for a reference to a record of [targetTable]; `null` when [key] names no lookup
     * of the table at all (the caller tells a non-lookup column from an unknown name).
     *
     * @throws InvalidInputException when the lookup cannot point to [targetTable] (the message names the tables it can,
     *   with their navigation properties), or when [key] matches several navigation properties that lead there.
     */
    fun navigationFor(table: String, key: String, targetTable: String, lookups: List<LookupNavigation>): String? {
        val exact = lookups.filter { it.navigation == key }
        val named = exact.ifEmpty { lookups.filter { it.navigation.equals(key, ignoreCase = true) || it.column.equals(key, ignoreCase = true) } }
        if (named.isEmpty()) return null
        val leading = named.filter { accepts(it.target, targetTable) }.map { it.navigation }.distinct()
        if (leading.size == 1) return leading.single()
        if (leading.size > 1) {
            throw InvalidInputException(
                "Key '$key' of table '$table' is ambiguous for a reference to a '$targetTable' record: it matches the navigation " +
                    "properties ${leading.joinToString { "'$it'" }} (names are compared ignoring case). Use one of them exactly.",
            )
        }
        val columns = named.map { it.column.lowercase() }.toSet()
        val choices = lookups.filter { it.column.lowercase() in columns }
        throw InvalidInputException(
            "Lookup '$key' of table '$table' cannot point to a '$targetTable' record. It can point to: " +
                choices.joinToString { "${it.target} (through '${it.navigation}')" } + ".",
        )
    }

    /**
     * Whether a lookup whose relationship leads to [target] accepts a record of [table]. An Owner lookup's relationship
     * leads to the `owner` table, and it takes a user or a team (Learn: "principal EntityType", a group of system users
     * and teams whose derived types are `systemuser` and `team`; the Owner table reference: "Unique identifier for the
     * Owner: systemuserid or teamid").
     */
    fun accepts(target: String, table: String): Boolean =
        target.equals(table, ignoreCase = true) || (target.equals(OWNER, ignoreCase = true) && table.lowercase() in OWNER_TABLES)

    /** The lookups of a table as a short list for messages: `column → target (navigation)`. */
    fun describe(lookups: List<LookupNavigation>): String =
        if (lookups.isEmpty()) "none" else lookups.sortedBy { it.column }.take(MAX_LISTED).joinToString { "${it.column} → ${it.target} ('${it.navigation}')" } +
            if (lookups.size > MAX_LISTED) ", ... (${lookups.size - MAX_LISTED} more)" else ""

    private const val OWNER = "owner"
    private val OWNER_TABLES = setOf("systemuser", "team")
    private const val MAX_LISTED = 20
}
