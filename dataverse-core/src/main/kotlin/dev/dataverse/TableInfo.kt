package dev.dataverse

import java.util.UUID

/** A table's definition, as read from the service's `EntityDefinitions`. */
public class TableInfo public constructor(
    /** The logical name, e.g. `account` or `new_product`. */
    public val logicalName: String,
    /** The schema name, e.g. `Account` or `new_Product`. */
    public val schemaName: String,
    /** The entity set name used in record URLs, e.g. `accounts`. */
    public val entitySetName: String,
    /** The primary id column, e.g. `accountid`. */
    public val primaryIdAttribute: String,
    /** The primary name column, e.g. `name`; `null` for the few tables without one. */
    public val primaryNameAttribute: String?,
    /** The display name in the user's language, `null` when the table has none. */
    public val displayName: String?,
    /** The plural display name in the user's language, `null` when the table has none. */
    public val displayCollectionName: String?,
    /** Whether the table was created by a customizer rather than shipped with the platform. */
    public val isCustom: Boolean,
    /** Who owns the table's records; `null` when the service did not say. */
    public val ownership: TableOwnership?,
    /** The id of the table's metadata. */
    public val metadataId: UUID,
    /**
     * Whether the service tracks the table's changes (`ChangeTrackingEnabled`), which [Records.changes] needs. `false`
     * when the service did not say.
     */
    public val changeTrackingEnabled: Boolean = false,
    /** How the table stores its records (`TableType`); [TableType.STANDARD] when the service did not say. */
    public val tableType: TableType = TableType.STANDARD,
) {
    override fun equals(other: Any?): Boolean = other is TableInfo && other.metadataId == metadataId && other.logicalName == logicalName

    override fun hashCode(): Int = metadataId.hashCode()

    override fun toString(): String = "TableInfo($logicalName, entitySet=$entitySetName, primaryId=$primaryIdAttribute, $tableType)"
}

/**
 * Which tables [Tables.list] returns.
 *
 * Kotlin: `TableListOptions(customOnly = true)`. Java: `TableListOptions.builder().customOnly(true).build()`.
 */
public class TableListOptions(
    /** Only tables created by customizers (`IsCustomEntity eq true`). Default `false`: all tables. */
    public val customOnly: Boolean = false,
    /**
     * An OData `$filter` over `EntityDefinitions` properties, e.g. `startswith(LogicalName,'new_')`, combined with the
     * other options by `and`. Sent as given (percent-encoded). Default `null`: no extra filter.
     */
    public val filter: String? = null,
) {
    init {
        if (filter != null && filter.isBlank()) throw InvalidInputException("'filter' cannot be blank; pass null for no filter.")
    }

    override fun toString(): String = "TableListOptions(customOnly=$customOnly, filter=$filter)"

    /** Fluent builder for Java callers. */
    public class Builder public constructor() {
        private var customOnly = false
        private var filter: String? = null

        /** @see TableListOptions.customOnly */
        public fun customOnly(customOnly: Boolean): Builder = apply { this.customOnly = customOnly }

        /** @see TableListOptions.filter */
        public fun filter(filter: String?): Builder = apply { this.filter = filter }

        /** Validates and builds the options. */
        public fun build(): TableListOptions = TableListOptions(customOnly, filter)
    }

    public companion object {
        /** All non-private tables. */
        @JvmField
        public val DEFAULT: TableListOptions = TableListOptions()

        /** A builder starting from [DEFAULT]. */
        @JvmStatic
        public fun builder(): Builder = Builder()
    }
}
