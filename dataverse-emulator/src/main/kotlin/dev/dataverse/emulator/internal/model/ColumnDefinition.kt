package dev.dataverse.emulator.internal.model

import java.math.BigDecimal
import java.util.UUID

/** One option of a choice, state, status or boolean column. */
internal data class OptionDefinition(
    val value: Int,
    val label: String,
    /** For status options: the state this status belongs to. */
    val state: Int? = null,
    /** For state options: the status a record gets when it enters this state. */
    val defaultStatus: Int? = null,
)

/**
 * One table a lookup column can point to. [navigationProperty] is the name clients use in
 * `<nav>@odata.bind` and `$expand`; [reverseNavigation] is the collection-valued navigation
 * property on the target table that lists the records pointing at it.
 */
internal data class LookupTarget(
    val table: String,
    val navigationProperty: String,
    val reverseNavigation: String,
    /** The one-to-many relationship this target is; its schema name is the reverse navigation property's name. */
    val relationshipSchemaName: String = reverseNavigation,
    val relationshipId: UUID = StableIds.of("relationship", relationshipSchemaName),
    /** Whether a client created the relationship (a custom one), as opposed to one every environment has. */
    val isCustom: Boolean = false,
    /** The relationship's `CascadeConfiguration` (`Assign`, `Delete`, ...), as the client sent it or the defaults. */
    val cascade: Map<String, String> = DEFAULT_CASCADE,
) {
    companion object {
        /** The cascade configuration the service gives a relationship when the client names none. */
        val DEFAULT_CASCADE: Map<String, String> = linkedMapOf(
            "Assign" to "NoCascade", "Delete" to "RemoveLink", "Merge" to "NoCascade",
            "Reparent" to "NoCascade", "Share" to "NoCascade", "Unshare" to "NoCascade",
        )
    }
}

/** A column of a table, described as data so tables can also be created at runtime. */
internal data class ColumnDefinition(
    val logicalName: String,
    val schemaName: String,
    val type: ColumnType,
    val displayName: String,
    val metadataId: UUID,
    val maxLength: Int? = null,
    val minValue: BigDecimal? = null,
    val maxValue: BigDecimal? = null,
    val precision: Int? = null,
    /** String format name (`Text`, `Email`, `Url`, `Phone`) for string columns. */
    val format: String? = null,
    val options: List<OptionDefinition> = emptyList(),
    val targets: List<LookupTarget> = emptyList(),
    val validForCreate: Boolean = true,
    val validForUpdate: Boolean = true,
    /** Value a new record gets when the payload does not set the column. */
    val defaultValue: Any? = null,
    /** Largest file a [ColumnType.FILE] or [ColumnType.IMAGE] column accepts, in KiB (`MaxSizeInKB`). */
    val maxSizeInKB: Int? = null,
    /** Whether a client added this column at runtime. */
    val isCustom: Boolean = false,
    /** For a supporting column (`<file column>_name`): the column it belongs to (`AttributeOf`). */
    val attributeOf: String? = null,
    /** For a choice column created from a global choice: that choice's name (its options are copied into [options]). */
    val globalOptionSet: String? = null,
) {
    /** The name of the OData property carrying this column's value. */
    val propertyName: String = if (type.isLookup) "_${logicalName}_value" else logicalName

    /** The option with [value], or null when the column has no such option. */
    fun option(value: Int): OptionDefinition? = options.firstOrNull { it.value == value }
}
