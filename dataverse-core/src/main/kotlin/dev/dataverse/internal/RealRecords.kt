package dev.dataverse.internal

import dev.dataverse.BulkOptions
import dev.dataverse.BulkResult
import dev.dataverse.ChangePager
import dev.dataverse.ChangeTrackingOptions
import dev.dataverse.DuplicateRecordException
import dev.dataverse.EntityReference
import dev.dataverse.InvalidInputException
import dev.dataverse.NotFoundException
import dev.dataverse.RecordChange
import dev.dataverse.ListOptions
import dev.dataverse.Page
import dev.dataverse.DataverseRecord
import dev.dataverse.RecordKey
import dev.dataverse.Pager
import dev.dataverse.Records
import dev.dataverse.Response
import dev.dataverse.MalformedResponseException
import dev.dataverse.RetrieveOptions
import dev.dataverse.internal.protocol.Identifiers
import dev.dataverse.internal.protocol.JsonValues
import dev.dataverse.internal.protocol.Payloads
import dev.dataverse.internal.protocol.QueryStrings
import dev.dataverse.internal.protocol.Responses
import dev.dataverse.internal.protocol.RowLimits
import dev.dataverse.internal.protocol.ServerValues
import dev.dataverse.internal.protocol.Responses.optionalString
import dev.dataverse.internal.protocol.TableMetadata
import dev.dataverse.internal.protocol.TableTypes
import dev.dataverse.internal.protocol.UrlEncoding
import dev.dataverse.internal.protocol.parseGuidOrNull
import dev.dataverse.internal.transport.ApiRequest
import dev.dataverse.internal.transport.ApiResponse
import dev.dataverse.internal.transport.RequestBody
import dev.dataverse.internal.transport.HttpTransport
import dev.dataverse.internal.paging.PageFetcher
import dev.dataverse.internal.paging.RealPager
import dev.dataverse.internal.paging.ChangePages
import dev.dataverse.internal.paging.RealChangePager
import dev.dataverse.internal.transport.operation
import io.ktor.http.HttpMethod
import kotlinx.coroutines.flow.Flow
import kotlinx.serialization.SerializationException
import kotlinx.serialization.SerializationStrategy
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import java.util.UUID

private val LOOKUP_VALUE = Regex("_(.+)_value")

internal class RealRecords(
    private val transport: HttpTransport,
    private val tables: TableMetadataCache,
    private val bulk: RealBulk,
) : Records {

    override suspend fun createMany(table: String, records: List<Map<String, Any?>>, options: BulkOptions): BulkResult =
        bulkOperation { operation(transport, "records.createMany", table) { bulk.createMany(table, records, options) } }

    override suspend fun createMany(table: String, records: Flow<Map<String, Any?>>, options: BulkOptions): BulkResult =
        bulkOperation { operation(transport, "records.createMany", table) { bulk.createMany(table, records, options) } }

    override suspend fun updateMany(table: String, changes: List<RecordChange>, options: BulkOptions): BulkResult =
        bulkOperation { operation(transport, "records.updateMany", table) { bulk.updateMany(table, changes, options) } }

    override suspend fun updateMany(table: String, changes: Flow<RecordChange>, options: BulkOptions): BulkResult =
        bulkOperation { operation(transport, "records.updateMany", table) { bulk.updateMany(table, changes, options) } }

    override suspend fun upsertMany(table: String, changes: List<RecordChange>, options: BulkOptions): BulkResult =
        bulkOperation { operation(transport, "records.upsertMany", table) { bulk.upsertMany(table, changes, options) } }

    override suspend fun upsertMany(table: String, changes: Flow<RecordChange>, options: BulkOptions): BulkResult =
        bulkOperation { operation(transport, "records.upsertMany", table) { bulk.upsertMany(table, changes, options) } }

    override suspend fun deleteMany(table: String, keys: List<RecordKey>, options: BulkOptions): BulkResult =
        bulkOperation { operation(transport, "records.deleteMany", table) { bulk.deleteMany(table, keys, options) } }

    override suspend fun deleteMany(table: String, keys: Flow<RecordKey>, options: BulkOptions): BulkResult =
        bulkOperation { operation(transport, "records.deleteMany", table) { bulk.deleteMany(table, keys, options) } }

    override suspend fun create(table: String, values: Map<String, Any?>): UUID =
        operation(transport, "records.create", table) { createExchange(table, values, representation = false).value }

    override suspend fun createWithResponse(table: String, values: Map<String, Any?>): Response<UUID> =
        operation(transport, "records.createWithResponse", table) { createExchange(table, values, representation = true) }

    /**
     * The primary id is assigned here when the caller did not choose one, so that a retry after a dropped connection can
     * recognise its own earlier success (a duplicate of the id it sent) instead of creating a second record. With
     * [representation], the service answers 201 with the record's primary id and `@odata.etag` (Learn: create-entity-web-api,
     * "Create with data returned"), so the caller gets the new version without a second read.
     */
    private suspend fun createExchange(table: String, values: Map<String, Any?>, representation: Boolean): RealResponse<UUID> {
        val name = Identifiers.requireTable(table)
        val body = payloadJson(tables.choiceLabels.resolve(name, requireValues(values)))
        val metadata = tables.get(name)
        val (id, withId) = withPrimaryId(body, metadata)
        return try {
            val response = transport.send(
                ApiRequest(
                    HttpMethod.Post, metadata.entitySetName + returned(metadata, representation), returning(representation),
                    RequestBody.Json(withId.toString()), idempotent = true,
                ),
            )
            val created = Responses.entityId(response.header("OData-EntityId") ?: response.header("Location"), metadata.primaryIdAttribute, expected = id) ?: id
            RealResponse.of(response, created, bodyEtag(response, representation))
        } catch (e: DuplicateRecordException) {
            if (e.afterAmbiguousAttempt) RealResponse.of(e, id) else throw e
        }
    }

    override suspend fun <T> create(table: String, value: T, serializer: SerializationStrategy<T>): UUID =
        create(table, encode(value, serializer))

    override suspend fun get(table: String, id: UUID, options: RetrieveOptions): DataverseRecord = get(table, RecordKey.id(id), options)

    override suspend fun get(table: String, key: RecordKey, options: RetrieveOptions): DataverseRecord =
        operation(transport, "records.get", table) { getExchange(table, key, options).value }

    override suspend fun getWithResponse(table: String, key: RecordKey, options: RetrieveOptions): Response<DataverseRecord> =
        operation(transport, "records.getWithResponse", table) { getExchange(table, key, options) }

    private suspend fun getExchange(table: String, key: RecordKey, options: RetrieveOptions): RealResponse<DataverseRecord> {
        val name = Identifiers.requireTable(table)
        val metadata = tables.get(name)
        val path = QueryStrings.recordPath(metadata, key) + QueryStrings.retrieveQuery(options)
        val prefer = QueryStrings.readPreferences(pageSize = null, includeAnnotations = options.includeAnnotations)
        val response = transport.send(ApiRequest(HttpMethod.Get, path, headers = listOfNotNull(prefer?.let { "Prefer" to it })))
        val record = Responses.record(response.body, metadata.logicalName, metadata.primaryIdAttribute)
        return RealResponse.of(response, record, record.etag)
    }

    override suspend fun update(table: String, id: UUID, values: Map<String, Any?>, ifMatch: String?) =
        update(table, RecordKey.id(id), values, ifMatch)

    override suspend fun update(table: String, key: RecordKey, values: Map<String, Any?>, ifMatch: String?): Unit =
        operation(transport, "records.update", table) { updateExchange(table, key, values, ifMatch, representation = false) }

    override suspend fun updateWithResponse(table: String, key: RecordKey, values: Map<String, Any?>, ifMatch: String?): Response<UUID> =
        operation(transport, "records.updateWithResponse", table) {
            val response = updateExchange(table, key, values, ifMatch, representation = true)
            RealResponse(response.statusCode, response::headers, response.etag, response.clientRequestId, response.correlationId,
                response.value ?: readBackId(table, key))
        }

    /**
     * With [representation], the service answers 200 with the primary id and the new `@odata.etag` ("Update with data
     * returned"). The id is `null` when the answer does not give it (no representation, and a header naming the record by
     * its alternate key): a plain update returns nothing, so it never needs it.
     */
    private suspend fun updateExchange(table: String, key: RecordKey, values: Map<String, Any?>, ifMatch: String?, representation: Boolean): RealResponse<UUID?> {
        val name = Identifiers.requireTable(table)
        val condition = Identifiers.etagOrAny(ifMatch)
        val body = payload(tables.choiceLabels.resolve(name, requireValues(values)))
        val metadata = tables.get(name)
        val response = transport.send(
            ApiRequest(
                HttpMethod.Patch, QueryStrings.recordPath(metadata, key) + returned(metadata, representation),
                listOf("If-Match" to condition) + returning(representation), RequestBody.Json(body),
                // Writing the same values twice is harmless, but a second attempt with an ETag would trip on its own first.
                idempotent = ifMatch == null,
            ),
        )
        return RealResponse.of(response, writtenId(response, metadata, key, representation), bodyEtag(response, representation))
    }

    override suspend fun <T> update(table: String, key: RecordKey, value: T, serializer: SerializationStrategy<T>, ifMatch: String?) =
        update(table, key, encode(value, serializer), ifMatch)

    /**
     * By primary id (or partitioned key) the id is the key's own. By alternate key the service names the record by that
     * key in `OData-EntityId` (Learn: "Use Upsert to Create or Update a record", Web API sample code), which carries no
     * id, so the request asks for the record back with only its primary id selected, as that page recommends.
     */
    override suspend fun upsert(table: String, key: RecordKey, values: Map<String, Any?>): UUID =
        operation(transport, "records.upsert", table) {
            upsertExchange(table, key, values, representation = key.id == null).value ?: readBackId(table, key)
        }

    override suspend fun upsertWithResponse(table: String, key: RecordKey, values: Map<String, Any?>): Response<UUID> =
        operation(transport, "records.upsertWithResponse", table) {
            val response = upsertExchange(table, key, values, representation = true)
            RealResponse(response.statusCode, response::headers, response.etag, response.clientRequestId, response.correlationId,
                response.value ?: readBackId(table, key))
        }

    /**
     * Without a representation the service answers 204 whether it created or updated. With one it answers 201 for a
     * record created and 200 for one updated (Learn: "Use Upsert to Create or Update a record", "Create with upsert and
     * return=representation preference"). The status is passed through as the service sent it; nothing here depends on it.
     */
    private suspend fun upsertExchange(table: String, key: RecordKey, values: Map<String, Any?>, representation: Boolean): RealResponse<UUID?> {
        val name = Identifiers.requireTable(table)
        val body = payload(tables.choiceLabels.resolve(name, requireValues(values)))
        val metadata = tables.get(name)
        val response = transport.send(
            ApiRequest(
                HttpMethod.Patch, QueryStrings.recordPath(metadata, key) + returned(metadata, representation),
                returning(representation), RequestBody.Json(body),
            ),
        )
        return RealResponse.of(response, writtenId(response, metadata, key, representation), bodyEtag(response, representation))
    }

    /** `?$select=<primary id>`: the smallest representation that still carries the id and `@odata.etag`. */
    private fun returned(metadata: TableMetadata, representation: Boolean): String =
        if (representation) QueryStrings.queryString(listOf("\$select" to metadata.primaryIdAttribute)) else ""

    private fun returning(representation: Boolean): List<Pair<String, String>> =
        if (representation) listOf("Prefer" to "return=representation") else emptyList()

    private fun bodyEtag(response: ApiResponse, representation: Boolean): String? =
        if (representation && response.bytes.isNotEmpty()) Responses.jsonObject(response.body, "record").optionalString("@odata.etag") else null

    /**
     * The id of the record a PATCH wrote: from the representation, else from `OData-EntityId` when it names the record by
     * id, else the key's own id; `null` when none of them gives it (a write by alternate key answered without a
     * representation, its `OData-EntityId` naming the record by that key).
     */
    private fun writtenId(response: ApiResponse, metadata: TableMetadata, key: RecordKey, representation: Boolean): UUID? {
        if (representation && response.bytes.isNotEmpty()) {
            Responses.jsonObject(response.body, "record").optionalString(metadata.primaryIdAttribute)?.let {
                return ServerValues.guid(it, "the primary id '${metadata.primaryIdAttribute}'").also { id ->
                    if (key.id != null && id != key.id) throw MalformedResponseException("The response names record $id, but the request wrote record ${key.id}.")
                }
            }
        }
        return Responses.entityId(response.header("OData-EntityId") ?: response.header("Location"), metadata.primaryIdAttribute, expected = key.id) ?: key.id
    }

    /**
     * The id of the record [key] (an alternate key) names, read back after a write whose answer did not give it: only when
     * the service ignored `Prefer: return=representation`, which Learn documents it honours. The write was applied; a
     * record the key no longer finds (the write changed the key's columns) leaves its id unknown.
     */
    private suspend fun readBackId(table: String, key: RecordKey): UUID {
        val metadata = tables.get(Identifiers.requireTable(table))
        val path = QueryStrings.recordPath(metadata, key) + QueryStrings.queryString(listOf("\$select" to metadata.primaryIdAttribute))
        val record = try {
            Responses.record(transport.send(ApiRequest(HttpMethod.Get, path)).body, metadata.logicalName, metadata.primaryIdAttribute)
        } catch (e: NotFoundException) {
            throw MalformedResponseException(
                "The service applied the write to '${metadata.logicalName}' by $key, but returned neither the record nor its id, and the key " +
                    "no longer finds it (were its columns changed by the write?).",
                e,
            )
        }
        return record.getUuid(metadata.primaryIdAttribute)
            ?: throw MalformedResponseException("The record read back by $key has no '${metadata.primaryIdAttribute}'.")
    }

    override suspend fun delete(table: String, id: UUID) = delete(table, RecordKey.id(id))

    /**
     * A single-valued navigation property (one of the table's lookups, known from its many-to-one relationships) is set
     * with `PUT .../$ref`; any other is a collection and gets `POST .../$ref`. A retried POST that meets its own earlier
     * success (a duplicate association) has done what was asked.
     */
    override suspend fun associate(table: String, id: UUID, navigationProperty: String, target: EntityReference): Unit = operation(transport, "records.associate", table) {
        val name = Identifiers.requireTable(table)
        requireAssociation(id, navigationProperty)
        @Suppress("SENSELESS_COMPARISON")
        if (target == null) throw InvalidInputException("'target' cannot be null.")
        val metadata = tables.get(name)
        val reference = """{"@odata.id":${JsonPrimitive("${transport.apiUrl}/${tables.get(target.table.lowercase()).entitySetName}(${target.id})")}}"""
        val base = "${metadata.entitySetName}($id)/${UrlEncoding.pathSegment(navigationProperty)}/\$ref"
        if (navigationProperty in tables.navigations.singleValued(name)) {
            transport.send(ApiRequest(HttpMethod.Put, base, body = RequestBody.Json(reference)))
        } else {
            try {
                transport.send(ApiRequest(HttpMethod.Post, base, body = RequestBody.Json(reference), idempotent = true))
            } catch (e: DuplicateRecordException) {
                if (!e.afterAmbiguousAttempt) throw e
            }
        }
    }

    /** See [associate]; a collection needs [target], a lookup is cleared whatever it points to. */
    override suspend fun disassociate(table: String, id: UUID, navigationProperty: String, target: EntityReference?): Unit = operation(transport, "records.disassociate", table) {
        val name = Identifiers.requireTable(table)
        requireAssociation(id, navigationProperty)
        val metadata = tables.get(name)
        val navigation = UrlEncoding.pathSegment(navigationProperty)
        val path = if (navigationProperty in tables.navigations.singleValued(name)) {
            "${metadata.entitySetName}($id)/$navigation/\$ref"
        } else {
            target ?: throw InvalidInputException(
                "'$navigationProperty' of table '$name' is a collection: disassociate needs the target record to unlink.",
            )
            "${metadata.entitySetName}($id)/$navigation(${target.id})/\$ref"
        }
        try {
            transport.send(ApiRequest(HttpMethod.Delete, path))
        } catch (e: NotFoundException) {
            // An earlier attempt that failed in flight unlinked them: the caller's intent is fulfilled.
            if (!e.afterAmbiguousAttempt) throw e
        }
    }

    private fun requireAssociation(id: UUID, navigationProperty: String) {
        @Suppress("SENSELESS_COMPARISON") // Java callers can pass nulls.
        if (id == null) throw InvalidInputException("'id' cannot be null.")
        Identifiers.requireColumn(navigationProperty, "navigation property")
    }

    override suspend fun delete(table: String, key: RecordKey): Unit = operation(transport, "records.delete", table) { deleteExchange(table, key) }

    override suspend fun deleteWithResponse(table: String, key: RecordKey): Response<Nothing?> = operation(transport, "records.deleteWithResponse", table) { deleteExchange(table, key) }

    private suspend fun deleteExchange(table: String, key: RecordKey): RealResponse<Nothing?> {
        val name = Identifiers.requireTable(table)
        val metadata = tables.get(name)
        return try {
            RealResponse.of(transport.send(ApiRequest(HttpMethod.Delete, QueryStrings.recordPath(metadata, key))), null)
        } catch (e: NotFoundException) {
            // An earlier attempt that failed in flight deleted it: the caller's intent is fulfilled.
            if (e.afterAmbiguousAttempt) RealResponse.of(e, null) else throw e
        }
    }

    override fun pager(table: String, options: ListOptions): Pager {
        val name = Identifiers.requireTable(table)
        @Suppress("SENSELESS_COMPARISON") // Java callers can pass nulls.
        if (options == null) throw InvalidInputException("'options' cannot be null.")
        return pagerOf(name, options)
    }

    private fun pagerOf(name: String, options: ListOptions) = RealPager(transport, "records.list", name, "next link", object : PageFetcher {
        override suspend fun fetch(continuationToken: String?): Page = fetchPage(name, options, continuationToken)
    })

    override fun changes(table: String, options: ChangeTrackingOptions): ChangePager {
        val name = Identifiers.requireTable(table)
        @Suppress("SENSELESS_COMPARISON") // Java callers can pass nulls.
        if (options == null) throw InvalidInputException("'options' cannot be null.")
        return RealChangePager(transport, name, ChangePages(transport, tables, name, options))
    }

    override fun list(table: String, options: ListOptions): Flow<DataverseRecord> = pager(table, options).records()

    override fun listPages(table: String, options: ListOptions): Flow<Page> = pager(table, options).pages()

    override suspend fun page(table: String, options: ListOptions, continuationToken: String?): Page =
        operation(transport, "records.page", table) { fetchPage(Identifiers.requireTable(table), options, continuationToken) }

    /**
     * One page. A row limit ([ListOptions.top]) is kept here, never sent together with a page size (see [RowLimits]);
     * a URL too long for a GET goes inside `$batch` (see [read]).
     */
    private suspend fun fetchPage(name: String, options: ListOptions, continuationToken: String?): Page {
        val metadata = tables.get(name)
        if (continuationToken == null) options.filter?.let { requireKnownColumns(metadata, it.columns) }
        // The row-limit fragment is the client's own: strip it before checking the service's link.
        val (link, due) = continuationToken?.let { token ->
            val (serviceLink, remaining) = RowLimits.parseToken(token)
            requireContinuation(serviceLink, metadata) to remaining
        } ?: (null to options.top)
        val target = link ?: (metadata.entitySetName + QueryStrings.listQuery(options))
        val prefer = QueryStrings.listPreferences(options)
        val body = transport.read(target, listOfNotNull(prefer?.let { "Prefer" to it }))
        val page = TableTypes.capped(Responses.page(body, metadata.logicalName, metadata.primaryIdAttribute), metadata.tableType)
        ServerValues.nextLink(page.continuationToken, transport.apiUrl, metadata.entitySetName)
        return RowLimits.limit(page, due)
    }

    /**
     * Checks the columns a typed filter reads against the table's metadata, so a misspelt column fails with a clear
     * message before the query is sent. Lookup values (`_primarycontactid_value`) are checked by their lookup column.
     */
    private suspend fun requireKnownColumns(metadata: TableMetadata, columns: Set<String>) {
        if (columns.isEmpty()) return
        val known = tables.columns(metadata.logicalName)
        val unknown = columns.filter { column ->
            val lookup = LOOKUP_VALUE.matchEntire(column)?.groupValues?.get(1)
            column.lowercase() !in known && (lookup == null || lookup.lowercase() !in known)
        }
        if (unknown.isNotEmpty()) {
            throw InvalidInputException("Unknown column(s) ${unknown.joinToString { "'$it'" }} in the filter for table '${metadata.logicalName}'.")
        }
    }

    /**
     * A continuation token is a next link the service issued for this table: an absolute URL under
     * `<api root>/<entity set>?`. Anything else — a relative path, another table, another host — is refused, so that a
     * token passed through an application's users can never make the client read something else with its credentials.
     * The same check as for next links the service sends ([ServerValues.nextLink]), with the caller to blame.
     */
    private fun requireContinuation(token: String, metadata: TableMetadata): String {
        ServerValues.requireSameService(token, transport.apiUrl)
        if (!ServerValues.isNextLinkOf(token, transport.apiUrl, metadata.entitySetName)) {
            throw InvalidInputException(
                "Invalid continuation token for '${metadata.logicalName}': pass Page.continuationToken from a page of the same table.",
            )
        }
        return token
    }

    private fun withPrimaryId(body: JsonObject, metadata: TableMetadata): Pair<UUID, JsonObject> {
        val given = body[metadata.primaryIdAttribute]
        if (given is JsonPrimitive && given.isString) {
            val id = parseGuidOrNull(given.content)
                ?: throw InvalidInputException("Column '${metadata.primaryIdAttribute}' must be a GUID, but was ${Identifiers.quote(given.content)}.")
            return id to body
        }
        val id = UUID.randomUUID()
        return id to JsonObject(body + (metadata.primaryIdAttribute to JsonPrimitive(id.toString())))
    }

    /**
     * Validates and encodes a payload. Entity sets of [dev.dataverse.EntityReference] targets are resolved only after a
     * first pass has validated every key and value, so invalid input fails before any request, metadata lookups included.
     */
    private suspend fun payload(values: Map<String, Any?>): String = payloadJson(values).toString()

    private fun requireValues(values: Map<String, Any?>): Map<String, Any?> {
        @Suppress("SENSELESS_COMPARISON") // Java callers can pass nulls.
        if (values == null) throw InvalidInputException("'values' cannot be null.")
        return values
    }

    private suspend fun payloadJson(values: Map<String, Any?>): JsonObject {
        requireValues(values)
        val referenced = Payloads.referencedTables(values)
        if (referenced.isEmpty()) return Payloads.toJson(values) { error("no references") }
        Payloads.toJson(values) { it }
        val entitySets = referenced.associateWith { tables.get(Identifiers.requireTable(it)).entitySetName }
        return Payloads.toJson(values) { entitySets.getValue(it) }
    }

    private fun <T> encode(value: T, serializer: SerializationStrategy<T>): JsonObject {
        val element = try {
            JsonValues.payload.encodeToJsonElement(serializer, value)
        } catch (e: SerializationException) {
            throw InvalidInputException("${serializer.descriptor.serialName} cannot be encoded: ${e.message}", e)
        }
        return element as? JsonObject
            ?: throw InvalidInputException("${serializer.descriptor.serialName} must encode to a JSON object, but encoded to $element.")
    }



    override suspend fun createAndGet(table: String, values: Map<String, Any?>, options: RetrieveOptions): DataverseRecord = operation(transport, "records.createAndGet", table) {
        val name = Identifiers.requireTable(table)
        val query = representationQuery(options)
        val body = payloadJson(tables.choiceLabels.resolve(name, requireValues(values)))
        val metadata = tables.get(name)
        val (id, withId) = withPrimaryId(body, metadata)
        try {
            val response = transport.send(
                ApiRequest(HttpMethod.Post, metadata.entitySetName + query, representationHeaders(options), RequestBody.Json(withId.toString()), idempotent = true),
            )
            written(response.body, metadata, expected = id)
        } catch (e: DuplicateRecordException) {
            // A replay met its own first attempt, which created the record: read it back instead.
            if (e.afterAmbiguousAttempt) get(name, id, options) else throw e
        }
    }

    override suspend fun updateAndGet(table: String, key: RecordKey, values: Map<String, Any?>, options: RetrieveOptions, ifMatch: String?): DataverseRecord =
        operation(transport, "records.updateAndGet", table) {
            val name = Identifiers.requireTable(table)
            val query = representationQuery(options)
            val condition = Identifiers.etagOrAny(ifMatch)
            val body = payload(tables.choiceLabels.resolve(name, requireValues(values)))
            val metadata = tables.get(name)
            val headers = listOf("If-Match" to condition) + representationHeaders(options)
            val path = QueryStrings.recordPath(metadata, key) + query
            val response = transport.send(ApiRequest(HttpMethod.Patch, path, headers, RequestBody.Json(body), idempotent = ifMatch == null))
            written(response.body, metadata, expected = key.id)
        }

    override suspend fun upsertAndGet(table: String, key: RecordKey, values: Map<String, Any?>, options: RetrieveOptions): DataverseRecord =
        operation(transport, "records.upsertAndGet", table) {
            val name = Identifiers.requireTable(table)
            val query = representationQuery(options)
            val body = payload(tables.choiceLabels.resolve(name, requireValues(values)))
            val metadata = tables.get(name)
            val path = QueryStrings.recordPath(metadata, key) + query
            val response = transport.send(ApiRequest(HttpMethod.Patch, path, representationHeaders(options), RequestBody.Json(body)))
            written(response.body, metadata, expected = key.id)
        }

    private fun representationQuery(options: RetrieveOptions): String {
        @Suppress("SENSELESS_COMPARISON") // Java callers can pass nulls.
        if (options == null) throw InvalidInputException("'options' cannot be null.")
        if (options.expand.isNotEmpty()) throw InvalidInputException("A write cannot return expanded records: remove 'expand', and read them with get().")
        return QueryStrings.retrieveQuery(options)
    }

    private fun representationHeaders(options: RetrieveOptions): List<Pair<String, String>> =
        listOf("Prefer" to listOfNotNull("return=representation", QueryStrings.readPreferences(null, options.includeAnnotations)).joinToString(","))

    /** The record a write returned; its id must be the one written, when the client knows it. */
    private fun written(body: String, metadata: TableMetadata, expected: UUID?): DataverseRecord {
        if (body.isBlank()) {
            throw dev.dataverse.MalformedResponseException("The service answered a write asking for return=representation without the record.")
        }
        val record = Responses.record(body, metadata.logicalName, metadata.primaryIdAttribute)
        val id = record.getUuid(metadata.primaryIdAttribute)
        if (expected != null && id != null && id != expected) {
            throw dev.dataverse.MalformedResponseException("The service returned record $id for a write of record $expected.")
        }
        return record
    }
}
