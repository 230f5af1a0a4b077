package dev.dataverse.spark.internal

import dev.dataverse.ColumnType
import java.io.Serializable

/** What a Spark column holds, relative to the Dataverse column it comes from. */
internal enum class BindingKind {
    /** The column's value. */
    VALUE,

    /** A choice's label in the user's language (formatted value), `<column>_label`; read only. */
    CHOICE_LABEL,

    /** A lookup's target id, as a GUID string; the Spark column has the lookup's logical name. */
    LOOKUP_ID,

    /** A lookup's target table (logical name), `<column>_logicalname`. */
    LOOKUP_TABLE,
}

/**
 * One Spark column and where its values come from: the Dataverse [attribute] it reads and writes, of [type], as [kind].
 * Serializable so that read partitions and write factories carry it to the executors.
 */
internal data class ColumnBinding(
    val name: String,
    val attribute: String,
    val type: ColumnType,
    val kind: BindingKind,
) : Serializable {
    /** The property the service returns for the attribute: `_<lookup>_value` for lookups. */
    val wireName: String get() = if (kind == BindingKind.LOOKUP_ID || kind == BindingKind.LOOKUP_TABLE) "_${attribute}_value" else attribute

    /** Whether reading this column needs the service's annotations (formatted values, lookup targets). */
    val needsAnnotations: Boolean get() = kind == BindingKind.CHOICE_LABEL || kind == BindingKind.LOOKUP_TABLE

    companion object {
        const val LABEL_SUFFIX = "_label"
        const val TABLE_SUFFIX = "_logicalname"
    }
}
