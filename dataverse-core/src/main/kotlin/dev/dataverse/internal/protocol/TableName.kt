package dev.dataverse.internal.protocol

/**
 * A table's logical name, checked and lower-cased once where a caller's string comes in ([of]): every later step —
 * metadata lookups, caches, codecs, telemetry — takes this instead of a bare string, so none has to wonder whether the
 * name it was handed was checked. The resolved table (entity set, primary id, type) is [TableMetadata].
 */
@JvmInline
internal value class TableName private constructor(val value: String) {
    override fun toString(): String = value

    companion object {
        /** [table] checked as a logical name and lower-cased; [dev.dataverse.InvalidInputException] otherwise. */
        fun of(table: String): TableName = TableName(Identifiers.requireTable(table))

        /** A name the service gave (a table's own metadata), already a logical name. */
        fun trusted(logicalName: String): TableName = TableName(logicalName.lowercase())
    }
}
