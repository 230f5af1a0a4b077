// Kotlin-only top-level functions: a facade named so that Java code cannot see it (okio's convention).
@file:JvmName("-Records")

package dev.dataverse

import kotlinx.coroutines.flow.Flow
import kotlinx.serialization.SerializationStrategy
import kotlinx.serialization.serializer
import java.util.UUID

/**
 * Create, read, update, delete and list the records of any table, addressed by logical name (`"account"`).
 *
 * The client resolves each table's entity set and primary id column from the service's metadata once, caches them, and
 * shares one in-flight lookup among concurrent callers.
 *
 * ## Values
 * Payloads are maps from column logical names to values: `String`, `Int`/`Long`/`Short`/`Byte`, `BigInteger`,
 * `BigDecimal`, finite `Double`/`Float`, `Boolean`, `UUID`, `Instant`, `OffsetDateTime`, `ZonedDateTime`, `LocalDate`,
 * `null`, nested `Map`/`List` (deep insert), kotlinx `JsonElement`, and [EntityReference] for lookups. Any other type
 * raises [InvalidInputException] naming the column, before anything is sent. Kotlin callers can also pass their own
 * `@Serializable` class (see [create] with a serializer).
 *
 * ## Errors
 * Failures are [DataverseException]s; each function documents the service conditions it maps.
 *
 * ## Cancellation
 * Every function is cancellable: cancelling the calling coroutine aborts the HTTP exchange and frees its connection.
 * Whether the service applied a write that was cancelled in flight cannot be known.
 */
public interface Records {
    /**
     * Creates a record and returns its id: the client assigns it before sending (so that a retried create cannot create a
     * second record) and checks it against the answer's `OData-EntityId`.
     *
     * Include the primary id column in [values] to choose the id yourself.
     * @throws InvalidInputException for an invalid table or column name or an unsupported value.
     * @throws DuplicateRecordException when a record with the same primary id or alternate key exists.
     * @throws BadRequestException when the service rejects a column or value.
     * @throws MalformedResponseException when the response's `OData-EntityId` names a record other than the one the
     *   client created (the client assigns the id itself, or sends yours).
     */
    public suspend fun create(table: String, values: Map<String, Any?>): UUID

    /** Creates a record from [value] encoded with [serializer] (e.g. a `@Serializable` class); see [create]. */
    public suspend fun <T> create(table: String, value: T, serializer: SerializationStrategy<T>): UUID

    /**
     * Retrieves the record with primary id [id].
     *
     * @throws NotFoundException when no such record exists (error code `0x80040217`).
     */
    public suspend fun get(table: String, id: UUID, options: RetrieveOptions = RetrieveOptions.DEFAULT): DataverseRecord

    /**
     * Retrieves the record identified by [key] (a primary id, an alternate key, or for an elastic table a primary id
     * and partition: [RecordKey.partitioned]).
     *
     * @throws NotFoundException when no such record exists.
     * @throws InvalidInputException for a partitioned key of a standard table, before anything is sent.
     * @throws BadRequestException when the key's columns are not an alternate key of the table.
     */
    public suspend fun get(table: String, key: RecordKey, options: RetrieveOptions = RetrieveOptions.DEFAULT): DataverseRecord

    /**
     * Updates an existing record; never creates one (the request carries `If-Match: *`, or [ifMatch] when given).
     *
     * @param ifMatch an ETag from [DataverseRecord.etag] to update only if the record has not changed since it was read.
     * @throws NotFoundException when the record does not exist.
     * @throws PreconditionFailedException when [ifMatch] no longer matches the record's version.
     */
    public suspend fun update(table: String, id: UUID, values: Map<String, Any?>, ifMatch: String? = null)

    /** Updates the existing record identified by [key]; see [update]. */
    public suspend fun update(table: String, key: RecordKey, values: Map<String, Any?>, ifMatch: String? = null)

    /** Updates an existing record from [value] encoded with [serializer]; see [update]. */
    public suspend fun <T> update(table: String, key: RecordKey, value: T, serializer: SerializationStrategy<T>, ifMatch: String? = null)

    /**
     * Creates the record identified by [key] if it does not exist, else updates it, and returns its primary id.
     *
     * An alternate key's columns are set from the key when the record is created (values for them in [values] take
     * precedence then, and are ignored when the record exists). By alternate key, the service names the
     * record by that key in its answer, not by id (Learn: "Use Upsert to Create or Update a record"), so the request asks
     * for the record back with only its primary id selected (`Prefer: return=representation`, as that page recommends);
     * should the service answer without it, the id is read back by the key.
     * @throws BadRequestException when the key's columns are not an alternate key of the table.
     */
    public suspend fun upsert(table: String, key: RecordKey, values: Map<String, Any?>): UUID

    /** Creates or updates the record with primary id [id]; see [upsert]. */
    public suspend fun upsert(table: String, id: UUID, values: Map<String, Any?>): UUID = upsert(table, RecordKey.id(id), values)

    /**
     * Creates a record and returns it as the service wrote it, in the same round trip (`Prefer: return=representation`,
     * answered `201 Created` with the record): server-computed columns (full names, defaults, `createdon`) and the
     * `@odata.etag` for a later conditional update. [options] selects the columns (all by default) and annotations;
     * `$expand` is not accepted on writes (Learn: "Create a table row using the Web API", create with data returned).
     *
     * @throws InvalidInputException for invalid names or values, or an [options] with `expand`.
     * @throws DuplicateRecordException when a record with the same primary id or alternate key exists.
     */
    public suspend fun createAndGet(table: String, values: Map<String, Any?>, options: RetrieveOptions = RetrieveOptions.DEFAULT): DataverseRecord

    /**
     * Updates an existing record (never creates) and returns it as written (`Prefer: return=representation`, answered
     * `200 OK`), e.g. for its new `@odata.etag`; [ifMatch] as in [update]. Learn: "Update and delete table rows using the
     * Web API", update with data returned.
     *
     * @throws NotFoundException when the record does not exist.
     * @throws PreconditionFailedException when [ifMatch] no longer matches.
     */
    public suspend fun updateAndGet(
        table: String,
        key: RecordKey,
        values: Map<String, Any?>,
        options: RetrieveOptions = RetrieveOptions.DEFAULT,
        ifMatch: String? = null,
    ): DataverseRecord

    /** Creates or updates the record [key] identifies and returns it as written; see [upsert] and [createAndGet]. */
    public suspend fun upsertAndGet(table: String, key: RecordKey, values: Map<String, Any?>, options: RetrieveOptions = RetrieveOptions.DEFAULT): DataverseRecord

    /**
     * Deletes the record with primary id [id].
     *
     * @throws NotFoundException when the record does not exist.
     */
    public suspend fun delete(table: String, id: UUID)

    /** Deletes the record identified by [key]; see [delete]. */
    public suspend fun delete(table: String, key: RecordKey)

    /**
     * [create] with the service's answer: [Response.value] is the new record's id, [Response.etag] its version, and
     * [Response.statusCode] 201. The request asks for the record back (`Prefer: return=representation` with only the
     * primary id selected) to learn the ETag without a second read. A create retried after a dropped connection that
     * meets its own earlier success answers with that duplicate's status and no ETag.
     */
    public suspend fun createWithResponse(table: String, values: Map<String, Any?>): Response<UUID>

    /** [get] with the service's answer: [Response.value] is the record, [Response.etag] its version. */
    public suspend fun getWithResponse(table: String, key: RecordKey, options: RetrieveOptions = RetrieveOptions.DEFAULT): Response<DataverseRecord>

    /**
     * [update] with the service's answer: [Response.value] is the record's id and [Response.etag] the version just
     * written, for the next `ifMatch`, without a second read (the request asks for the record back, only its primary id
     * selected). [Response.statusCode] is 200.
     */
    public suspend fun updateWithResponse(table: String, key: RecordKey, values: Map<String, Any?>, ifMatch: String? = null): Response<UUID>

    /**
     * [upsert] with the service's answer: [Response.statusCode] is 201 when the record was created and 200 when it was
     * updated; [Response.value] is its id and [Response.etag] the version written. The request asks for the record back
     * (only its primary id selected), which is what makes the service tell the two apart: without it, both are 204.
     * (Learn gives 201 and 200 for a create and an update with data returned; the upsert case follows from them and is
     * what the emulator answers. The status is the service's own, passed through.)
     */
    public suspend fun upsertWithResponse(table: String, key: RecordKey, values: Map<String, Any?>): Response<UUID>

    /**
     * [delete] with the service's answer (204, [Response.value] `null`). A delete retried after a dropped connection that
     * finds the record gone answers with that 404: its first attempt deleted the record.
     */
    public suspend fun deleteWithResponse(table: String, key: RecordKey): Response<Nothing?>

    /**
     * Links the record [id] of [table] to [target] through the navigation property [navigationProperty] (`$ref`): a
     * collection-valued one of a one-to-many or many-to-many relationship (e.g. `contact_customer_accounts`,
     * `new_account_contact`), or a single-valued lookup (e.g. `primarycontactid`), which it sets.
     *
     * @throws NotFoundException when either record does not exist.
     * @throws BadRequestException when [table] has no such navigation property, or it does not lead to [target]'s table.
     */
    public suspend fun associate(table: String, id: UUID, navigationProperty: String, target: EntityReference)

    /**
     * Removes the link from the record [id] of [table] to [target] through [navigationProperty]. For a single-valued
     * lookup, [target] may be `null`: the lookup is cleared whatever it points to.
     *
     * @throws NotFoundException when a record does not exist, or they are not linked.
     */
    public suspend fun disassociate(table: String, id: UUID, navigationProperty: String, target: EntityReference? = null)

    /**
     * Creates many records and returns the outcome of each, with the created ids in input order.
     *
     * Records are sent in chunks of [BulkOptions.chunkSize] through the `CreateMultiple` action, several chunks at once
     * (up to [BulkOptions.maxParallelism], fewer when the service's `x-ms-dop-hint` says so). A table that does not support
     * `CreateMultiple` is served through `$batch` instead, transparently. The service applies each chunk all-or-nothing;
     * when a chunk fails because of its content, it is replayed one record at a time in a `$batch` so that the result
     * names exactly the records at fault, and the others are created.
     *
     * The client assigns each record's id before sending (an id given in the input is kept), so a chunk whose answer names
     * other records than those sent is not believed: its records fail with [MalformedResponseException], whose message
     * lists the ids sent (the records may exist; read them back before creating them again). Such a chunk is never
     * replayed.
     *
     * Every input is validated before anything is sent.
     * @throws InvalidInputException when the list is empty, or an input is invalid (the message names its position and column).
     * @throws BulkOperationException when an input failed and [BulkOptions.continueOnError] is `false` (the default); its
     *   result says which inputs succeeded, failed, or were not attempted.
     */
    public suspend fun createMany(table: String, records: List<Map<String, Any?>>, options: BulkOptions = BulkOptions.DEFAULT): BulkResult

    /**
     * Creates the records of a flow, reading it lazily: at most `maxParallelism + 1` chunks are held in memory, so an
     * unbounded input streams through. An input that is invalid fails on its own (it is never sent). An empty flow returns
     * an empty result. See [createMany] for everything else.
     */
    public suspend fun createMany(table: String, records: Flow<Map<String, Any?>>, options: BulkOptions = BulkOptions.DEFAULT): BulkResult

    /**
     * Updates many existing records (never creates any), through the `UpdateMultiple` action for changes by primary id and
     * `$batch` for changes by alternate key. Chunking, parallelism, failure reporting and exceptions as in [createMany].
     */
    public suspend fun updateMany(table: String, changes: List<RecordChange>, options: BulkOptions = BulkOptions.DEFAULT): BulkResult

    /** Updates the records of a flow, reading it lazily; see [updateMany] and the flow variant of [createMany]. */
    public suspend fun updateMany(table: String, changes: Flow<RecordChange>, options: BulkOptions = BulkOptions.DEFAULT): BulkResult

    /**
     * Creates or updates many records, by primary id or alternate key, through the `UpsertMultiple` action. The service
     * does not return ids for upserts: [BulkResult.ids] holds the key's id for changes by primary id, `null` otherwise.
     * Chunking, parallelism, failure reporting and exceptions as in [createMany].
     */
    public suspend fun upsertMany(table: String, changes: List<RecordChange>, options: BulkOptions = BulkOptions.DEFAULT): BulkResult

    /** Upserts the records of a flow, reading it lazily; see [upsertMany] and the flow variant of [createMany]. */
    public suspend fun upsertMany(table: String, changes: Flow<RecordChange>, options: BulkOptions = BulkOptions.DEFAULT): BulkResult

    /**
     * Deletes many records, in chunks of `$batch` requests of single deletes (standard tables have no `DeleteMultiple`),
     * several chunks at once. A record that does not exist is a failure ([NotFoundException]) of that input alone.
     * Exceptions as in [createMany].
     *
     * On an elastic table ([TableType.ELASTIC]) the chunks ([BulkOptions.elasticChunkSize]) go through `DeleteMultiple`,
     * with keys by primary id ([RecordKey.id]) or by id and partition ([RecordKey.partitioned]); the service does not
     * roll a partly failed request back, and the result names the records that failed.
     */
    public suspend fun deleteMany(table: String, keys: List<RecordKey>, options: BulkOptions = BulkOptions.DEFAULT): BulkResult

    /** Deletes the records of a flow of keys, reading it lazily; see [deleteMany]. */
    public suspend fun deleteMany(table: String, keys: Flow<RecordKey>, options: BulkOptions = BulkOptions.DEFAULT): BulkResult

    /**
     * The listing of [table] matching [options] as a [Pager]: pages with continuation tokens, records, a page cursor, each
     * lazy (a page is requested only when its consumer asks for it) and resumable from a token. [list] and [listPages]
     * are its records and pages.
     *
     * @throws InvalidInputException at once, before anything is sent, for an invalid table name.
     */
    public fun pager(table: String, options: ListOptions = ListOptions.DEFAULT): Pager

    /**
     * The records matching [options], as a cold, lazy flow: each page is fetched only when the collector needs its first
     * record, so memory stays flat however many records stream through, and cancelling the collection stops fetching.
     * The records of [pager].
     *
     * Every collection runs the query anew. All HTTP requests of one collection share one `x-ms-correlation-id`.
     * @throws MalformedResponseException (when collected) when the service sends a next link that is not a page of the
     *   same table on the same API root, or one it already sent (which would loop forever); it is not followed.
     */
    public fun list(table: String, options: ListOptions = ListOptions.DEFAULT): Flow<DataverseRecord>

    /**
     * The pages of the query; the page-level view of [list], with [Page.totalCount] when [ListOptions.count] is set. To
     * resume from a continuation token, use `pager(table, options).pages(token)`.
     */
    public fun listPages(table: String, options: ListOptions = ListOptions.DEFAULT): Flow<Page>

    /**
     * Fetches one page: the first when [continuationToken] is `null`, else the page the token designates (from
     * [Page.continuationToken] of a previous call with the same table and options).
     *
     * @throws InvalidInputException when the token is not one this client issued for its environment and table, or when
     * it belongs to another query: its `select`, `filter`, `orderBy`, `expand`, `top`, `count` or `pageSize` differ from
     * [options] (a next link carries its query, so it would otherwise return the old query's rows). Checked before
     * anything is sent.
     * @throws MalformedResponseException when the next link of the page the service sent is not a page of the same table.
     */
    public suspend fun page(table: String, options: ListOptions = ListOptions.DEFAULT, continuationToken: String? = null): Page

    /**
     * [page] with the HTTP answer it came from: the status, the headers (e.g. `Preference-Applied`, which says whether
     * the page size was honoured), the service's request id and the call's correlation id, for logging or support. The
     * value is the same [Page] as [page] returns. A query whose URL is too long for a GET is sent inside `$batch`: the
     * status and headers are then those of its part of the `$batch` answer, the ids those of the `$batch` request.
     *
     * @throws InvalidInputException as for [page], before anything is sent.
     */
    public suspend fun pageWithResponse(table: String, options: ListOptions = ListOptions.DEFAULT, continuationToken: String? = null): Response<Page>

    /**
     * The records of [table] created, updated or deleted since [ChangeTrackingOptions.deltaToken] — or, without one, all
     * its records (a full sync) — as a [ChangePager]: lazy pages of [Change]s sent with `Prefer: odata.track-changes`,
     * each with a continuation token, the last with the delta token to pass next time. The table must have change
     * tracking enabled ([TableInfo.changeTrackingEnabled], [Tables.enableChangeTracking]).
     *
     * Nothing is sent by this call. See [ChangePager] for tokens and errors; Learn: "Use change tracking to synchronize
     * data with external systems".
     * @throws InvalidInputException at once, before anything is sent, for an invalid table name.
     */
    public fun changes(table: String, options: ChangeTrackingOptions = ChangeTrackingOptions.DEFAULT): ChangePager
}

/** Creates a record from a `@Serializable` [value]; see [Records.create]. */
public suspend inline fun <reified T> Records.create(table: String, value: T): UUID = create(table, value, serializer<T>())

/** Updates a record from a `@Serializable` [value]; see [Records.update]. */
public suspend inline fun <reified T> Records.update(table: String, id: UUID, value: T, ifMatch: String? = null): Unit =
    update(table, RecordKey.id(id), value, serializer<T>(), ifMatch)
