package dev.dataverse.emulator.internal.query

import dev.dataverse.emulator.internal.model.ColumnDefinition
import dev.dataverse.emulator.internal.model.TableDefinition
import dev.dataverse.emulator.internal.odata.ValueKind
import dev.dataverse.emulator.internal.records.ColumnValues
import dev.dataverse.emulator.internal.store.StoredRecord
import java.util.UUID

/** A table occurrence in a query: the root table (index 0) or a joined one, named [alias] in conditions and results. */
internal class QuerySource(val index: Int, val table: TableDefinition, val alias: String)

/** A column of one source of a query. */
internal class SourceColumn(val source: QuerySource, val column: ColumnDefinition) {
    /** How conditions and sorting treat the column's values. */
    val kind: ValueKind = ColumnValues.kind(column)

    /** The stored value in [row]; null when the column is empty or the source has no record in the row. */
    fun stored(row: JoinedRow): Any? = row[source.index]?.get(column.logicalName)

    /** The normalized value in [row], as conditions and sorting compare it. */
    fun read(row: JoinedRow): Any? = ColumnValues.normalize(stored(row))

    /** `alias.column`, for messages. */
    override fun toString(): String = "${source.alias}.${column.logicalName}"
}

/** A row of a query: one record per source, null where an outer join found no match. Never changed once built. */
internal class JoinedRow private constructor(private val records: Array<StoredRecord?>) {
    /** The record of source [index], or null. */
    operator fun get(index: Int): StoredRecord? = records[index]

    /** The record of the root source. */
    val root: StoredRecord get() = records[0]!!

    /** The primary ids of the records, per source (null where there is none). */
    fun ids(): List<UUID?> = records.map { it?.id }

    /** This row with [record] as the record of source [index]. */
    fun with(index: Int, record: StoredRecord?): JoinedRow = JoinedRow(records.copyOf().also { it[index] = record })

    companion object {
        /** A row of [sourceCount] sources holding only [root]. */
        fun of(root: StoredRecord, sourceCount: Int): JoinedRow = JoinedRow(arrayOfNulls<StoredRecord>(sourceCount).also { it[0] = root })
    }
}

/** A condition on query rows, answering true, false or unknown (null), as [dev.dataverse.emulator.internal.odata.ThreeValued] builds them. */
internal typealias RowTest = (JoinedRow) -> Boolean?
