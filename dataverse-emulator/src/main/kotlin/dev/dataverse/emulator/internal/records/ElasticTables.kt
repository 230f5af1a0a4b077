package dev.dataverse.emulator.internal.records

import dev.dataverse.emulator.internal.ApiErrors
import dev.dataverse.emulator.internal.ApiException
import dev.dataverse.emulator.internal.ErrorCodes
import dev.dataverse.emulator.internal.http.ApiCall
import dev.dataverse.emulator.internal.model.AlternateKeyDefinition
import dev.dataverse.emulator.internal.model.ColumnDefinition
import dev.dataverse.emulator.internal.model.ColumnFactory
import dev.dataverse.emulator.internal.model.ColumnType
import dev.dataverse.emulator.internal.model.StableIds
import dev.dataverse.emulator.internal.model.TableDefinition
import dev.dataverse.emulator.internal.odata.PercentCoding
import dev.dataverse.emulator.internal.store.StoredRecord

/**
 * What elastic tables (`TableType: Elastic`) change, after Learn "Elastic tables", "Create elastic tables using code"
 * and "Use elastic tables using code":
 *
 * - Every elastic table has a `partitionid` string column, a `ttlinseconds` integer column and the alternate key
 *   `KeyForNoSqlEntityWithPKPartitionId` over its primary id and `partitionid` ([withElasticColumns]).
 * - A record created without a `partitionid` gets its own primary id as partition; the partition cannot change later.
 * - A record is found by primary id only within its partition: the partition named by the `partitionId` query parameter
 *   (GET and DELETE), by the body (PATCH), or by default the primary id itself ([inPartition]).
 * - Money, file, image, multi-select choice columns and many-to-many relationships are refused.
 * - Writes are not part of transactions: a change set or a bulk request that fails part-way keeps what it wrote.
 *
 * One simplification, documented in the README: the service lets two partitions hold records with the same primary id;
 * the emulator keeps primary ids unique per table and answers such a create as a duplicate.
 */
internal object ElasticTables {
    const val PARTITION_ID: String = "partitionid"
    const val TIME_TO_LIVE: String = "ttlinseconds"
    const val KEY_SCHEMA_NAME: String = "KeyForNoSqlEntityWithPKPartitionId"

    /** Column types Learn ("Create elastic tables using code", Adding Columns) says elastic tables cannot have. */
    private val UNSUPPORTED = setOf(ColumnType.MONEY, ColumnType.MULTI_SELECT_PICKLIST, ColumnType.FILE, ColumnType.IMAGE)

    /** [table] with the columns and the alternate key every elastic table has. */
    fun withElasticColumns(table: TableDefinition): TableDefinition {
        val factory = ColumnFactory(table.logicalName)
        val columns = table.columns + listOf(
            factory.text(PARTITION_ID, "PartitionId", "Partition Id", MAX_PARTITION_ID_LENGTH),
            factory.integer(TIME_TO_LIVE, "TTLInSeconds", "Time to live", 0, Int.MAX_VALUE.toLong()),
        )
        val key = AlternateKeyDefinition(
            logicalName = KEY_SCHEMA_NAME.lowercase(),
            schemaName = KEY_SCHEMA_NAME,
            displayName = "Entity key for NoSql Entity that contains PrimaryKey and PartitionId attributes",
            keyAttributes = listOf(table.primaryIdAttribute, PARTITION_ID),
            metadataId = StableIds.of("key:${table.logicalName}:$KEY_SCHEMA_NAME"),
        )
        return table.copy(columns = columns, keys = table.keys + key)
    }

    /** Refuses a column an elastic table cannot have. */
    fun requireSupported(table: TableDefinition, column: ColumnDefinition) {
        if (table.isElastic && column.type in UNSUPPORTED) {
            // A guess: Learn lists the unsupported types, not the service's wording or code for refusing one.
            throw ApiErrors.badRequest("Columns of type ${column.type} are not supported on elastic table '${table.logicalName}'.")
        }
    }

    /** Refuses a many-to-many relationship with an elastic table (Learn: "Create elastic tables using code"). */
    fun requireNotElastic(table: TableDefinition?, what: String) {
        if (table?.isElastic == true) {
            // A guess at the wording: Learn says only that such relationships are not supported.
            throw ApiErrors.badRequest("$what is not supported for elastic table '${table.logicalName}'.")
        }
    }

    /** The partition a record lives in. */
    fun partitionOf(record: StoredRecord): String? = record[PARTITION_ID] as String?

    /** Whether [record] lives in [partition]; partition ids compare as alternate key values do, ignoring case. */
    fun inPartition(record: StoredRecord, partition: String): Boolean = partitionOf(record)?.equals(partition, ignoreCase = true) == true

    /**
     * [key] with the partition of the `partitionId` query parameter, for GET and DELETE by primary id on an elastic
     * table (Learn: "Use elastic tables using code", Using partitionId parameter). POST and PATCH ignore the parameter,
     * as the service does. The value may be quoted (`'device-001'`) or bare (`device-001`); Learn shows both.
     */
    fun withPartitionParameter(table: TableDefinition, key: RecordKey, call: ApiCall): RecordKey {
        if (!table.isElastic || key !is RecordKey.ById || call.method !in setOf("GET", "DELETE")) return key
        val value = call.target.option(PARTITION_PARAMETER)?.let(::unquote) ?: return key
        return key.copy(partitionId = value)
    }

    /**
     * [filter] limited to the partition the `partitionId` query parameter names, for a query of an elastic table (Learn:
     * "Use elastic tables using code", Query rows of an elastic table); [filter] itself otherwise.
     */
    fun withPartitionFilter(table: TableDefinition, call: ApiCall, filter: ((StoredRecord) -> Boolean)?): ((StoredRecord) -> Boolean)? {
        if (!table.isElastic) return filter
        val partition = call.target.option(PARTITION_PARAMETER)?.let(::unquote) ?: return filter
        return { record -> inPartition(record, partition) && (filter == null || filter(record)) }
    }

    /** A parameter value quoted (`'device-001'`, quotes doubled inside) or bare (`device-001`); Learn shows both. */
    private fun unquote(raw: String): String {
        val value = if (raw.length >= 2 && raw.startsWith("'") && raw.endsWith("'")) raw.substring(1, raw.length - 1).replace("''", "'") else raw
        if (value.isEmpty()) throw ApiErrors.badRequest("The partitionId query parameter cannot be empty.")
        return value
    }

    /** The key of [record] inside the parentheses of its URL: `<id>`, or `<primary id>=<id>,partitionid='<p>'` when elastic. */
    fun keyText(table: TableDefinition, record: StoredRecord): String {
        val partition = partitionOf(record)
        if (!table.isElastic || partition == null) return record.id.toString()
        // Percent-encoded, so that any partition id fits a header and a URL; quotes stay literal (doubled) inside the literal.
        val literal = PercentCoding.encodeQuery(partition.replace("'", "''")).replace("%27", "'")
        return "${table.primaryIdAttribute}=${record.id},$PARTITION_ID='$literal'"
    }

    /** A write that would move an existing record to another partition. */
    fun requireSamePartition(table: TableDefinition, existing: StoredRecord, changes: Map<String, Any?>) {
        if (!table.isElastic || !changes.containsKey(PARTITION_ID)) return
        val requested = changes[PARTITION_ID] as String?
        if (requested == null || !inPartition(existing, requested)) {
            // A guess at the wording: Learn says only that a record's partitionid cannot change once set.
            throw ApiException(400, ErrorCodes.INVALID_ARGUMENT, "The value of '$PARTITION_ID' of an existing record of elastic table '${table.logicalName}' cannot be changed.")
        }
    }

    /** The query parameter naming the partition (Learn: must be spelled `partitionId`; matched here ignoring case). */
    const val PARTITION_PARAMETER: String = "partitionId"

    /** Learn ("Elastic tables", Choosing a PartitionId value): values are no larger than 1024 bytes. */
    private const val MAX_PARTITION_ID_LENGTH = 1024
}
