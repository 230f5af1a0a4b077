package dev.dataverse.schema

import dev.dataverse.internal.schema.toJson
import dev.dataverse.internal.schema.SchemaChecks
import dev.dataverse.InvalidInputException

/**
 * One table of a [SchemaSnapshot]: its names, columns, alternate keys and the relationships it takes part in.
 *
 * Lists are kept in the snapshot's order (columns and keys by logical name, relationships by schema name and then
 * kind), whatever order they were given in, so that equal tables are written identically.
 *
 * Kotlin: `TableSchema("new_product", "new_Product", "new_products", "new_productid", columns = listOf(...))`.
 * Java: `TableSchema.builder("new_product", "new_Product", "new_products", "new_productid").columns(list).build()`.
 */
public class TableSchema(
    /** The logical name, e.g. `account`. */
    public val logicalName: String,
    /** The schema name, e.g. `Account`. */
    public val schemaName: String,
    /** The entity set name used in record URLs, e.g. `accounts`. */
    public val entitySetName: String,
    /** The primary id column, e.g. `accountid`. */
    public val primaryIdColumn: String,
    /** The primary name column, e.g. `name`; `null` for tables without one. */
    public val primaryNameColumn: String? = null,
    /** The display name in the language the snapshot was exported in. */
    public val displayName: String? = null,
    /** The plural display name. */
    public val displayCollectionName: String? = null,
    /** `Standard`, `Elastic` or `Virtual` (Learn `TableType`). */
    public val tableType: String = "Standard",
    /** `UserOwned`, `OrganizationOwned`, `TeamOwned`, `BusinessOwned` or `None` (`OwnershipType`); `null` when not known. */
    public val ownership: String? = null,
    /** Whether a customizer created the table. */
    public val isCustom: Boolean = false,
    /** Whether the table tracks changes (`ChangeTrackingEnabled`). */
    public val changeTrackingEnabled: Boolean = false,
    columns: List<ColumnSchema> = emptyList(),
    alternateKeys: List<AlternateKeySchema> = emptyList(),
    relationships: List<RelationshipSchema> = emptyList(),
) {
    /** The columns, ordered by logical name. */
    public val columns: List<ColumnSchema> = SchemaChecks.sortedUnique(columns, "columns of '$logicalName'") { it.logicalName }

    /** The alternate keys, ordered by logical name. */
    public val alternateKeys: List<AlternateKeySchema> =
        SchemaChecks.sortedUnique(alternateKeys, "alternate keys of '$logicalName'") { it.logicalName }

    /** Every relationship the table takes part in, ordered by schema name and then kind. */
    public val relationships: List<RelationshipSchema> =
        SchemaChecks.sortedUnique(relationships, "relationships (of one kind) of '$logicalName'") { "${it.schemaName}\u0000${it.kind.formatName()}" }

    init {
        SchemaChecks.name(logicalName, "logicalName")
        SchemaChecks.name(schemaName, "schemaName")
        SchemaChecks.name(entitySetName, "entitySetName")
        SchemaChecks.name(primaryIdColumn, "primaryIdColumn")
        SchemaChecks.optional(primaryNameColumn, "primaryNameColumn")
        SchemaChecks.name(tableType, "tableType")
        SchemaChecks.optional(ownership, "ownership")
        for (key in this.alternateKeys) {
            for (column in key.columns) {
                if (column(column) == null && this.columns.isNotEmpty()) {
                    throw InvalidInputException("The alternate key '${key.logicalName}' of '$logicalName' names the column '$column', which the table does not have.")
                }
            }
        }
    }

    /** The column named [logicalName] (compared ignoring case), or `null`. */
    public fun column(logicalName: String): ColumnSchema? = columns.firstOrNull { it.logicalName.equals(logicalName, ignoreCase = true) }

    /** The relationships of [kind]. */
    public fun relationships(kind: RelationshipKind): List<RelationshipSchema> = relationships.filter { it.kind == kind }

    /** A builder holding this table's values, to derive a changed copy. */
    public fun toBuilder(): Builder = Builder(logicalName, schemaName, entitySetName, primaryIdColumn)
        .primaryNameColumn(primaryNameColumn).displayName(displayName).displayCollectionName(displayCollectionName)
        .tableType(tableType).ownership(ownership).custom(isCustom).changeTrackingEnabled(changeTrackingEnabled)
        .columns(columns).alternateKeys(alternateKeys).relationships(relationships)

    override fun equals(other: Any?): Boolean = other is TableSchema && other.toJson() == toJson()

    override fun hashCode(): Int = logicalName.hashCode()

    override fun toString(): String = "TableSchema($logicalName, ${columns.size} columns)"

    /** Fluent builder for Java callers; the four names are required. */
    public class Builder public constructor(
        private val logicalName: String,
        private val schemaName: String,
        private val entitySetName: String,
        private val primaryIdColumn: String,
    ) {
        private var primaryNameColumn: String? = null
        private var displayName: String? = null
        private var displayCollectionName: String? = null
        private var tableType: String = "Standard"
        private var ownership: String? = null
        private var isCustom = false
        private var changeTrackingEnabled = false
        private var columns: List<ColumnSchema> = emptyList()
        private var alternateKeys: List<AlternateKeySchema> = emptyList()
        private var relationships: List<RelationshipSchema> = emptyList()

        /** @see TableSchema.primaryNameColumn */
        public fun primaryNameColumn(value: String?): Builder = apply { primaryNameColumn = value }
        /** @see TableSchema.displayName */
        public fun displayName(value: String?): Builder = apply { displayName = value }
        /** @see TableSchema.displayCollectionName */
        public fun displayCollectionName(value: String?): Builder = apply { displayCollectionName = value }
        /** @see TableSchema.tableType */
        public fun tableType(value: String): Builder = apply { tableType = value }
        /** @see TableSchema.ownership */
        public fun ownership(value: String?): Builder = apply { ownership = value }
        /** @see TableSchema.isCustom */
        public fun custom(value: Boolean): Builder = apply { isCustom = value }
        /** @see TableSchema.changeTrackingEnabled */
        public fun changeTrackingEnabled(value: Boolean): Builder = apply { changeTrackingEnabled = value }
        /** @see TableSchema.columns */
        public fun columns(value: List<ColumnSchema>): Builder = apply { columns = ArrayList(value) }
        /** @see TableSchema.alternateKeys */
        public fun alternateKeys(value: List<AlternateKeySchema>): Builder = apply { alternateKeys = ArrayList(value) }
        /** @see TableSchema.relationships */
        public fun relationships(value: List<RelationshipSchema>): Builder = apply { relationships = ArrayList(value) }

        /** Validates and builds the table. */
        public fun build(): TableSchema = TableSchema(
            logicalName, schemaName, entitySetName, primaryIdColumn, primaryNameColumn, displayName, displayCollectionName,
            tableType, ownership, isCustom, changeTrackingEnabled, columns, alternateKeys, relationships,
        )
    }

    public companion object {
        /** A builder for Java callers. */
        @JvmStatic
        public fun builder(logicalName: String, schemaName: String, entitySetName: String, primaryIdColumn: String): Builder =
            Builder(logicalName, schemaName, entitySetName, primaryIdColumn)

    }
}
