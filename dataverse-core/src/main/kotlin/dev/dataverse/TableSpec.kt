package dev.dataverse

import dev.dataverse.internal.protocol.SchemaNames

/**
 * What [Tables.create] creates: a custom table, its primary name column, and optionally more columns.
 *
 * ```kotlin
 * TableSpec(
 *     schemaName = "new_Product",
 *     displayName = "Product",
 *     columns = listOf(ColumnSpec.money("new_Price", "Price"), ColumnSpec.lookup("new_AccountId", "Account", "account")),
 * )
 * ```
 * Java: `TableSpec.builder("new_Product", "Product").column(ColumnSpec.money("new_Price", "Price")).build()`.
 *
 * Schema names carry the publisher's customization prefix (`new_` by default) and consist of ASCII letters, digits and
 * underscores; the table's logical name is its schema name in lower case. Invalid names raise [InvalidInputException].
 */
public class TableSpec(
    /** The schema name, e.g. `new_Product`; the logical name is `new_product`. */
    public val schemaName: String,
    /** The display name, e.g. `Product`. */
    public val displayName: String,
    /** The plural display name; by default the display name followed by `s`. */
    public val displayCollectionName: String = displayName + "s",
    /** A description shown to makers; `null` for none. */
    public val description: String? = null,
    /** Who owns the records. The default is [TableOwnership.USER_OWNED], as in the maker portal. */
    public val ownership: TableOwnership = TableOwnership.USER_OWNED,
    /**
     * The primary name column: a [ColumnType.STRING] column. By default `<prefix>_Name`, display name `Name`,
     * 100 characters.
     */
    public val primaryName: ColumnSpec = ColumnSpec.string(SchemaNames.prefixOf(schemaName) + "_Name", "Name"),
    /** More columns, created with the table (lookups right after it). */
    columns: List<ColumnSpec> = emptyList(),
    /** Whether the table can have notes and attachments. Default `false`. */
    public val hasNotes: Boolean = false,
    /** Whether the table can have activities. Default `false`. */
    public val hasActivities: Boolean = false,
    /**
     * Whether the service tracks the table's changes (`ChangeTrackingEnabled`), so that [Records.changes] can read what
     * changed since a delta token. Default `false`. Once enabled it cannot be disabled (Learn: "Use change tracking to
     * synchronize data with external systems").
     */
    public val changeTrackingEnabled: Boolean = false,
    /**
     * [TableType.ELASTIC] for a table that scales out (sent as `TableType: "Elastic"`); the default is
     * [TableType.STANDARD]. Elastic tables cannot have money, file, image or multi-select choice columns (Learn: "Create
     * elastic tables using code", Adding Columns), so such columns are refused here.
     */
    public val tableType: TableType = TableType.STANDARD,
) {
    /** The columns besides the primary name. */
    public val columns: List<ColumnSpec> = columns.toList()

    /** The logical name the table will have. */
    public val logicalName: String get() = schemaName.lowercase()

    init {
        SchemaNames.requireCustom(schemaName, "table schema name")
        SchemaNames.requireLabel(displayName, "displayName")
        SchemaNames.requireLabel(displayCollectionName, "displayCollectionName")
        if (primaryName.type != ColumnType.STRING) {
            throw InvalidInputException("The primary name column must be a STRING column, but '${primaryName.schemaName}' is ${primaryName.type}.")
        }
        val names = (listOf(primaryName) + this.columns).map { it.schemaName.lowercase() }
        names.groupBy { it }.filterValues { it.size > 1 }.keys.firstOrNull()?.let {
            throw InvalidInputException("Column '$it' appears more than once in table '$schemaName'.")
        }
        if (tableType == TableType.OTHER) throw InvalidInputException("'tableType' must be STANDARD or ELASTIC; OTHER only describes tables read from metadata.")
        if (tableType == TableType.ELASTIC) {
            this.columns.firstOrNull { it.type in ELASTIC_UNSUPPORTED_COLUMNS }?.let {
                throw InvalidInputException("Column '${it.schemaName}' is ${it.type}, which elastic tables do not support (money, file, image and multi-select choice columns).")
            }
        }
        if (logicalName + "id" in names) {
            throw InvalidInputException("Column name '${logicalName}id' is reserved for the primary id of table '$schemaName'.")
        }
    }

    override fun toString(): String = "TableSpec($schemaName, $tableType, columns=${columns.map { it.schemaName }})"

    /** Fluent builder for Java callers. */
    public class Builder public constructor(private val schemaName: String, private val displayName: String) {
        private var displayCollectionName: String? = null
        private var description: String? = null
        private var ownership = TableOwnership.USER_OWNED
        private var primaryName: ColumnSpec? = null
        private val columns = ArrayList<ColumnSpec>()
        private var hasNotes = false
        private var hasActivities = false
        private var changeTrackingEnabled = false
        private var tableType = TableType.STANDARD

        /** @see TableSpec.displayCollectionName */
        public fun displayCollectionName(name: String): Builder = apply { displayCollectionName = name }

        /** @see TableSpec.description */
        public fun description(description: String?): Builder = apply { this.description = description }

        /** @see TableSpec.ownership */
        public fun ownership(ownership: TableOwnership): Builder = apply { this.ownership = ownership }

        /** @see TableSpec.primaryName */
        public fun primaryName(column: ColumnSpec): Builder = apply { primaryName = column }

        /** Adds a column; see [TableSpec.columns]. */
        public fun column(column: ColumnSpec): Builder = apply { columns += column }

        /** @see TableSpec.hasNotes */
        public fun hasNotes(hasNotes: Boolean): Builder = apply { this.hasNotes = hasNotes }

        /** @see TableSpec.hasActivities */
        public fun hasActivities(hasActivities: Boolean): Builder = apply { this.hasActivities = hasActivities }

        /** @see TableSpec.changeTrackingEnabled */
        public fun changeTrackingEnabled(enabled: Boolean): Builder = apply { this.changeTrackingEnabled = enabled }

        /** @see TableSpec.tableType */
        public fun tableType(tableType: TableType): Builder = apply { this.tableType = tableType }

        /** Validates and builds the specification. @throws InvalidInputException for invalid names. */
        public fun build(): TableSpec {
            val defaults = TableSpec(schemaName, displayName)
            return TableSpec(
                schemaName, displayName, displayCollectionName ?: defaults.displayCollectionName, description, ownership,
                primaryName ?: defaults.primaryName, columns, hasNotes, hasActivities, changeTrackingEnabled, tableType,
            )
        }
    }

    public companion object {
        /** A builder for the table [schemaName] shown as [displayName]. */
        @JvmStatic
        public fun builder(schemaName: String, displayName: String): Builder = Builder(schemaName, displayName)

        private val ELASTIC_UNSUPPORTED_COLUMNS = setOf(ColumnType.MONEY, ColumnType.FILE, ColumnType.IMAGE, ColumnType.MULTI_CHOICE)
    }
}
