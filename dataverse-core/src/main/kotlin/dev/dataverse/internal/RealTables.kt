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
import dev.dataverse.internal.protocol.MetadataPaths
import dev.dataverse.internal.protocol.ODataLiterals
import dev.dataverse.internal.protocol.QueryStrings
import dev.dataverse.internal.protocol.Responses
import dev.dataverse.internal.protocol.SchemaPayloads
import dev.dataverse.internal.protocol.SchemaResponses
import dev.dataverse.internal.transport.ApiRequest
import dev.dataverse.internal.transport.RequestBody
import dev.dataverse.internal.transport.ApiResponse
import dev.dataverse.internal.transport.HttpTransport
import dev.dataverse.internal.transport.operation
import io.ktor.http.HttpMethod
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.withContext
import kotlinx.serialization.json.JsonObject
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

    override suspend fun get(table: String): TableInfo = operation(transport, "tables.get", table) { tableInfo(Identifiers.requireTable(table)) }

    override suspend fun list(options: TableListOptions): List<TableInfo> = operation(transport, "tables.list") {
        val filter = listOfNotNull("IsPrivate eq false", "IsCustomEntity eq true".takeIf { options.customOnly }, options.filter?.let { "($it)" })
            .joinToString(" and ")
        val path = "EntityDefinitions" + QueryStrings.queryString(listOf("\$select" to TABLE_SELECT, "\$filter" to filter))
        val response = transport.send(ApiRequest(HttpMethod.Get, path))
        SchemaResponses.values(response.body, "EntityDefinitions").map(SchemaResponses::table).sortedBy { it.logicalName }
    }

    override suspend fun create(table: TableSpec): TableInfo = operation(transport, "tables.create") {
        requireNotNull(table, "table")
        transport.send(ApiRequest(HttpMethod.Post, "EntityDefinitions", body = RequestBody.Json(SchemaPayloads.table(table).toString())))
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
        tableInfo(table.logicalName)
    }

    override suspend fun delete(table: String): Unit = operation(transport, "tables.delete", table) {
        val name = Identifiers.requireTable(table)
        val id = metadataIdOf(name)
        deleteAt("EntityDefinitions($id)")
        metadata.changed(name)
        // Lookups of other tables that pointed at it went with it.
        metadata.navigations.invalidateAll()
    }

    override suspend fun enableChangeTracking(table: String): TableInfo = operation(transport, "tables.enableChangeTracking", table) {
        val name = Identifiers.requireTable(table)
        val definition = Responses.jsonObject(read(MetadataPaths.entity(name), name).body, "EntityDefinitions")
        val current = SchemaResponses.table(definition)
        if (current.changeTrackingEnabled) return@operation current
        transport.send(
            ApiRequest(
                HttpMethod.Put, "EntityDefinitions(${current.metadataId})", headers = listOf("MSCRM.MergeLabels" to "true"),
                body = RequestBody.Json(SchemaPayloads.withChangeTracking(definition).toString()),
            ),
        )
        metadata.changed(name)
        tableInfo(name)
    }

    override suspend fun columns(table: String): List<ColumnInfo> = operation(transport, "tables.columns", table) {
        val name = Identifiers.requireTable(table)
        val response = read(MetadataPaths.entity(name) + "/Attributes", name)
        SchemaResponses.values(response.body, "Attributes").map(SchemaResponses::column).sortedBy { it.logicalName }
    }

    override suspend fun column(table: String, column: String): ColumnInfo = operation(transport, "tables.column", table) {
        val name = Identifiers.requireTable(table)
        val columnName = columnName(column)
        val path = MetadataPaths.attribute(name, columnName)
        SchemaResponses.column(Responses.jsonObject(read(path, name).body, "Attributes"))
    }

    override suspend fun addColumn(table: String, column: ColumnSpec): ColumnInfo = operation(transport, "tables.addColumn", table) {
        val name = Identifiers.requireTable(table)
        requireNotNull(column, "column")
        if (column.type == ColumnType.LOOKUP) {
            createOneToMany(OneToManySpec(column.targetTable!!, name, column.schemaName, column.displayName))
        } else {
            val path = MetadataPaths.entity(name) + "/Attributes"
            transport.send(ApiRequest(HttpMethod.Post, path, body = RequestBody.Json(SchemaPayloads.attribute(column).toString())))
            metadata.changed(name)
        }
        column(name, column.logicalName)
    }

    /** A lookup created by a relationship is removed by deleting the relationship, which the service requires. */
    override suspend fun removeColumn(table: String, column: String): Unit = operation(transport, "tables.removeColumn", table) {
        val name = Identifiers.requireTable(table)
        val info = column(name, column)
        if (info.type == ColumnType.LOOKUP) {
            val relationship = manyToOne(name).firstOrNull { it.referencingAttribute.equals(info.logicalName, ignoreCase = true) }
                ?: throw InvalidInputException("Lookup column '${info.logicalName}' of table '$name' belongs to no relationship this client can delete.")
            deleteRelationship(relationship.schemaName)
        } else {
            deleteAt(MetadataPaths.entity(name) + "/Attributes(${info.metadataId})")
            metadata.changed(name)
        }
    }

    override suspend fun choices(table: String, column: String): ChoiceOptions = operation(transport, "tables.choices", table) {
        metadata.choices.options(Identifiers.requireTable(table), columnName(column))
    }

    override suspend fun relationships(table: String): List<RelationshipInfo> = operation(transport, "tables.relationships", table) {
        val name = Identifiers.requireTable(table)
        val base = MetadataPaths.entity(name)
        val oneToMany = relationshipsAt("$base/OneToManyRelationships", name)
        val manyToMany = relationshipsAt("$base/ManyToManyRelationships", name)
        (oneToMany + manyToOne(name) + manyToMany).distinctBy { it.metadataId }
    }

    override suspend fun relationship(schemaName: String): RelationshipInfo = operation(transport, "tables.relationship") {
        relationship(schemaName, strong = false)
    }

    override suspend fun createRelationship(relationship: RelationshipSpec): RelationshipInfo = operation(transport, "tables.createRelationship") {
        requireNotNull(relationship, "relationship")
        when (relationship) {
            is OneToManySpec -> createOneToMany(relationship)
            is ManyToManySpec -> {
                transport.send(ApiRequest(HttpMethod.Post, "RelationshipDefinitions", body = RequestBody.Json(SchemaPayloads.manyToMany(relationship).toString())))
                metadata.changed(relationship.table1, relationship.table2)
            }
        }
        relationship(relationship.schemaName, strong = true)
    }

    override suspend fun deleteRelationship(schemaName: String): Unit = operation(transport, "tables.deleteRelationship") {
        val info = relationship(schemaName, strong = false)
        deleteAt("RelationshipDefinitions(${info.metadataId})")
        metadata.changed(*listOfNotNull(info.referencedTable, info.referencingTable, info.table1, info.table2).toTypedArray())
    }

    override suspend fun keys(table: String): List<AlternateKeyInfo> = operation(transport, "tables.keys", table) { keysOf(Identifiers.requireTable(table)).second }

    override suspend fun createKey(table: String, key: AlternateKeySpec): AlternateKeyInfo = operation(transport, "tables.createKey", table) {
        val name = Identifiers.requireTable(table)
        requireNotNull(key, "key")
        val path = MetadataPaths.entity(name) + "/Keys"
        transport.send(ApiRequest(HttpMethod.Post, path, body = RequestBody.Json(SchemaPayloads.key(key).toString())))
        metadata.changed(name)
        keyNamed(name, key.schemaName)
    }

    /**
     * Polls [keys] with exponential backoff (0.5 s doubling to 10 s) through the client's delay seam. The timeout
     * counts the waits between polls, not the polls themselves, so a test's no-op delay still times out deterministically.
     */
    override suspend fun awaitKey(table: String, schemaName: String, timeout: Duration): AlternateKeyInfo = operation(transport, "tables.awaitKey", table) {
        val name = Identifiers.requireTable(table)
        if (timeout.isNegative()) throw InvalidInputException("'timeout' cannot be negative, but was $timeout.")
        pollKey(name, schemaName, timeout)
    }

    private suspend fun pollKey(name: String, schemaName: String, timeout: Duration): AlternateKeyInfo {
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
        val name = Identifiers.requireTable(table)
        val key = keyNamed(name, schemaName)
        deleteAt(MetadataPaths.entity(name) + "/Keys(${key.metadataId})")
        metadata.changed(name)
    }

    private suspend fun createOneToMany(spec: OneToManySpec) {
        val referencedId = metadata.get(spec.referencedTable).primaryIdAttribute
        transport.send(ApiRequest(HttpMethod.Post, "RelationshipDefinitions", body = RequestBody.Json(SchemaPayloads.oneToMany(spec, referencedId).toString())))
        metadata.changed(spec.referencedTable, spec.referencingTable)
    }

    private suspend fun relationship(schemaName: String, strong: Boolean): RelationshipInfo {
        if (schemaName.isBlank()) throw InvalidInputException("'schemaName' cannot be blank.")
        val path = "RelationshipDefinitions" + QueryStrings.queryString(listOf("\$filter" to "SchemaName eq ${ODataLiterals.quote(schemaName)}"))
        val response = transport.send(ApiRequest(HttpMethod.Get, path, headers = if (strong) TableMetadataCache.STRONG else emptyList()))
        val found = SchemaResponses.values(response.body, "RelationshipDefinitions").firstOrNull()
            ?: throw response.notFound("There is no relationship with schema name '$schemaName'.")
        return SchemaResponses.relationship(found)
    }

    private suspend fun manyToOne(name: String): List<RelationshipInfo> =
        relationshipsAt(MetadataPaths.entity(name) + "/ManyToOneRelationships", name)

    private suspend fun relationshipsAt(path: String, table: String): List<RelationshipInfo> =
        SchemaResponses.values(read(path, table).body, "Relationships").map { json ->
            // Per-table lists are declared with their derived type, so items carry no @odata.type of their own.
            val typed = if (json.containsKey("@odata.type") || !path.endsWith("ManyToManyRelationships")) json else JsonObject(json + MANY_TO_MANY_TYPE)
            SchemaResponses.relationship(typed)
        }

    private suspend fun keysOf(table: String): Pair<ApiResponse, List<AlternateKeyInfo>> {
        val response = read(MetadataPaths.entity(table) + "/Keys", table)
        return response to SchemaResponses.values(response.body, "Keys").map(SchemaResponses::key)
    }

    private suspend fun keyNamed(table: String, schemaName: String): AlternateKeyInfo {
        val (response, keys) = keysOf(table)
        return keys.firstOrNull { it.schemaName.equals(schemaName, ignoreCase = true) }
            ?: throw response.notFound("Table '$table' has no alternate key '$schemaName'.")
    }

    private suspend fun tableInfo(name: String): TableInfo {
        val path = MetadataPaths.entity(name) + QueryStrings.queryString(listOf("\$select" to TABLE_SELECT))
        return SchemaResponses.table(Responses.jsonObject(read(path, name).body, "EntityDefinitions"))
    }

    private suspend fun metadataIdOf(name: String): UUID = metadata.get(name).metadataId ?: tableInfo(name).metadataId

    private suspend fun read(path: String, table: String): ApiResponse =
        transport.send(ApiRequest(HttpMethod.Get, path, headers = metadata.consistency(table)))

    private suspend fun deleteAt(path: String) {
        try {
            transport.send(ApiRequest(HttpMethod.Delete, path, headers = listOf("If-Match" to "*")))
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
        const val TABLE_SELECT =
            "MetadataId,LogicalName,SchemaName,EntitySetName,PrimaryIdAttribute,PrimaryNameAttribute,DisplayName," +
                "DisplayCollectionName,IsCustomEntity,OwnershipType,ChangeTrackingEnabled,TableType"
        val FIRST_POLL_DELAY = 500.milliseconds
        val MAX_POLL_DELAY = 10.seconds
        val MANY_TO_MANY_TYPE = "@odata.type" to kotlinx.serialization.json.JsonPrimitive("#Microsoft.Dynamics.CRM.ManyToManyRelationshipMetadata")
    }
}
