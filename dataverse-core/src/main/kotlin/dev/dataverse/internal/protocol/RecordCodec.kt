package dev.dataverse.internal.protocol

import dev.dataverse.DataverseRecord
import dev.dataverse.InvalidInputException
import dev.dataverse.MatchConditions
import dev.dataverse.MalformedResponseException
import dev.dataverse.RecordKey
import dev.dataverse.RetrieveOptions
import dev.dataverse.internal.protocol.Responses.optionalString
import dev.dataverse.internal.protocol.json.JsonWriter
import io.ktor.http.HttpMethod
import java.util.UUID

/**
 * The requests of single-record operations and the reading of their answers (Learn: "Create a table row using the Web
 * API", "Retrieve a table row using the Web API", "Update and delete table rows using the Web API", "Use Upsert to
 * Create or Update a record", "Associate and disassociate table rows using the Web API"). Pure: bodies come prepared
 * ([dev.dataverse.internal.WritePreparer]), answers are read from their bytes.
 */
internal object RecordCodec {
    /** What a write asks the service to send back. */
    sealed class Returned {
        /** Nothing: `204 No Content`, the id in `OData-EntityId`. */
        data object Nothing : Returned()

        /** The smallest representation that carries the id and the new `@odata.etag`: `?$select=<primary id>`. */
        data object IdAndEtag : Returned()

        /** The record as [options] select it ("Create with data returned", "Update with data returned"). */
        class Record(val options: RetrieveOptions) : Returned()
    }

    /** `POST {set}`: a create, with the id the client assigned in its body. Replay-safe: a replay meets a duplicate of that id. */
    fun create(table: TableMetadata, body: RequestBody.Bytes, returned: Returned): ApiRequest =
        ApiRequest(HttpMethod.Post, table.entitySetName + query(table, returned), preferences(returned), body, idempotent = true)

    /**
     * `PATCH {set}(key)` with `If-Match`: an update, never a create. [conditions] gives the caller's ETag, else any version
     * (`*`). Writing the same values twice is harmless, but a second attempt with an ETag would trip on its own first.
     */
    fun update(table: TableMetadata, key: RecordKey, body: RequestBody.Bytes, conditions: MatchConditions, returned: Returned): ApiRequest = ApiRequest(
        HttpMethod.Patch,
        QueryStrings.recordPath(table, key) + query(table, returned),
        Conditions.headers(conditions, ConditionalWrite.UPDATE) + preferences(returned),
        body,
        idempotent = Conditions.isReplaySafe(conditions),
    )

    /**
     * `PATCH {set}(key)`: without a condition it creates the record when the key finds none; `If-None-Match: *` makes it
     * create-only, `If-Match` update-only (Learn: "Perform conditional operations using the Web API", limit upsert
     * operations). A second attempt of a conditional upsert could trip on its own first, so it is not replayed.
     */
    fun upsert(table: TableMetadata, key: RecordKey, body: RequestBody.Bytes, conditions: MatchConditions, returned: Returned): ApiRequest = ApiRequest(
        HttpMethod.Patch,
        QueryStrings.recordPath(table, key) + query(table, returned),
        Conditions.headers(conditions, ConditionalWrite.UPSERT) + preferences(returned),
        body,
        idempotent = Conditions.isReplaySafe(conditions),
    )

    /** `GET {set}(key)?$select=...&$expand=...`, with the annotations preference when asked for. */
    fun get(table: TableMetadata, key: RecordKey, options: RetrieveOptions): ApiRequest = ApiRequest(
        HttpMethod.Get,
        QueryStrings.recordPath(table, key) + QueryStrings.retrieveQuery(options),
        headers = QueryStrings.readPreferences(pageSize = null, includeAnnotations = options.includeAnnotations)?.let { listOf("Prefer" to it) }.orEmpty(),
    )

    /** `GET {set}(key)?$select=<primary id>`: the id of a record known by an alternate key. */
    fun readBackId(table: TableMetadata, key: RecordKey): ApiRequest = ApiRequest(
        HttpMethod.Get,
        QueryStrings.recordPath(table, key) + QueryStrings.queryString(listOf("\$select" to table.primaryIdAttribute)),
    )

    /**
     * `DELETE {set}(key)`, with `If-Match` when [conditions] give one (an ETag: delete only that version). A second attempt
     * after an applied first finds the record gone (404), which the caller recognises, so it may be sent again.
     */
    fun delete(table: TableMetadata, key: RecordKey, conditions: MatchConditions = MatchConditions.NONE): ApiRequest =
        ApiRequest(HttpMethod.Delete, QueryStrings.recordPath(table, key), Conditions.headers(conditions, ConditionalWrite.DELETE))

    /**
     * `PUT {set}(id)/{lookup}/$ref` for a single-valued navigation property, else `POST {set}(id)/{collection}/$ref`, with
     * `{"@odata.id":"<api>/<target set>(<target id>)"}`. A retried POST that meets its own first (a duplicate
     * association) has done what was asked, so it may be sent again.
     */
    fun associate(table: TableMetadata, id: UUID, navigation: String, singleValued: Boolean, apiUrl: String, target: TableMetadata, targetId: UUID): ApiRequest {
        val reference = JsonWriter().beginObject().name("@odata.id").value("$apiUrl/${target.entitySetName}($targetId)").endObject().toBody()
        val path = "${table.entitySetName}($id)/${UrlEncoding.pathSegment(navigation)}/\$ref"
        return if (singleValued) ApiRequest(HttpMethod.Put, path, body = reference) else ApiRequest(HttpMethod.Post, path, body = reference, idempotent = true)
    }

    /** `DELETE {set}(id)/{lookup}/$ref`, or `DELETE {set}(id)/{collection}({target id})/$ref`. */
    fun disassociate(table: TableMetadata, id: UUID, navigation: String, targetId: UUID?): ApiRequest {
        val segment = UrlEncoding.pathSegment(navigation)
        val path = if (targetId == null) "${table.entitySetName}($id)/$segment/\$ref" else "${table.entitySetName}($id)/$segment($targetId)/\$ref"
        return ApiRequest(HttpMethod.Delete, path)
    }

    /** A write cannot return expanded records: checked before anything is prepared or sent. */
    fun requireReturnable(options: RetrieveOptions) {
        @Suppress("SENSELESS_COMPARISON") // Java callers can pass nulls.
        if (options == null) throw InvalidInputException("'options' cannot be null.")
        if (options.expand.isNotEmpty()) throw InvalidInputException("A write cannot return expanded records: remove 'expand', and read them with get().")
    }

    /** The record of a read's answer. */
    fun record(response: ApiResponse, table: TableMetadata): DataverseRecord =
        Responses.record(response.body, table.logicalName, table.primaryIdAttribute)

    /**
     * The id of the record a create wrote: from `OData-EntityId` (or `Location`), which must name [assigned], the id the
     * client gave it; [assigned] itself when the header does not name it by id.
     */
    fun createdId(response: ApiResponse, table: TableMetadata, assigned: UUID): UUID =
        Responses.entityId(entityIdHeader(response), table.primaryIdAttribute, expected = assigned) ?: assigned

    /**
     * The id of the record a PATCH wrote: from the representation, else from `OData-EntityId` when it names the record by
     * id, else the key's own id; `null` when none of them gives it (a write by alternate key answered without a
     * representation, its `OData-EntityId` naming the record by that key).
     */
    fun writtenId(response: ApiResponse, table: TableMetadata, key: RecordKey, returned: Returned): UUID? {
        if (returned != Returned.Nothing && !response.body.isEmpty()) {
            Responses.jsonObject(response.body, "record").optionalString(table.primaryIdAttribute)?.let {
                return ServerValues.guid(it, "the primary id '${table.primaryIdAttribute}'").also { id ->
                    if (key.id != null && id != key.id) throw MalformedResponseException("The response names record $id, but the request wrote record ${key.id}.")
                }
            }
        }
        return Responses.entityId(entityIdHeader(response), table.primaryIdAttribute, expected = key.id) ?: key.id
    }

    /** The `@odata.etag` of a representation the write asked for; `null` without one. */
    fun bodyEtag(response: ApiResponse, returned: Returned): String? =
        if (returned != Returned.Nothing && !response.body.isEmpty()) Responses.jsonObject(response.body, "record").optionalString(Responses.ETAG) else null

    /** The record a write returned ([Returned.Record]); its id must be the one written, when the client knows it. */
    fun written(response: ApiResponse, table: TableMetadata, expected: UUID?): DataverseRecord {
        if (response.body.isBlank()) {
            throw MalformedResponseException("The service answered a write asking for return=representation without the record.")
        }
        val record = record(response, table)
        val id = record.getUuid(table.primaryIdAttribute)
        if (expected != null && id != null && id != expected) {
            throw MalformedResponseException("The service returned record $id for a write of record $expected.")
        }
        return record
    }

    /** The id in a record read back by [readBackId]. */
    fun readBackId(response: ApiResponse, table: TableMetadata, key: RecordKey): UUID {
        return record(response, table).getUuid(table.primaryIdAttribute)
            ?: throw MalformedResponseException("The record read back by $key has no '${table.primaryIdAttribute}'.")
    }

    private fun entityIdHeader(response: ApiResponse): String? = response.header("OData-EntityId") ?: response.header("Location")

    private fun query(table: TableMetadata, returned: Returned): String = when (returned) {
        Returned.Nothing -> ""
        Returned.IdAndEtag -> QueryStrings.queryString(listOf("\$select" to table.primaryIdAttribute))
        is Returned.Record -> QueryStrings.retrieveQuery(returned.options)
    }

    private fun preferences(returned: Returned): List<Pair<String, String>> = when (returned) {
        Returned.Nothing -> emptyList()
        Returned.IdAndEtag -> listOf("Prefer" to RETURN_REPRESENTATION)
        is Returned.Record -> listOf(
            "Prefer" to listOfNotNull(RETURN_REPRESENTATION, QueryStrings.readPreferences(null, returned.options.includeAnnotations)).joinToString(","),
        )
    }

    private const val RETURN_REPRESENTATION = "return=representation"
}
