package dev.dataverse.java

import dev.dataverse.java.internal.SharedClient
import dev.dataverse.BulkOptions
import dev.dataverse.BulkResult
import dev.dataverse.EntityReference
import dev.dataverse.ListOptions
import dev.dataverse.Page
import dev.dataverse.DataverseRecord
import dev.dataverse.RecordChange
import dev.dataverse.RecordKey
import dev.dataverse.Records
import dev.dataverse.Response
import dev.dataverse.RetrieveOptions
import dev.dataverse.java.internal.BlockingPaged
import dev.dataverse.java.internal.BlockingChanges
import dev.dataverse.ChangeTrackingOptions
import dev.dataverse.java.internal.asBulkInput
import dev.dataverse.java.internal.toRecordKeys
import dev.dataverse.java.internal.blocking
import java.util.UUID
import java.util.stream.Stream

/**
 * Create, read, update, delete and list the records of any table, addressed by logical name (`"account"`), blocking the
 * calling thread until the service has answered. Obtained from [DataverseBlockingClient.records].
 *
 * Every method runs the one implementation of the operation, the core's suspending [Records], and blocks until it is
 * done; the documentation of [Records] applies (supported value types, the service conditions each exception stands for).
 *
 * ```java
 * BlockingRecords records = client.records();
 * UUID id = records.create("account", Map.of("name", "Contoso", "revenue", new BigDecimal("1000.50")));
 * DataverseRecord account = records.get("account", id, RetrieveOptions.builder().select("name", "revenue").build());
 * records.update("account", id, Map.of("telephone1", "555-0100"), account.getEtag());
 * try (Stream<DataverseRecord> all = records.list("account", ListOptions.builder().select("name").pageSize(500).build()).stream()) {
 *     all.forEach(r -> System.out.println(r.getString("name")));
 * }
 * ```
 *
 * ## Bulk operations
 * [createMany], [updateMany], [upsertMany] and [deleteMany] write many records in chunks of [BulkOptions.chunkSize]
 * through the service's bulk actions (`CreateMultiple`, `UpdateMultiple`, `UpsertMultiple`; `$batch` for deletes),
 * several chunks at once, and return a [BulkResult] with the outcome of every input, by position. Each takes a `List`,
 * validated as a whole before any record is sent, or a [Stream], read lazily as the chunks are sent so that inputs of any
 * length stream through in bounded memory (use `collection.stream()` for other collections).
 *
 * ```java
 * List<Map<String, Object>> rows = List.of(Map.of("name", "Contoso"), Map.of("name", "Fabrikam"));
 * BulkResult created = records.createMany("account", rows);
 * List<UUID> ids = created.getIds();                          // in input order
 *
 * // A large file, streamed through in chunks of 500; failures are reported instead of stopping the import.
 * try (Stream<String> lines = Files.lines(Path.of("accounts.csv"))) {
 *     BulkResult imported = records.createMany("account",
 *         lines.skip(1).map(line -> Map.of("name", line.split(",")[0])),
 *         BulkOptions.builder()
 *             .chunkSize(500)
 *             .continueOnError(true)
 *             .onProgress(p -> log.info("{} of the file imported", p.getProcessed()))
 *             .build());
 *     imported.getFailures().forEach(f -> log.warn("line {}: {}", f.getIndex() + 2, f.getError().getMessage()));
 * }
 *
 * // Fail fast (the default): the first failing chunk stops the operation.
 * try {
 *     records.updateMany("account", ids.stream().map(id -> RecordChange.of(id, Map.of("creditonhold", true))).toList());
 * } catch (BulkOperationException e) {
 *     BulkResult partial = e.getResult();                     // SUCCEEDED, FAILED or NOT_ATTEMPTED, per input
 * }
 * ```
 *
 * ## Values
 * Payloads are maps from column logical names to values: `String`, `Integer`/`Long`/`Short`/`Byte`, `BigInteger`,
 * `BigDecimal`, finite `Double`/`Float`, `Boolean`, `UUID`, `Instant`, `OffsetDateTime`, `ZonedDateTime`, `LocalDate`,
 * `null`, nested `Map`/`List` (deep insert), and [dev.dataverse.EntityReference] to bind a lookup. Any other type throws
 * [dev.dataverse.InvalidInputException] naming the column, before anything is sent.
 *
 * ## Exceptions
 * Failures throw unchecked [dev.dataverse.DataverseException]s: [dev.dataverse.InvalidInputException] for invalid
 * input (an invalid table or column name, an unsupported value, an invalid option), always before any request is sent;
 * [dev.dataverse.NotFoundException], [dev.dataverse.PreconditionFailedException] and the others for the service's
 * answers; [dev.dataverse.ClientClosedException] once the client is closed. `null` arguments throw
 * [NullPointerException] naming the parameter, except where a parameter is documented as nullable.
 *
 * ## Interruption
 * Interrupting a thread blocked in one of these methods cancels the call's HTTP exchange (closing its connection); the
 * method then throws [dev.dataverse.OperationInterruptedException] whose cause is the [InterruptedException], with the
 * thread's interrupt status set again. Whether the service applied a write that was interrupted in flight cannot be known.
 *
 * All methods are thread-safe.
 */
public class BlockingRecords private constructor(client: SharedClient) {
    private val records: Records = client.core.records

    /**
     * Creates a record in [table] from [values] and returns its id. Include the primary id column (e.g. `accountid`) in
     * [values] to choose the id yourself.
     *
     * @throws dev.dataverse.DuplicateRecordException when a record with the same primary id or alternate key exists.
     * @throws dev.dataverse.BadRequestException when the service rejects a column or value.
     */
    public fun create(table: String, values: Map<String, Any?>): UUID = blocking { records.create(table, values) }

    /**
     * Retrieves the record of [table] whose primary id is [id], with the columns and annotations [options] ask for (all
     * columns, no annotations by default).
     *
     * @throws dev.dataverse.NotFoundException when no such record exists.
     */
    @JvmOverloads
    public fun get(table: String, id: UUID, options: RetrieveOptions = RetrieveOptions.DEFAULT): DataverseRecord =
        blocking { records.get(table, id, options) }

    /**
     * Retrieves the record of [table] identified by [key], a primary id or an alternate key such as
     * `RecordKey.alternate("accountnumber", "A-100")`.
     *
     * @throws dev.dataverse.NotFoundException when no such record exists.
     * @throws dev.dataverse.BadRequestException when the key's columns are not an alternate key of the table.
     */
    @JvmOverloads
    public fun get(table: String, key: RecordKey, options: RetrieveOptions = RetrieveOptions.DEFAULT): DataverseRecord =
        blocking { records.get(table, key, options) }

    /**
     * Updates the existing record of [table] with primary id [id]; never creates one.
     *
     * @param ifMatch `null` (the default) to update whatever the record's version, or an ETag from [DataverseRecord.etag] to
     *   update only if the record has not changed since it was read.
     * @throws dev.dataverse.NotFoundException when the record does not exist.
     * @throws dev.dataverse.PreconditionFailedException when [ifMatch] no longer matches the record's version.
     */
    @JvmOverloads
    public fun update(table: String, id: UUID, values: Map<String, Any?>, ifMatch: String? = null): Unit =
        blocking { records.update(table, id, values, ifMatch) }

    /**
     * Updates the existing record of [table] identified by [key]; never creates one. See the other `update`.
     *
     * @throws dev.dataverse.NotFoundException when the record does not exist.
     * @throws dev.dataverse.PreconditionFailedException when [ifMatch] no longer matches the record's version.
     */
    @JvmOverloads
    public fun update(table: String, key: RecordKey, values: Map<String, Any?>, ifMatch: String? = null): Unit =
        blocking { records.update(table, key, values, ifMatch) }

    /**
     * Creates the record of [table] identified by [key] if it does not exist, else updates it, and returns its primary
     * id. An alternate key's columns are set from the key when the record is created (values for them in [values] take
     * precedence then, and are ignored when the record exists: Learn, "Use Upsert to Create or Update a record"). By
     * alternate key the request asks for the record back with only its primary id selected, to learn the id.
     *
     * @throws dev.dataverse.BadRequestException when the key's columns are not an alternate key of the table.
     */
    public fun upsert(table: String, key: RecordKey, values: Map<String, Any?>): UUID =
        blocking { records.upsert(table, key, values) }

    /** Creates the record of [table] with primary id [id] if it does not exist, else updates it; returns [id]. */
    public fun upsert(table: String, id: UUID, values: Map<String, Any?>): UUID =
        blocking { records.upsert(table, id, values) }

    /**
     * Creates a record and returns it as the service wrote it, in one round trip (`Prefer: return=representation`):
     * server-computed columns and the new `@odata.etag`. See [dev.dataverse.Records.createAndGet].
     */
    @JvmOverloads
    public fun createAndGet(table: String, values: Map<String, Any?>, options: RetrieveOptions = RetrieveOptions.DEFAULT): DataverseRecord =
        blocking { records.createAndGet(table, values, options) }

    /** Updates an existing record and returns it as written; see [dev.dataverse.Records.updateAndGet]. */
    @JvmOverloads
    public fun updateAndGet(
        table: String,
        key: RecordKey,
        values: Map<String, Any?>,
        options: RetrieveOptions = RetrieveOptions.DEFAULT,
        ifMatch: String? = null,
    ): DataverseRecord = blocking { records.updateAndGet(table, key, values, options, ifMatch) }

    /** Creates or updates the record [key] identifies and returns it as written; see [dev.dataverse.Records.upsertAndGet]. */
    @JvmOverloads
    public fun upsertAndGet(table: String, key: RecordKey, values: Map<String, Any?>, options: RetrieveOptions = RetrieveOptions.DEFAULT): DataverseRecord =
        blocking { records.upsertAndGet(table, key, values, options) }

    /**
     * Deletes the record of [table] with primary id [id].
     *
     * @throws dev.dataverse.NotFoundException when the record does not exist.
     */
    public fun delete(table: String, id: UUID): Unit = blocking { records.delete(table, id) }

    /**
     * Deletes the record of [table] identified by [key].
     *
     * @throws dev.dataverse.NotFoundException when the record does not exist.
     */
    public fun delete(table: String, key: RecordKey): Unit = blocking { records.delete(table, key) }

    /**
     * [create] with the service's answer: `getValue()` is the new record's id, `getEtag()` its version, `getStatusCode()`
     * 201, plus the headers and request ids. See [Records.createWithResponse].
     */
    public fun createWithResponse(table: String, values: Map<String, Any?>): Response<UUID> =
        blocking { records.createWithResponse(table, values) }

    /** [get] with the service's answer: `getValue()` is the record, `getEtag()` its version. */
    @JvmOverloads
    public fun getWithResponse(table: String, key: RecordKey, options: RetrieveOptions = RetrieveOptions.DEFAULT): Response<DataverseRecord> =
        blocking { records.getWithResponse(table, key, options) }

    /**
     * [update] with the service's answer: `getEtag()` is the version just written (pass it as the next `ifMatch`), without
     * a second read. See [Records.updateWithResponse].
     *
     * @throws dev.dataverse.PreconditionFailedException when [ifMatch] no longer matches the record's version.
     */
    @JvmOverloads
    public fun updateWithResponse(table: String, key: RecordKey, values: Map<String, Any?>, ifMatch: String? = null): Response<UUID> =
        blocking { records.updateWithResponse(table, key, values, ifMatch) }

    /**
     * [upsert] with the service's answer: `getStatusCode()` is 201 when the record was created, 200 when it was updated;
     * `getEtag()` the version written. See [Records.upsertWithResponse].
     */
    public fun upsertWithResponse(table: String, key: RecordKey, values: Map<String, Any?>): Response<UUID> =
        blocking { records.upsertWithResponse(table, key, values) }

    /** [delete] with the service's answer (204; `getValue()` is `null`). See [Records.deleteWithResponse]. */
    public fun deleteWithResponse(table: String, key: RecordKey): Response<Void?> = blocking { records.deleteWithResponse(table, key) }

    /**
     * Links the record [id] of [table] to [target] through the navigation property [navigationProperty] (`$ref`): a
     * collection-valued one of a one-to-many or many-to-many relationship, or a single-valued lookup, which it sets.
     * See [Records.associate].
     *
     * @throws dev.dataverse.NotFoundException when either record does not exist.
     */
    public fun associate(table: String, id: UUID, navigationProperty: String, target: EntityReference): Unit =
        blocking { records.associate(table, id, navigationProperty, target) }

    /**
     * Removes the link from the record [id] of [table] to [target] through [navigationProperty]. For a single-valued
     * lookup, [target] may be `null`: the lookup is cleared. See [Records.disassociate].
     */
    @JvmOverloads
    public fun disassociate(table: String, id: UUID, navigationProperty: String, target: EntityReference? = null): Unit =
        blocking { records.disassociate(table, id, navigationProperty, target) }

    /**
     * Creates the records of [records] in [table], several chunks at once through the service's `CreateMultiple` action,
     * and returns the outcome of each input, with the created ids in input order ([BulkResult.ids]). Include the primary
     * id column in a record to choose its id. See [Records.createMany] for chunking, parallelism and how failures of
     * single records are found.
     *
     * [BulkOptions.onProgress] is called on the calling thread, after each chunk.
     *
     * @throws dev.dataverse.InvalidInputException when the list is empty or an input is invalid (the message names its
     *   position and column), before any record is sent.
     * @throws dev.dataverse.BulkOperationException when an input failed and [BulkOptions.continueOnError] is `false` (the
     *   default): no chunk was started after the failure, and the exception's `getResult()` says for every input of the
     *   list whether it succeeded, failed or was not attempted. With `continueOnError`, failures are in the returned [BulkResult.failures] instead.
     */
    @JvmOverloads
    public fun createMany(table: String, records: List<Map<String, Any?>>, options: BulkOptions = BulkOptions.DEFAULT): BulkResult =
        blocking { this@BlockingRecords.records.createMany(table, records, options) }

    /**
     * Creates the records of the stream [records] in [table], reading it lazily as chunks are sent: at most
     * `maxParallelism + 1` chunks are held in memory, so a stream of any length (a file's lines, a database cursor,
     * `Stream.generate`) goes through in bounded memory. The stream is read on a library I/O thread, and closed when this
     * method returns, however it returns.
     *
     * An invalid input fails on its own: it is never sent and appears in the result's failures (and, failing fast, stops
     * the operation). A `null` element, or an exception thrown by the stream, ends the call with that exception (an
     * [dev.dataverse.InvalidInputException] naming the position, for `null`), cancelling the chunks in flight. An empty
     * stream returns an empty result. [dev.dataverse.BulkProgress.total] is `null`: a stream's length is not known in advance.
     * Otherwise as the `List` variant.
     *
     * @throws dev.dataverse.BulkOperationException when an input failed and [BulkOptions.continueOnError] is `false`.
     */
    @JvmOverloads
    public fun createMany(table: String, records: Stream<out Map<String, Any?>>, options: BulkOptions = BulkOptions.DEFAULT): BulkResult =
        records.use { stream -> blocking { this@BlockingRecords.records.createMany(table, stream.asBulkInput(options.chunkSize), options) } }

    /**
     * Updates existing records of [table] (never creates any), as [changes] say: through the service's `UpdateMultiple`
     * action for changes by primary id, `$batch` for changes by alternate key. Returns the outcome of each input; its
     * [BulkResult.ids] holds the key's id for changes by primary id. A record that does not exist is a failure
     * ([dev.dataverse.NotFoundException]) of its input. Chunking, progress and exceptions as in [createMany].
     *
     * ```java
     * records.updateMany("account", List.of(
     *     RecordChange.of(id1, Map.of("telephone1", "555-0100")),
     *     RecordChange.of(RecordKey.alternate("accountnumber", "A-2"), Map.of("telephone1", "555-0200"))));
     * ```
     * @throws dev.dataverse.InvalidInputException when the list is empty or an input is invalid, before any record is sent.
     * @throws dev.dataverse.BulkOperationException when an input failed and [BulkOptions.continueOnError] is `false`.
     */
    @JvmOverloads
    public fun updateMany(table: String, changes: List<RecordChange>, options: BulkOptions = BulkOptions.DEFAULT): BulkResult =
        blocking { records.updateMany(table, changes, options) }

    /**
     * Updates existing records of [table] as the stream [changes] says, reading it lazily and closing it when done, as the
     * stream variant of [createMany] does. Otherwise as the `List` variant.
     *
     * @throws dev.dataverse.BulkOperationException when an input failed and [BulkOptions.continueOnError] is `false`.
     */
    @JvmOverloads
    public fun updateMany(table: String, changes: Stream<out RecordChange>, options: BulkOptions = BulkOptions.DEFAULT): BulkResult =
        changes.use { stream -> blocking { records.updateMany(table, stream.asBulkInput(options.chunkSize), options) } }

    /**
     * Creates or updates records of [table], each identified by its change's key (a primary id or an alternate key),
     * through the service's `UpsertMultiple` action. An alternate key's columns are set from the key when a record is
     * created. The service does not return ids for upserts: [BulkResult.ids] holds the key's id for changes by primary id,
     * `null` for changes by alternate key. Chunking, progress and exceptions as in [createMany].
     *
     * @throws dev.dataverse.InvalidInputException when the list is empty or an input is invalid, before any record is sent.
     * @throws dev.dataverse.BulkOperationException when an input failed and [BulkOptions.continueOnError] is `false`.
     */
    @JvmOverloads
    public fun upsertMany(table: String, changes: List<RecordChange>, options: BulkOptions = BulkOptions.DEFAULT): BulkResult =
        blocking { records.upsertMany(table, changes, options) }

    /**
     * Creates or updates records of [table] as the stream [changes] says, reading it lazily and closing it when done, as
     * the stream variant of [createMany] does. Otherwise as the `List` variant.
     *
     * @throws dev.dataverse.BulkOperationException when an input failed and [BulkOptions.continueOnError] is `false`.
     */
    @JvmOverloads
    public fun upsertMany(table: String, changes: Stream<out RecordChange>, options: BulkOptions = BulkOptions.DEFAULT): BulkResult =
        changes.use { stream -> blocking { records.upsertMany(table, stream.asBulkInput(options.chunkSize), options) } }

    /**
     * Deletes the records of [table] identified by [keys], in chunks sent as `$batch` requests of single deletes (standard
     * tables have no bulk delete action; elastic tables use `DeleteMultiple`, see [dev.dataverse.Records.deleteMany]),
     * several chunks at once. A record that does not exist is a failure
     * ([dev.dataverse.NotFoundException]) of its input alone. [BulkResult.ids] holds the key's id for keys by primary id.
     * Chunking, progress and exceptions as in [createMany].
     *
     * @throws dev.dataverse.InvalidInputException when the list is empty or holds `null`, before anything is sent.
     * @throws dev.dataverse.BulkOperationException when an input failed and [BulkOptions.continueOnError] is `false`.
     */
    @JvmOverloads
    public fun deleteMany(table: String, keys: List<RecordKey>, options: BulkOptions = BulkOptions.DEFAULT): BulkResult =
        blocking { records.deleteMany(table, keys, options) }

    /**
     * Deletes the records of [table] with the primary [ids], e.g. `records.deleteMany("account", result.getSucceededIds())`;
     * otherwise as the [RecordKey] variant.
     *
     * @throws dev.dataverse.InvalidInputException when the collection is empty or holds `null`, before anything is sent.
     * @throws dev.dataverse.BulkOperationException when an input failed and [BulkOptions.continueOnError] is `false`.
     */
    @JvmOverloads
    public fun deleteMany(table: String, ids: Collection<UUID>, options: BulkOptions = BulkOptions.DEFAULT): BulkResult =
        deleteMany(table, ids.toRecordKeys(), options)

    /**
     * Deletes the records of [table] identified by the stream [keys], reading it lazily and closing it when done, as the
     * stream variant of [createMany] does; e.g. `records.deleteMany("account", records.list("account", options).map(r ->
     * RecordKey.id(r.getId())))`. Otherwise as the `List` variant.
     *
     * @throws dev.dataverse.BulkOperationException when an input failed and [BulkOptions.continueOnError] is `false`.
     */
    @JvmOverloads
    public fun deleteMany(table: String, keys: Stream<out RecordKey>, options: BulkOptions = BulkOptions.DEFAULT): BulkResult =
        keys.use { stream -> blocking { records.deleteMany(table, stream.asBulkInput(options.chunkSize), options) } }

    /**
     * The records of [table] matching [options], as a lazy [PagedIterable]: iterate the records (`for`, [PagedIterable.stream]),
     * or the pages with their continuation tokens ([PagedIterable.iterableByPage]), or resume from a token.
     *
     * Nothing is sent by this call. Each page is fetched by a blocking call on the thread running the iteration, when it
     * needs the page: `limit`, `findFirst` and other short-circuiting operations stop fetching, and memory holds one page
     * at a time however many records stream through. Nothing runs between pages. Each iteration runs the query anew.
     *
     * @throws dev.dataverse.InvalidInputException at once, before anything is sent, for an invalid table name (options
     *   are validated when built).
     */
    @JvmOverloads
    public fun list(table: String, options: ListOptions = ListOptions.DEFAULT): PagedIterable = BlockingPaged(records.pager(table, options))

    /**
     * The records of [table] created, updated or deleted since [ChangeTrackingOptions.deltaToken] (all records for a
     * full sync, without one), as a lazy [ChangeIterable]: changes, or pages with their continuation tokens and, on the
     * last page, the delta token to pass next time. The table must have change tracking enabled. See
     * [dev.dataverse.Records.changes].
     *
     * @throws dev.dataverse.InvalidInputException at once, before anything is sent, for an invalid table name.
     */
    @JvmOverloads
    public fun changes(table: String, options: ChangeTrackingOptions = ChangeTrackingOptions.DEFAULT): ChangeIterable =
        BlockingChanges(records.changes(table, options))

    /**
     * Fetches one page of [table] matching [options]: the first when [continuationToken] is `null`, else the page the
     * token designates ([Page.continuationToken] of a previous page of the same query). For manual paging, e.g. across
     * the HTTP requests of a web application.
     *
     * @throws dev.dataverse.InvalidInputException when the token is not one issued for this client's environment.
     */
    @JvmOverloads
    public fun page(table: String, options: ListOptions = ListOptions.DEFAULT, continuationToken: String? = null): Page =
        blocking { records.page(table, options, continuationToken) }

    /**
     * [page] with the HTTP answer it came from: status, headers (e.g. `Preference-Applied`), the service's request id and
     * the correlation id; [Response.getValue] is the page. See [dev.dataverse.Records.pageWithResponse].
     *
     * ```java
     * Response<Page> response = client.records().pageWithResponse("account", options, token);
     * log.info("page of {} rows, service request {}", response.getValue().getRecords().size(), response.getServiceRequestId());
     * ```
     *
     * @throws dev.dataverse.InvalidInputException as for [page], before anything is sent.
     */
    @JvmOverloads
    public fun pageWithResponse(table: String, options: ListOptions = ListOptions.DEFAULT, continuationToken: String? = null): Response<Page> =
        blocking { records.pageWithResponse(table, options, continuationToken) }

    override fun toString(): String = "BlockingRecords"

    // Java sees no constructor taking the internal SharedClient: the module builds facades through `BlockingRecords(client)`.
    internal companion object {
        @JvmSynthetic
        internal operator fun invoke(client: SharedClient): BlockingRecords = BlockingRecords(client)
    }
}
