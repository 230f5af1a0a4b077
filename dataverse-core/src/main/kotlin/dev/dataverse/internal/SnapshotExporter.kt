package dev.dataverse.internal

import dev.dataverse.InvalidInputException
import dev.dataverse.NotFoundException
import dev.dataverse.internal.protocol.SchemaCodec
import dev.dataverse.internal.protocol.SnapshotCodec
import dev.dataverse.internal.protocol.TableName
import dev.dataverse.internal.transport.HttpTransport
import dev.dataverse.schema.CustomApiSchema
import dev.dataverse.schema.SchemaDriftReport
import dev.dataverse.schema.SchemaSnapshot
import dev.dataverse.schema.TableSchema

/**
 * Reads a schema snapshot from the environment through [SnapshotCodec]'s requests, and compares one with it. Reads carry
 * no cache: a snapshot is what the service says now.
 */
internal class SnapshotExporter(private val transport: HttpTransport) {

    /**
     * The snapshot of [tables] and [customApis]. Every name is checked before anything is sent; a table or custom API
     * the environment lacks raises [NotFoundException] naming it, and no snapshot is returned.
     */
    suspend fun export(tables: List<String>, customApis: List<String>, source: String?): SchemaSnapshot {
        val (tableNames, apiNames) = names(tables, customApis)
        val exported = tableNames.map { name ->
            try {
                table(name)
            } catch (e: NotFoundException) {
                throw NotFoundException(
                    "Cannot export the schema snapshot: the environment has no table '$name'. ${e.serviceMessage ?: ""}".trim(),
                    e, e.statusCode, e.errorCode, e.serviceRequestId, e.clientRequestId, e.correlationId, false, null,
                )
            }
        }
        val apis = customApis(apiNames)
        val missing = apiNames.filter { name -> apis.none { it.uniqueName.equals(name, ignoreCase = true) } }
        if (missing.isNotEmpty()) {
            throw NotFoundException(
                "Cannot export the schema snapshot: the environment has no custom API ${missing.joinToString { "'$it'" }} (customapis).",
                null, 0, null, null, null, null, false, null,
            )
        }
        return SchemaSnapshot(exported, apis, source)
    }

    /** The environment's differences from [snapshot]: its tables and custom APIs read now and compared. */
    suspend fun check(snapshot: SchemaSnapshot): SchemaDriftReport {
        val tables = snapshot.tables.mapNotNull { table ->
            try {
                table(TableName.trusted(table.logicalName))
            } catch (_: NotFoundException) {
                null
            }
        }
        val apis = customApis(snapshot.customApis.map { it.uniqueName })
        return snapshot.diff(SchemaSnapshot(tables, apis))
    }

    private fun names(tables: List<String>, customApis: List<String>): Pair<List<TableName>, List<String>> {
        if (tables.isEmpty() && customApis.isEmpty()) {
            throw InvalidInputException("A schema snapshot needs at least one table or custom API; both lists are empty.")
        }
        val tableNames = tables.map { TableName.of(it) }.distinctBy { it.value }
        val apiNames = customApis.map { SnapshotCodec.requireCustomApiName(it) }.distinctBy { it.lowercase() }
        return tableNames to apiNames
    }

    private suspend fun table(name: TableName): TableSchema {
        val definition = transport.send(SnapshotCodec.table(name))
        val oneToMany = SnapshotCodec.relationships(transport.send(SnapshotCodec.relationships(name, SchemaCodec.RelationshipList.ONE_TO_MANY)), SchemaCodec.RelationshipList.ONE_TO_MANY, name.value)
        val manyToOne = SnapshotCodec.relationships(transport.send(SnapshotCodec.relationships(name, SchemaCodec.RelationshipList.MANY_TO_ONE)), SchemaCodec.RelationshipList.MANY_TO_ONE, name.value)
        val manyToMany = SnapshotCodec.relationships(transport.send(SnapshotCodec.relationships(name, SchemaCodec.RelationshipList.MANY_TO_MANY)), SchemaCodec.RelationshipList.MANY_TO_MANY, name.value)
        val choices = SnapshotCodec.ChoiceCast.entries.flatMap { cast ->
            SnapshotCodec.choices(transport.send(SnapshotCodec.choices(name, cast)), cast).entries
        }.associate { it.key to it.value }
        val columns = SnapshotCodec.columns(transport.send(SnapshotCodec.attributes(name)), choices, manyToOne)
        val keys = SnapshotCodec.keys(transport.send(SnapshotCodec.keys(name)))
        // A self-referential many-to-many relationship is listed once: as seen from its first table.
        return SnapshotCodec.table(definition, columns, keys, (oneToMany + manyToOne + manyToMany.distinctBy { it.schemaName }))
    }

    private suspend fun customApis(names: List<String>): List<CustomApiSchema> =
        names.chunked(SnapshotCodec.CUSTOM_API_CHUNK).flatMap { chunk -> SnapshotCodec.customApis(transport.send(SnapshotCodec.customApis(chunk))) }
}
