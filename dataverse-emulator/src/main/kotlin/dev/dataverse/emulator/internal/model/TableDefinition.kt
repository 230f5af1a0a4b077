package dev.dataverse.emulator.internal.model

import java.time.Instant
import java.util.UUID

/**
 * An alternate key: a set of columns whose values identify a record. Keys created at runtime build their index
 * asynchronously, as the service does: `Pending` until half of the activation delay has passed, `InProgress` until
 * [activeAt], then `Active`; `Failed` when existing records held duplicate values. Seeded keys are active at once.
 */
internal data class AlternateKeyDefinition(
    val logicalName: String,
    val schemaName: String,
    val displayName: String,
    val keyAttributes: List<String>,
    val metadataId: UUID,
    val createdAt: Instant? = null,
    val activeAt: Instant? = null,
    val failed: Boolean = false,
) {
    /** The `EntityKeyIndexStatus` at [now]. */
    fun status(now: Instant): String {
        if (failed) return FAILED
        if (createdAt == null || activeAt == null || !now.isBefore(activeAt)) return ACTIVE
        val halfway = createdAt.plusMillis((activeAt.toEpochMilli() - createdAt.toEpochMilli()) / 2)
        return if (now.isBefore(halfway)) "Pending" else "InProgress"
    }

    /** Whether records can be addressed by this key at [now]. */
    fun isActive(now: Instant): Boolean = status(now) == ACTIVE

    companion object {
        const val ACTIVE: String = "Active"
        const val FAILED: String = "Failed"
    }
}

/** A column whose value the server composes from other columns (contact `fullname`). */
internal data class ComposedColumn(
    val column: String,
    val parts: List<String>,
)

/** A table (entity) described as data: its names, its columns and its alternate keys. */
internal data class TableDefinition(
    val logicalName: String,
    val schemaName: String,
    val entitySetName: String,
    val primaryIdAttribute: String,
    val primaryNameAttribute: String,
    val displayName: String,
    val displayCollectionName: String,
    val metadataId: UUID,
    val columns: List<ColumnDefinition>,
    val keys: List<AlternateKeyDefinition> = emptyList(),
    val composedColumns: List<ComposedColumn> = emptyList(),
    val objectTypeCode: Int? = null,
    val isCustomEntity: Boolean = false,
    val ownershipType: String = "UserOwned",
    /** `ChangeTrackingEnabled`: whether the table answers `Prefer: odata.track-changes` with delta links. */
    val changeTrackingEnabled: Boolean = false,
    /** `Standard` or `Elastic` (`EntityMetadata.TableType`); see [ElasticTables] for what elastic changes. */
    val tableType: String = STANDARD,
) {
    /** Whether records live in partitions, without transactions across records (Learn: "Elastic tables"). */
    val isElastic: Boolean get() = tableType == ELASTIC

    private val columnsByLogicalName: Map<String, ColumnDefinition> = columns.associateBy { it.logicalName }
    private val columnsByProperty: Map<String, ColumnDefinition> = columns.associateBy { it.propertyName }

    /** The qualified type name used in error messages and `@odata.type`. */
    val qualifiedTypeName: String get() = "Microsoft.Dynamics.CRM.$logicalName"

    /** The primary id column. */
    val primaryIdColumn: ColumnDefinition get() = column(primaryIdAttribute)!!

    /** The columns of a file or image column's supporting `<name>_name` column included. */
    fun fileNameColumn(file: ColumnDefinition): ColumnDefinition? = columns.firstOrNull { it.attributeOf == file.logicalName }

    /** The column with this logical name, or null. */
    fun column(logicalName: String): ColumnDefinition? = columnsByLogicalName[logicalName]

    /** The column exposed as OData property [name] (`name`, or `_primarycontactid_value` for lookups), or null. */
    fun columnByProperty(name: String): ColumnDefinition? = columnsByProperty[name]

    /** The lookup column and target for the single-valued navigation property [name], or null. */
    fun navigation(name: String): Pair<ColumnDefinition, LookupTarget>? {
        for (column in columns) {
            val target = column.targets.firstOrNull { it.navigationProperty == name } ?: continue
            return column to target
        }
        return null
    }

    /** The alternate key whose columns are exactly [names], or null. */
    fun keyWithAttributes(names: Set<String>): AlternateKeyDefinition? =
        keys.firstOrNull { it.keyAttributes.toSet() == names }

    companion object {
        const val STANDARD: String = "Standard"
        const val ELASTIC: String = "Elastic"
    }
}
