package dev.dataverse

import dev.dataverse.internal.protocol.Identifiers
import dev.dataverse.internal.protocol.SchemaNames
import java.util.UUID

/**
 * An alternate key to create with [Tables.createKey]: columns whose values identify a record, usable with
 * [RecordKey.alternate] once the service has built the key's index.
 */
public class AlternateKeySpec @JvmOverloads constructor(
    /** The key's schema name, with the publisher prefix, e.g. `new_ProductCodeKey`. */
    public val schemaName: String,
    /** The key's columns (logical names), one to sixteen. */
    columns: List<String>,
    /** The display name; by default the schema name. */
    public val displayName: String = schemaName,
) {
    /** The key's columns. */
    public val columns: List<String> = columns.map { it.lowercase() }

    init {
        SchemaNames.requireCustom(schemaName, "key schema name")
        SchemaNames.requireLabel(displayName, "displayName")
        if (this.columns.size !in 1..MAX_COLUMNS) {
            throw InvalidInputException("An alternate key has 1 to $MAX_COLUMNS columns, but ${this.columns.size} were given.")
        }
        this.columns.forEach { Identifiers.requireColumn(it, "key column") }
        if (this.columns.toSet().size != this.columns.size) throw InvalidInputException("A key column appears twice in $columns.")
    }

    override fun toString(): String = "AlternateKeySpec($schemaName, $columns)"

    public companion object {
        /** The most columns a key can have. */
        public const val MAX_COLUMNS: Int = 16
    }
}

/** An alternate key's definition, as read from the table's `Keys`. */
public class AlternateKeyInfo public constructor(
    /** The schema name. */
    public val schemaName: String,
    /** The logical name. */
    public val logicalName: String,
    /** The key's columns (logical names). */
    public val columns: List<String>,
    /** The display name in the user's language; `null` when it has none. */
    public val displayName: String?,
    /** The state of the key's index. */
    public val status: KeyIndexStatus,
    /** The id of the key's metadata. */
    public val metadataId: UUID,
) {
    override fun equals(other: Any?): Boolean =
        other is AlternateKeyInfo && other.metadataId == metadataId && other.status == status

    override fun hashCode(): Int = metadataId.hashCode()

    override fun toString(): String = "AlternateKeyInfo($schemaName, $columns, $status)"
}
