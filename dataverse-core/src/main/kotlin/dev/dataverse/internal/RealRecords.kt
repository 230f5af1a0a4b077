package dev.dataverse.internal

import dev.dataverse.BulkOptions
import dev.dataverse.BulkResult
import dev.dataverse.DuplicateRecordException
import dev.dataverse.EntityReference
import dev.dataverse.InvalidInputException
import dev.dataverse.NotFoundException
import dev.dataverse.RecordChange
import dev.dataverse.ListOptions
import dev.dataverse.Page
import dev.dataverse.DataverseRecord
import dev.dataverse.RecordKey
import dev.dataverse.Records
import dev.dataverse.RetrieveOptions
import dev.dataverse.internal.protocol.Identifiers
import dev.dataverse.internal.protocol.JsonValues
import dev.dataverse.internal.protocol.Payloads
import dev.dataverse.internal.protocol.QueryStrings
import dev.dataverse.internal.protocol.Responses
import dev.dataverse.internal.protocol.RepeatGuard
import dev.dataverse.internal.protocol.RowLimits
import dev.dataverse.internal.protocol.ServerValues
import dev.dataverse.internal.protocol.TableMetadata
import dev.dataverse.internal.protocol.UrlEncoding
import dev.dataverse.internal.protocol.parseGuidOrNull
import dev.dataverse.internal.transport.ApiRequest
import dev.dataverse.internal.transport.RequestBody
import dev.dataverse.internal.transport.HttpTransport
import dev.dataverse.internal.transport.operation
import dev.dataverse.internal.transport.operationFlow
import io.ktor.http.HttpMethod
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.transform
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
        operation(transport, "records.createMany", table) { bulk.createMany(table, records, options) }

    override suspend fun createMany(table: String, records: Flow<Map<String, Any?>>, options: BulkOptions): BulkResult =
        operation(transport, "records.createMany", table) { bulk.createMany(table, records, options) }

    override suspend fun updateMany(table: String, changes: List<RecordChange>, options: BulkOptions): BulkResult =
        operation(transport, "records.updateMany", table) { bulk.updateMany(table, changes, options) }

    override suspend fun updateMany(table: String, changes: Flow<RecordChange>, options: BulkOptions): BulkResult =
        operation(transport, "records.updateMany", table) { bulk.updateMany(table, changes, options) }

    override suspend fun upsertMany(table: String, changes: List<RecordChange>, options: BulkOptions): BulkResult =
        operation(transport, "records.upsertMany", table) { bulk.upsertMany(table, changes, options) }

    override suspend fun upsertMany(table: String, changes: Flow<RecordChange>, options: BulkOptions): BulkResult =
        operation(transport, "records.upsertMany", table) { bulk.upsertMany(table, changes, options) }

    override suspend fun deleteMany(table: String, keys: List<RecordKey>, options: BulkOptions): BulkResult =
        operation(transport, "records.deleteMany", table) { bulk.deleteMany(table, keys, options) }

    override suspend fun deleteMany(table: String, keys: Flow<RecordKey>, options: BulkOptions): BulkResult =
        operation(transport, "records.deleteMany", table) { bulk.deleteMany(table, keys, options) }

    /**
     * The primary id is assigned here when the caller did not choose one, so that a retry after a dropped connection can
     * recognise its own earlier success (a duplicate of the id it sent) instead of creating a second record.
     */
    override suspend fun create(table: String, values: Map<String, Any?>): UUID = operation(transport, "records.create", table) {
        val name = Identifiers.requireTable(table)
        val body = payloadJson(tables.choiceLabels.resolve(name, requireValues(values)))
        val metadata = tables.get(name)
        val (id, withId) = withPrimaryId(body, metadata)
        try {
            val response = transport.send(ApiRequest(HttpMethod.Post, metadata.entitySetName, body = RequestBody.Json(withId.toString()), idempotent = true))
            (response.header("OData-EntityId") ?: response.header("Location"))?.let { Responses.entityId(it, expected = id) } ?: id
        } catch (e: DuplicateRecordException) {
            if (e.afterAmbiguousAttempt) id else throw e
        }
    }

    override suspend fun <T> create(table: String, value: T, serializer: SerializationStrategy<T>): UUID =
        create(table, encode(value, serializer))

    override suspend fun get(table: String, id: UUID, options: RetrieveOptions): DataverseRecord = get(table, RecordKey.id(id), options)

    override suspend fun get(table: String, key: RecordKey, options: RetrieveOptions): DataverseRecord = operation(transport, "records.get", table) {
        val name = Identifiers.requireTable(table)
        val metadata = tables.get(name)
        val path = QueryStrings.recordPath(metadata.entitySetName, key) + QueryStrings.retrieveQuery(options)
        val prefer = QueryStrings.readPreferences(pageSize = null, includeAnnotations = options.includeAnnotations)
        val response = transport.send(ApiRequest(HttpMethod.Get, path, headers = listOfNotNull(prefer?.let { "Prefer" to it })))
        Responses.record(response.body, metadata.logicalName, metadata.primaryIdAttribute)
    }

    override suspend fun update(table: String, id: UUID, values: Map<String, Any?>, ifMatch: String?) =
        update(table, RecordKey.id(id), values, ifMatch)

    override suspend fun update(table: String, key: RecordKey, values: Map<String, Any?>, ifMatch: String?): Unit = operation(transport, "records.update", table) {
        val name = Identifiers.requireTable(table)
        val condition = Identifiers.etagOrAny(ifMatch)
        val body = payload(tables.choiceLabels.resolve(name, requireValues(values)))
        val metadata = tables.get(name)
        transport.send(
            ApiRequest(
                HttpMethod.Patch, QueryStrings.recordPath(metadata.entitySetName, key), listOf("If-Match" to condition), RequestBody.Json(body),
                // Writing the same values twice is harmless, but a second attempt with an ETag would trip on its own first.
                idempotent = ifMatch == null,
            ),
        )
    }

    override suspend fun <T> update(table: String, key: RecordKey, value: T, serializer: SerializationStrategy<T>, ifMatch: String?) =
        update(table, key, encode(value, serializer), ifMatch)

    override suspend fun upsert(table: String, key: RecordKey, values: Map<String, Any?>): UUID = operation(transport, "records.upsert", table) {
        val name = Identifiers.requireTable(table)
        val body = payload(tables.choiceLabels.resolve(name, requireValues(values)))
        val metadata = tables.get(name)
        val response = transport.send(ApiRequest(HttpMethod.Patch, QueryStrings.recordPath(metadata.entitySetName, key), body = RequestBody.Json(body)))
        val entityId = response.header("OData-EntityId") ?: response.header("Location")
        if (entityId == null && key.id != null) key.id else Responses.entityId(entityId, expected = key.id)
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

    override suspend fun delete(table: String, key: RecordKey): Unit = operation(transport, "records.delete", table) {
        val name = Identifiers.requireTable(table)
        val metadata = tables.get(name)
        try {
            transport.send(ApiRequest(HttpMethod.Delete, QueryStrings.recordPath(metadata.entitySetName, key)))
        } catch (e: NotFoundException) {
            // An earlier attempt that failed in flight deleted it: the caller's intent is fulfilled.
            if (!e.afterAmbiguousAttempt) throw e
        }
    }

    override fun list(table: String, options: ListOptions): Flow<DataverseRecord> =
        listPages(table, options).transform { page -> page.records.forEach { emit(it) } }

    override fun listPages(table: String, options: ListOptions): Flow<Page> {
        val name = Identifiers.requireTable(table)
        // One correlation id for every page of this collection; the operation timeout bounds each page.
        return operationFlow(transport, "records.list", name) { operation ->
            var page = operation(transport, operation) { fetchPage(name, options, null) }
            emit(page)
            val followed = RepeatGuard("next link")
            while (true) {
                val next = page.continuationToken ?: break
                followed.check(next)
                page = operation(transport, operation) { fetchPage(name, options, next) }
                emit(page)
            }
        }
    }

    override suspend fun page(table: String, options: ListOptions, continuationToken: String?): Page = operation(transport, "records.page", table) {
        fetchPage(Identifiers.requireTable(table), options, continuationToken)
    }

    /**
     * One page. A row limit ([ListOptions.top]) is kept here, never sent together with a page size (see [RowLimits]);
     * a URL too long for a GET goes inside `$batch` (see [read]).
     */
    private suspend fun fetchPage(name: String, options: ListOptions, continuationToken: String?): Page {
        val metadata = tables.get(name)
        if (continuationToken == null) options.where?.let { requireKnownColumns(metadata, it.columns) }
        // The row-limit fragment is the client's own: strip it before checking the service's link.
        val (link, due) = continuationToken?.let { token ->
            val (serviceLink, remaining) = RowLimits.parseToken(token)
            requireContinuation(serviceLink, metadata) to remaining
        } ?: (null to options.top)
        val target = link ?: (metadata.entitySetName + QueryStrings.listQuery(options))
        val prefer = QueryStrings.listPreferences(options)
        val body = transport.read(target, listOfNotNull(prefer?.let { "Prefer" to it }))
        val page = Responses.page(body, metadata.logicalName, metadata.primaryIdAttribute)
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


}
