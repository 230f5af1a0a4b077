package dev.dataverse.internal.protocol

import dev.dataverse.RecordKey
import dev.dataverse.TableType
import dev.dataverse.internal.protocol.json.JsonReader
import dev.dataverse.internal.protocol.json.JsonDocuments
import dev.dataverse.internal.protocol.json.JsonWriter
import io.ktor.http.HttpMethod
import kotlinx.serialization.json.JsonElement
import java.util.UUID

/**
 * The bulk actions bound to a table's entity set (Learn: "Use bulk operation messages"; Web API reference
 * CreateMultiple, UpdateMultiple, UpsertMultiple, DeleteMultiple): `POST {set}/Microsoft.Dynamics.CRM.<action>` with
 * `{"Targets":[...]}`, each target an object carrying `@odata.type`. Targets come prepared
 * ([dev.dataverse.internal.WritePreparer] with a bulk-target shape); this writes them side by side into one body and
 * reads the ids a `CreateMultiple` answers.
 */
internal object BulkCodec {
    const val CREATE_MULTIPLE: String = "CreateMultiple"
    const val UPDATE_MULTIPLE: String = "UpdateMultiple"
    const val UPSERT_MULTIPLE: String = "UpsertMultiple"
    const val DELETE_MULTIPLE: String = "DeleteMultiple"

    /**
     * `POST {set}/Microsoft.Dynamics.CRM.<action>` of [targets], each a JSON object. Replay-safe: creates carry the ids the
     * client assigned, updates and upserts write the same values again, deletes find nothing the second time. An elastic
     * table's request asks for the per-record statuses of a partial failure ([BulkItemStatuses]).
     */
    fun action(table: TableMetadata, action: String, targets: List<RequestBody.Bytes>): ApiRequest {
        val writer = JsonWriter(targets.sumOf { it.length + 1 } + FRAME)
        writer.ascii("{\"Targets\":[")
        targets.forEachIndexed { index, target ->
            if (index > 0) writer.ascii(",")
            writer.bytes(target.bytes, 0, target.length)
        }
        writer.ascii("]}")
        val headers = if (table.tableType == TableType.ELASTIC) listOf("Prefer" to BulkItemStatuses.PREFER) else emptyList()
        return ApiRequest(HttpMethod.Post, "${table.entitySetName}/Microsoft.Dynamics.CRM.$action", headers, writer.toBody(), idempotent = true)
    }

    /**
     * A `DeleteMultiple` target: `{"<primary id>": id, "partitionid": p, "@odata.type": ...}` (Learn: "Bulk operations with
     * elastic tables"). `null` for a key without a primary id, which only a single delete can address.
     */
    fun deleteTarget(table: TableMetadata, key: RecordKey): RequestBody.Bytes? {
        val id = key.id ?: (key.alternateKey[table.primaryIdAttribute] as? UUID) ?: return null
        if (key.id == null && key.alternateKey.keys.any { it != table.primaryIdAttribute && it != RecordKey.PARTITION_ID_COLUMN }) return null
        val partition = key.partitionId ?: key.alternateKey[RecordKey.PARTITION_ID_COLUMN]?.toString()
        val writer = JsonWriter().beginObject().name(table.primaryIdAttribute).value(id.toString())
        partition?.let { writer.name(RecordKey.PARTITION_ID_COLUMN).value(it) }
        return writer.name("@odata.type").value("Microsoft.Dynamics.CRM.${table.logicalName}").endObject().toBody()
    }

    /**
     * How an `UpdateMultiple` or `UpsertMultiple` target names its record: by primary id (and an elastic table's
     * partition), else by its alternate key as `@odata.id` (a path relative to the API root, as Learn's
     * UpsertMultiple example shows).
     */
    fun addressing(table: TableMetadata, key: RecordKey): Map<String, Any?> {
        val id = key.id ?: return mapOf("@odata.id" to QueryStrings.recordPath(table, key))
        return if (key.partitionId == null) mapOf(table.primaryIdAttribute to id) else mapOf(table.primaryIdAttribute to id, RecordKey.PARTITION_ID_COLUMN to key.partitionId)
    }

    /**
     * The `Ids` member of a `CreateMultiple` answer (`{"Ids":["<guid>",...]}`, a list as long as the chunk), or `null`
     * when the answer has none; read without a tree of the rest of the answer.
     */
    fun createdIds(response: ApiResponse): JsonElement? = JsonDocuments.read(response.body, CREATE_MULTIPLE) { reader ->
        if (reader.peek() != JsonReader.Kind.OBJECT) throw JsonDocuments.notAnObject(CREATE_MULTIPLE)
        var ids: JsonElement? = null
        reader.beginObject()
        while (reader.hasNext()) {
            if (reader.nextName() == IDS) ids = reader.nextElement() else reader.skipValue()
        }
        reader.endObject()
        ids
    }

    private const val IDS = "Ids"
    private const val FRAME = 16
}
