package dev.dataverse.internal

import dev.dataverse.BulkOptions
import dev.dataverse.BulkResult
import dev.dataverse.ChangePager
import dev.dataverse.ChangeTrackingOptions
import dev.dataverse.DataverseRecord
import dev.dataverse.DuplicateRecordException
import dev.dataverse.EntityReference
import dev.dataverse.InvalidInputException
import dev.dataverse.ListOptions
import dev.dataverse.MalformedResponseException
import dev.dataverse.NotFoundException
import dev.dataverse.Page
import dev.dataverse.Pager
import dev.dataverse.RecordChange
import dev.dataverse.RecordKey
import dev.dataverse.Records
import dev.dataverse.Response
import dev.dataverse.RetrieveOptions
import dev.dataverse.internal.paging.ChangePages
import dev.dataverse.internal.paging.PageFetcher
import dev.dataverse.internal.paging.RealChangePager
import dev.dataverse.internal.paging.RealPager
import dev.dataverse.internal.protocol.ApiResponse
import dev.dataverse.internal.protocol.ExpandTarget
import dev.dataverse.internal.protocol.Identifiers
import dev.dataverse.internal.protocol.JsonValues
import dev.dataverse.internal.protocol.ListCodec
import dev.dataverse.internal.protocol.RecordCodec
import dev.dataverse.internal.protocol.RecordCodec.Returned
import dev.dataverse.internal.protocol.QueryTokens
import dev.dataverse.internal.protocol.RowLimits
import dev.dataverse.internal.protocol.ServerValues
import dev.dataverse.internal.protocol.TableMetadata
import dev.dataverse.internal.protocol.TableName
import dev.dataverse.internal.transport.HttpTransport
import dev.dataverse.internal.transport.operation
import kotlinx.coroutines.flow.Flow
import kotlinx.serialization.SerializationException
import kotlinx.serialization.SerializationStrategy
import kotlinx.serialization.json.JsonObject
import java.util.UUID

private val LOOKUP_VALUE = Regex("_(.+)_value")
private const val QUERY_OPTIONS = "its select, filter, orderBy, expand, top, count or pageSize"

internal class RealRecords(
    private val transport: HttpTransport,
    private val tables: TableMetadataCache,
    private val bulk: RealBulk,
    private val writes: WritePreparer,
) : Records {

    override suspend fun createMany(table: String, records: List<Map<String, Any?>>, options: BulkOptions): BulkResult =
        bulkOperation { operation(transport, "records.createMany", table) { bulk.createMany(TableName.of(table), records, options) } }

    override suspend fun createMany(table: String, records: Flow<Map<String, Any?>>, options: BulkOptions): BulkResult =
        bulkOperation { operation(transport, "records.createMany", table) { bulk.createMany(TableName.of(table), records, options) } }

    override suspend fun updateMany(table: String, changes: List<RecordChange>, options: BulkOptions): BulkResult =
        bulkOperation { operation(transport, "records.updateMany", table) { bulk.updateMany(TableName.of(table), changes, options) } }

    override suspend fun updateMany(table: String, changes: Flow<RecordChange>, options: BulkOptions): BulkResult =
        bulkOperation { operation(transport, "records.updateMany", table) { bulk.updateMany(TableName.of(table), changes, options) } }

    override suspend fun upsertMany(table: String, changes: List<RecordChange>, options: BulkOptions): BulkResult =
        bulkOperation { operation(transport, "records.upsertMany", table) { bulk.upsertMany(TableName.of(table), changes, options) } }

    override suspend fun upsertMany(table: String, changes: Flow<RecordChange>, options: BulkOptions): BulkResult =
        bulkOperation { operation(transport, "records.upsertMany", table) { bulk.upsertMany(TableName.of(table), changes, options) } }

    override suspend fun deleteMany(table: String, keys: List<RecordKey>, options: BulkOptions): BulkResult =
        bulkOperation { operation(transport, "records.deleteMany", table) { bulk.deleteMany(TableName.of(table), keys, options) } }

    override suspend fun deleteMany(table: String, keys: Flow<RecordKey>, options: BulkOptions): BulkResult =
        bulkOperation { operation(transport, "records.deleteMany", table) { bulk.deleteMany(TableName.of(table), keys, options) } }

    override suspend fun create(table: String, values: Map<String, Any?>): UUID =
        operation(transport, "records.create", table) { createExchange(TableName.of(table), values, Returned.Nothing).value }

    override suspend fun createWithResponse(table: String, values: Map<String, Any?>): Response<UUID> =
        operation(transport, "records.createWithResponse", table) { createExchange(TableName.of(table), values, Returned.IdAndEtag) }

    /**
     * The primary id is assigned by the [WritePreparer] when the caller did not choose one, so that a retry after a
     * dropped connection can recognise its own earlier success (a duplicate of the id it sent) instead of creating a
     * second record. With [Returned.IdAndEtag], the service answers 201 with the record's primary id and `@odata.etag`
     * (Learn: create-entity-web-api, "Create with data returned"), so the caller gets the new version without a second read.
     */
    private suspend fun createExchange(name: TableName, values: Map<String, Any?>, returned: Returned): RealResponse<UUID> {
        val write = writes.prepare(name, values, WritePreparer.Kind.CREATE)
        val id = write.id!!
        return try {
            val response = transport.send(RecordCodec.create(write.table, write.body, returned))
            RealResponse.of(response, RecordCodec.createdId(response, write.table, id), RecordCodec.bodyEtag(response, returned))
        } catch (e: DuplicateRecordException) {
            if (e.afterAmbiguousAttempt) RealResponse.of(e, id) else throw e
        }
    }

    override suspend fun <T> create(table: String, value: T, serializer: SerializationStrategy<T>): UUID =
        create(table, encode(value, serializer))

    override suspend fun get(table: String, id: UUID, options: RetrieveOptions): DataverseRecord = get(table, RecordKey.id(id), options)

    override suspend fun get(table: String, key: RecordKey, options: RetrieveOptions): DataverseRecord =
        operation(transport, "records.get", table) { getExchange(TableName.of(table), key, options).value }

    override suspend fun getWithResponse(table: String, key: RecordKey, options: RetrieveOptions): Response<DataverseRecord> =
        operation(transport, "records.getWithResponse", table) { getExchange(TableName.of(table), key, options) }

    private suspend fun getExchange(name: TableName, key: RecordKey, options: RetrieveOptions): RealResponse<DataverseRecord> {
        val metadata = tables.get(name)
        val expanded = tables.navigations.expandTargets(name, options.expand)
        val response = transport.send(RecordCodec.get(metadata, key, options))
        val record = RecordCodec.record(response, metadata).withExpansions(expanded)
        return RealResponse.of(response, record, record.etag)
    }

    override suspend fun update(table: String, id: UUID, values: Map<String, Any?>, ifMatch: String?) =
        update(table, RecordKey.id(id), values, ifMatch)

    override suspend fun update(table: String, key: RecordKey, values: Map<String, Any?>, ifMatch: String?): Unit =
        operation(transport, "records.update", table) { updateExchange(TableName.of(table), key, values, ifMatch, Returned.Nothing) }

    override suspend fun updateWithResponse(table: String, key: RecordKey, values: Map<String, Any?>, ifMatch: String?): Response<UUID> =
        operation(transport, "records.updateWithResponse", table) {
            val name = TableName.of(table)
            val response = updateExchange(name, key, values, ifMatch, Returned.IdAndEtag)
            RealResponse(response.statusCode, response::headers, response.etag, response.clientRequestId, response.correlationId,
                response.value ?: readBackId(name, key))
        }

    /**
     * With [Returned.IdAndEtag], the service answers 200 with the primary id and the new `@odata.etag` ("Update with data
     * returned"). The id is `null` when the answer does not give it (no representation, and a header naming the record by
     * its alternate key): a plain update returns nothing, so it never needs it.
     */
    private suspend fun updateExchange(name: TableName, key: RecordKey, values: Map<String, Any?>, ifMatch: String?, returned: Returned): RealResponse<UUID?> {
        Identifiers.etagOrAny(ifMatch)
        val write = writes.prepare(name, values, WritePreparer.Kind.CHANGE)
        val response = transport.send(RecordCodec.update(write.table, key, write.body, ifMatch, returned))
        return RealResponse.of(response, RecordCodec.writtenId(response, write.table, key, returned), RecordCodec.bodyEtag(response, returned))
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
            val name = TableName.of(table)
            upsertExchange(name, key, values, if (key.id == null) Returned.IdAndEtag else Returned.Nothing).value ?: readBackId(name, key)
        }

    override suspend fun upsertWithResponse(table: String, key: RecordKey, values: Map<String, Any?>): Response<UUID> =
        operation(transport, "records.upsertWithResponse", table) {
            val name = TableName.of(table)
            val response = upsertExchange(name, key, values, Returned.IdAndEtag)
            RealResponse(response.statusCode, response::headers, response.etag, response.clientRequestId, response.correlationId,
                response.value ?: readBackId(name, key))
        }

    /**
     * Without a representation the service answers 204 whether it created or updated. With one it answers 201 for a
     * record created and 200 for one updated (Learn: "Use Upsert to Create or Update a record", "Create with upsert and
     * return=representation preference"). The status is passed through as the service sent it; nothing here depends on it.
     */
    private suspend fun upsertExchange(name: TableName, key: RecordKey, values: Map<String, Any?>, returned: Returned): RealResponse<UUID?> {
        val write = writes.prepare(name, values, WritePreparer.Kind.CHANGE)
        val response = transport.send(RecordCodec.upsert(write.table, key, write.body, returned))
        return RealResponse.of(response, RecordCodec.writtenId(response, write.table, key, returned), RecordCodec.bodyEtag(response, returned))
    }

    /**
     * The id of the record [key] (an alternate key) names, read back after a write whose answer did not give it: only when
     * the service ignored `Prefer: return=representation`, which Learn documents it honours. The write was applied; a
     * record the key no longer finds (the write changed the key's columns) leaves its id unknown.
     */
    private suspend fun readBackId(name: TableName, key: RecordKey): UUID {
        val metadata = tables.get(name)
        val response = try {
            transport.send(RecordCodec.readBackId(metadata, key))
        } catch (e: NotFoundException) {
            throw MalformedResponseException(
                "The service applied the write to '${metadata.logicalName}' by $key, but returned neither the record nor its id, and the key " +
                    "no longer finds it (were its columns changed by the write?).",
                e,
            )
        }
        return RecordCodec.readBackId(response, metadata, key)
    }

    override suspend fun delete(table: String, id: UUID) = delete(table, RecordKey.id(id))

    /**
     * A single-valued navigation property (one of the table's lookups, known from its many-to-one relationships) is set
     * with `PUT .../$ref`; any other is a collection and gets `POST .../$ref`. A retried POST that meets its own earlier
     * success (a duplicate association) has done what was asked.
     */
    override suspend fun associate(table: String, id: UUID, navigationProperty: String, target: EntityReference): Unit = operation(transport, "records.associate", table) {
        val name = TableName.of(table)
        requireAssociation(id, navigationProperty)
        @Suppress("SENSELESS_COMPARISON")
        if (target == null) throw InvalidInputException("'target' cannot be null.")
        val metadata = tables.get(name)
        val targetTable = tables.get(TableName.of(target.table))
        val singleValued = navigationProperty in tables.navigations.singleValued(name)
        try {
            transport.send(RecordCodec.associate(metadata, id, navigationProperty, singleValued, transport.apiUrl, targetTable, target.id))
        } catch (e: DuplicateRecordException) {
            if (singleValued || !e.afterAmbiguousAttempt) throw e
        }
    }

    /** See [associate]; a collection needs [target], a lookup is cleared whatever it points to. */
    override suspend fun disassociate(table: String, id: UUID, navigationProperty: String, target: EntityReference?): Unit = operation(transport, "records.disassociate", table) {
        val name = TableName.of(table)
        requireAssociation(id, navigationProperty)
        val metadata = tables.get(name)
        val targetId = if (navigationProperty in tables.navigations.singleValued(name)) {
            null
        } else {
            target?.id ?: throw InvalidInputException(
                "'$navigationProperty' of table '$name' is a collection: disassociate needs the target record to unlink.",
            )
        }
        try {
            transport.send(RecordCodec.disassociate(metadata, id, navigationProperty, targetId))
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

    override suspend fun delete(table: String, key: RecordKey): Unit =
        operation(transport, "records.delete", table) { deleteExchange(TableName.of(table), key) }

    override suspend fun deleteWithResponse(table: String, key: RecordKey): Response<Nothing?> =
        operation(transport, "records.deleteWithResponse", table) { deleteExchange(TableName.of(table), key) }

    private suspend fun deleteExchange(name: TableName, key: RecordKey): RealResponse<Nothing?> {
        val metadata = tables.get(name)
        return try {
            RealResponse.of(transport.send(RecordCodec.delete(metadata, key)), null)
        } catch (e: NotFoundException) {
            // An earlier attempt that failed in flight deleted it: the caller's intent is fulfilled.
            if (e.afterAmbiguousAttempt) RealResponse.of(e, null) else throw e
        }
    }

    override fun pager(table: String, options: ListOptions): Pager {
        val name = TableName.of(table)
        @Suppress("SENSELESS_COMPARISON") // Java callers can pass nulls.
        if (options == null) throw InvalidInputException("'options' cannot be null.")
        return pagerOf(name, options)
    }

    private fun pagerOf(name: TableName, options: ListOptions) = RealPager(transport, "records.list", name.value, "next link", object : PageFetcher {
        override suspend fun fetch(continuationToken: String?): Page = fetchPage(name, options, continuationToken)

        // The rows still due change from token to token: what must not repeat is the service's link.
        override fun repeatKey(continuationToken: String): String = QueryTokens.parse(continuationToken).link
    })

    override fun changes(table: String, options: ChangeTrackingOptions): ChangePager {
        val name = TableName.of(table)
        @Suppress("SENSELESS_COMPARISON") // Java callers can pass nulls.
        if (options == null) throw InvalidInputException("'options' cannot be null.")
        return RealChangePager(transport, name.value, ChangePages(transport, tables, name, options))
    }

    override fun list(table: String, options: ListOptions): Flow<DataverseRecord> = pager(table, options).records()

    override fun listPages(table: String, options: ListOptions): Flow<Page> = pager(table, options).pages()

    override suspend fun page(table: String, options: ListOptions, continuationToken: String?): Page =
        operation(transport, "records.page", table) { fetchPage(TableName.of(table), options, continuationToken) }

    override suspend fun pageWithResponse(table: String, options: ListOptions, continuationToken: String?): Response<Page> =
        operation(transport, "records.pageWithResponse", table) { pageExchange(TableName.of(table), options, continuationToken) }

    /**
     * One page. A row limit ([ListOptions.top]) is kept here, never sent together with a page size (see [RowLimits]);
     * a URL too long for a GET goes inside `$batch` (see [read]). A caller's token is checked before anything is sent:
     * its service, its table, then that it belongs to the same query ([QueryTokens]).
     */
    private suspend fun fetchPage(name: TableName, options: ListOptions, continuationToken: String?): Page =
        pageExchange(name, options, continuationToken).value

    /** [fetchPage] with the answer it came from. */
    private suspend fun pageExchange(name: TableName, options: ListOptions, continuationToken: String?): RealResponse<Page> {
        // The fragment is the client's own: strip it before checking the service's link. A token of another environment
        // is refused before the table's metadata is read, so nothing at all is sent for it.
        val token = continuationToken?.let(QueryTokens::parse)?.also { ServerValues.requireSameService(it.link, transport.apiUrl) }
        val metadata = tables.get(name)
        if (continuationToken == null) options.filter?.let { requireKnownColumns(name, it.columns) }
        val fingerprint = QueryTokens.of(metadata.logicalName, options)
        val (link, due) = token?.let { parsed ->
            requireContinuation(parsed.link, metadata)
            QueryTokens.requireQuery(parsed.fingerprint, fingerprint, "the records of '${metadata.logicalName}'", QUERY_OPTIONS)
            parsed.link to parsed.remaining
        } ?: (null to options.top)
        val expanded = tables.navigations.expandTargets(name, options.expand)
        val request = link?.let { ListCodec.nextPage(it, options) } ?: ListCodec.firstPage(metadata, options)
        val response = transport.readResponse(request)
        val page = ListCodec.page(response.body, metadata)
        ServerValues.nextLink(page.continuationToken, transport.apiUrl, metadata.entitySetName)
        return RealResponse.of(response, RowLimits.limit(page.withExpansions(expanded), due, fingerprint))
    }

    /**
     * Checks the columns a typed filter reads against the table's metadata, so a misspelt column fails with a clear
     * message before the query is sent. Lookup values (`_primarycontactid_value`) are checked by their lookup column.
     */
    private suspend fun requireKnownColumns(name: TableName, columns: Set<String>) {
        if (columns.isEmpty()) return
        val known = tables.columns(name)
        val unknown = columns.filter { column ->
            val lookup = LOOKUP_VALUE.matchEntire(column)?.groupValues?.get(1)
            column.lowercase() !in known && (lookup == null || lookup.lowercase() !in known)
        }
        if (unknown.isNotEmpty()) {
            throw InvalidInputException("Unknown column(s) ${unknown.joinToString { "'$it'" }} in the filter for table '$name'.")
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

    private fun Page.withExpansions(targets: Map<String, ExpandTarget>): Page =
        if (targets.isEmpty()) this else Page(records.map { it.withExpansions(targets) }, continuationToken, totalCount, totalCountLimitExceeded)

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
        val name = TableName.of(table)
        RecordCodec.requireReturnable(options)
        val write = writes.prepare(name, values, WritePreparer.Kind.CREATE)
        try {
            written(transport.send(RecordCodec.create(write.table, write.body, Returned.Record(options))), write.table, expected = write.id)
        } catch (e: DuplicateRecordException) {
            // A replay met its own first attempt, which created the record: read it back instead.
            if (e.afterAmbiguousAttempt) get(name.value, write.id!!, options) else throw e
        }
    }

    override suspend fun updateAndGet(table: String, key: RecordKey, values: Map<String, Any?>, options: RetrieveOptions, ifMatch: String?): DataverseRecord =
        operation(transport, "records.updateAndGet", table) {
            val name = TableName.of(table)
            RecordCodec.requireReturnable(options)
            Identifiers.etagOrAny(ifMatch)
            val write = writes.prepare(name, values, WritePreparer.Kind.CHANGE)
            written(transport.send(RecordCodec.update(write.table, key, write.body, ifMatch, Returned.Record(options))), write.table, expected = key.id)
        }

    override suspend fun upsertAndGet(table: String, key: RecordKey, values: Map<String, Any?>, options: RetrieveOptions): DataverseRecord =
        operation(transport, "records.upsertAndGet", table) {
            val name = TableName.of(table)
            RecordCodec.requireReturnable(options)
            val write = writes.prepare(name, values, WritePreparer.Kind.CHANGE)
            written(transport.send(RecordCodec.upsert(write.table, key, write.body, Returned.Record(options))), write.table, expected = key.id)
        }

    private fun written(response: ApiResponse, table: TableMetadata, expected: UUID?): DataverseRecord = RecordCodec.written(response, table, expected)
}
