package dev.dataverse.internal

import dev.dataverse.AlternateKeyInfo
import dev.dataverse.AlternateKeySpec
import dev.dataverse.ChoiceOptions
import dev.dataverse.ColumnInfo
import dev.dataverse.ColumnSpec
import dev.dataverse.ColumnType
import dev.dataverse.InvalidInputException
import dev.dataverse.KeyIndexStatus
import dev.dataverse.ManyToManySpec
import dev.dataverse.NotFoundException
import dev.dataverse.OneToManySpec
import dev.dataverse.RelationshipInfo
import dev.dataverse.RelationshipSpec
import dev.dataverse.RelationshipType
import dev.dataverse.RequestTimeoutException
import dev.dataverse.TableInfo
import dev.dataverse.TableListOptions
import dev.dataverse.TableSpec
import dev.dataverse.Tables
import dev.dataverse.internal.protocol.Identifiers
import dev.dataverse.schema.SchemaDriftReport
import dev.dataverse.schema.SchemaSnapshot
import dev.dataverse.internal.protocol.SchemaCodec
import dev.dataverse.internal.protocol.SchemaResponses
import dev.dataverse.internal.protocol.TableName
import dev.dataverse.internal.protocol.ApiRequest
import dev.dataverse.internal.protocol.ApiResponse
import dev.dataverse.internal.transport.HttpTransport
import dev.dataverse.internal.transport.operation
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.withContext
import kotlin.time.Duration
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds
import java.util.UUID

/**
 * [Tables] over the metadata Web API (WIRE.md §7). Every change goes through [TableMetadataCache.changed] for the
 * tables it touches, so cached entity sets, columns, choices and navigations are dropped and the reads that follow
 * (including the re-read each create returns) carry `Consistency: Strong`.
 */
internal class RealTables(
    private val transport: HttpTransport,
    private val metadata: TableMetadataCache,
    private val settings: ClientSettings,
) : Tables {

    override suspend fun get(table: String): TableInfo = operation(transport, "tables.get", table) { tableInfo(TableName.of(table)) }

    override suspend fun list(options: TableListOptions): List<TableInfo> = operation(transport, "tables.list") {
        SchemaCodec.tables(transport.send(SchemaCodec.tables(options)))
    }

    override suspend fun create(table: TableSpec): TableInfo = operation(transport, "tables.create") {
        requireNotNull(table, "table")
        transport.send(SchemaCodec.createTable(table))
        metadata.changed(table.logicalName)
        try {
            for (lookup in table.columns.filter { it.type == ColumnType.LOOKUP }) {
                createOneToMany(OneToManySpec(lookup.targetTable!!, table.logicalName, lookup.schemaName, lookup.displayName))
            }
        } catch (e: Throwable) {
            // The caller asked for the table with its lookups: a table without them is not what was asked for, and
            // leaving it would make the retry fail as a duplicate.
            withContext(NonCancellable) {
                runCatching { delete(table.logicalName) }.exceptionOrNull()?.let(e::addSuppressed)
            }
            throw e
        }
        tableInfo(TableName.trusted(table.logicalName))
    }

    override suspend fun delete(table: String): Unit = operation(transport, "tables.delete", table) {
        val name = TableName.of(table)
        val id = metadataIdOf(name)
        deleteAt(SchemaCodec.deleteTable(id))
        metadata.changed(name.value)
        // Lookups of other tables that pointed at it went with it.
        metadata.navigations.invalidateAll()
    }

    override suspend fun enableChangeTracking(table: String): TableInfo = operation(transport, "tables.enableChangeTracking", table) {
        val name = TableName.of(table)
        val definition = SchemaCodec.definition(transport.send(SchemaCodec.definition(name, metadata.consistency(name))))
        val current = SchemaResponses.table(definition)
        if (current.changeTrackingEnabled) return@operation current
        transport.send(SchemaCodec.enableChangeTracking(current.metadataId, definition))
        metadata.changed(name.value)
        tableInfo(name)
    }

    override suspend fun columns(table: String): List<ColumnInfo> = operation(transport, "tables.columns", table) {
        val name = TableName.of(table)
        SchemaCodec.columns(transport.send(SchemaCodec.columns(name, metadata.consistency(name))))
    }

    override suspend fun column(table: String, column: String): ColumnInfo = operation(transport, "tables.column", table) {
        val name = TableName.of(table)
        val columnName = columnName(column)
        SchemaCodec.column(transport.send(SchemaCodec.column(name, columnName, metadata.consistency(name))))
    }

    override suspend fun addColumn(table: String, column: ColumnSpec): ColumnInfo = operation(transport, "tables.addColumn", table) {
        val name = TableName.of(table)
        requireNotNull(column, "column")
        if (column.type == ColumnType.LOOKUP) {
            createOneToMany(OneToManySpec(column.targetTable!!, name.value, column.schemaName, column.displayName))
        } else {
            transport.send(SchemaCodec.addColumn(name, column))
            metadata.changed(name.value)
        }
        column(name.value, column.logicalName)
    }

    /** A lookup created by a relationship is removed by deleting the relationship, which the service requires. */
    override suspend fun removeColumn(table: String, column: String): Unit = operation(transport, "tables.removeColumn", table) {
        val name = TableName.of(table)
        val info = column(name.value, column)
        if (info.type == ColumnType.LOOKUP) {
            val relationship = relationshipsOf(name, SchemaCodec.RelationshipList.MANY_TO_ONE)
                .firstOrNull { it.referencingAttribute.equals(info.logicalName, ignoreCase = true) }
                ?: throw InvalidInputException("Lookup column '${info.logicalName}' of table '$name' belongs to no relationship this client can delete.")
            deleteRelationship(relationship.schemaName)
        } else {
            deleteAt(SchemaCodec.removeColumn(name, info.metadataId))
            metadata.changed(name.value)
        }
    }

    override suspend fun choices(table: String, column: String): ChoiceOptions = operation(transport, "tables.choices", table) {
        metadata.choices.options(TableName.of(table), columnName(column))
    }

    override suspend fun relationships(table: String): List<RelationshipInfo> = operation(transport, "tables.relationships", table) {
        val name = TableName.of(table)
        val oneToMany = relationshipsOf(name, SchemaCodec.RelationshipList.ONE_TO_MANY)
        val manyToMany = relationshipsOf(name, SchemaCodec.RelationshipList.MANY_TO_MANY)
        (oneToMany + relationshipsOf(name, SchemaCodec.RelationshipList.MANY_TO_ONE) + manyToMany).distinctBy { it.metadataId }
    }

    override suspend fun relationship(schemaName: String): RelationshipInfo = operation(transport, "tables.relationship") {
        relationship(schemaName, strong = false)
    }

    override suspend fun createRelationship(relationship: RelationshipSpec): RelationshipInfo = operation(transport, "tables.createRelationship") {
        requireNotNull(relationship, "relationship")
        when (relationship) {
            is OneToManySpec -> createOneToMany(relationship)
            is ManyToManySpec -> {
                transport.send(SchemaCodec.createManyToMany(relationship))
                metadata.changed(relationship.table1, relationship.table2)
            }
        }
        relationship(relationship.schemaName, strong = true)
    }

    override suspend fun deleteRelationship(schemaName: String): Unit = operation(transport, "tables.deleteRelationship") {
        val info = relationship(schemaName, strong = false)
        deleteAt(SchemaCodec.deleteRelationship(info.metadataId))
        metadata.changed(*listOfNotNull(info.referencedTable, info.referencingTable, info.table1, info.table2).toTypedArray())
    }

    override suspend fun keys(table: String): List<AlternateKeyInfo> = operation(transport, "tables.keys", table) { keysOf(TableName.of(table)).second }

    override suspend fun createKey(table: String, key: AlternateKeySpec): AlternateKeyInfo = operation(transport, "tables.createKey", table) {
        val name = TableName.of(table)
        requireNotNull(key, "key")
        transport.send(SchemaCodec.createKey(name, key))
        metadata.changed(name.value)
        keyNamed(name, key.schemaName)
    }

    /**
     * Polls [keys] with exponential backoff (0.5 s doubling to 10 s) through the client's delay seam. The timeout
     * counts the waits between polls, not the polls themselves, so a test's no-op delay still times out deterministically.
     */
    override suspend fun awaitKey(table: String, schemaName: String, timeout: Duration): AlternateKeyInfo = operation(transport, "tables.awaitKey", table) {
        val name = TableName.of(table)
        if (timeout.isNegative()) throw InvalidInputException("'timeout' cannot be negative, but was $timeout.")
        pollKey(name, schemaName, timeout)
    }

    private suspend fun pollKey(name: TableName, schemaName: String, timeout: Duration): AlternateKeyInfo {
        var waited = Duration.ZERO
        var pause = FIRST_POLL_DELAY
        while (true) {
            val key = keyNamed(name, schemaName)
            if (key.status == KeyIndexStatus.ACTIVE || key.status == KeyIndexStatus.FAILED) return key
            if (waited >= timeout) {
                throw RequestTimeoutException(
                    "The index of key '$schemaName' of table '$name' was still ${key.status} after $timeout.", null, null, sent = false,
                )
            }
            val next = minOf(pause, timeout - waited)
            settings.delay(next)
            waited += next
            pause = minOf(pause * 2, MAX_POLL_DELAY)
        }
    }

    override suspend fun deleteKey(table: String, schemaName: String): Unit = operation(transport, "tables.deleteKey", table) {
        val name = TableName.of(table)
        val key = keyNamed(name, schemaName)
        deleteAt(SchemaCodec.deleteKey(name, key.metadataId))
        metadata.changed(name.value)
    }

    private val snapshots = SnapshotExporter(transport)

    override suspend fun exportSnapshot(tables: List<String>, customApis: List<String>, source: String?): SchemaSnapshot =
        operation(transport, "tables.exportSnapshot") {
            requireNotNull(tables, "tables")
            requireNotNull(customApis, "customApis")
            snapshots.export(tables, customApis, source?.takeIf { it.isNotBlank() })
        }

    override suspend fun checkSnapshot(snapshot: SchemaSnapshot): SchemaDriftReport = operation(transport, "tables.checkSnapshot") {
        requireNotNull(snapshot, "snapshot")
        snapshots.check(snapshot)
    }

    override suspend fun requireSnapshot(snapshot: SchemaSnapshot): Unit = checkSnapshot(snapshot).throwIfDrifted()

    private suspend fun createOneToMany(spec: OneToManySpec) {
        val referencedId = metadata.get(TableName.of(spec.referencedTable)).primaryIdAttribute
        transport.send(SchemaCodec.createOneToMany(spec, referencedId))
        metadata.changed(spec.referencedTable, spec.referencingTable)
    }

    private suspend fun relationship(schemaName: String, strong: Boolean): RelationshipInfo {
        if (schemaName.isBlank()) throw InvalidInputException("'schemaName' cannot be blank.")
        val response = transport.send(SchemaCodec.relationship(schemaName, if (strong) TableMetadataCache.STRONG else emptyList()))
        return SchemaCodec.relationship(response) ?: throw response.notFound("There is no relationship with schema name '$schemaName'.")
    }

    private suspend fun relationshipsOf(name: TableName, list: SchemaCodec.RelationshipList): List<RelationshipInfo> =
        SchemaCodec.relationships(transport.send(SchemaCodec.relationships(name, list, metadata.consistency(name))), list)

    private suspend fun keysOf(name: TableName): Pair<ApiResponse, List<AlternateKeyInfo>> {
        val response = transport.send(SchemaCodec.keys(name, metadata.consistency(name)))
        return response to SchemaCodec.keys(response)
    }

    private suspend fun keyNamed(name: TableName, schemaName: String): AlternateKeyInfo {
        val (response, keys) = keysOf(name)
        return keys.firstOrNull { it.schemaName.equals(schemaName, ignoreCase = true) }
            ?: throw response.notFound("Table '$name' has no alternate key '$schemaName'.")
    }

    private suspend fun tableInfo(name: TableName): TableInfo = SchemaCodec.table(transport.send(SchemaCodec.table(name, metadata.consistency(name))))

    private suspend fun metadataIdOf(name: TableName): UUID = metadata.get(name).metadataId ?: tableInfo(name).metadataId

    private suspend fun deleteAt(request: ApiRequest) {
        try {
            transport.send(request)
        } catch (e: NotFoundException) {
            // An earlier attempt that failed in flight deleted it: the caller's intent is fulfilled.
            if (!e.afterAmbiguousAttempt) throw e
        }
    }

    private fun columnName(column: String): String {
        Identifiers.requireColumn(column)
        return column.lowercase()
    }

    private fun requireNotNull(value: Any?, name: String) {
        if (value == null) throw InvalidInputException("'$name' cannot be null.")
    }

    private companion object {
        val FIRST_POLL_DELAY = 500.milliseconds
        val MAX_POLL_DELAY = 10.seconds
    }
}
