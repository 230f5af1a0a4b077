package dev.dataverse.java

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
import dev.dataverse.java.internal.AsyncPaged
import dev.dataverse.java.internal.AsyncChanges
import dev.dataverse.ChangeTrackingOptions
import dev.dataverse.java.internal.SharedClient
import dev.dataverse.java.internal.asBulkInput
import dev.dataverse.java.internal.toRecordKeys
import java.util.UUID
import java.util.concurrent.CompletableFuture
import java.util.stream.Stream

/**
 * Create, read, update, delete and list the records of any table, addressed by logical name (`"account"`), without
 * blocking: every operation returns at once with a [CompletableFuture], and listing also comes as a
 * [java.util.concurrent.Flow.Publisher]. Obtained from [DataverseAsyncClient.records].
 *
 * Every method runs the one implementation of the operation, the core's suspending [Records], as a coroutine; the
 * documentation of [Records] and [BlockingRecords] applies (supported value types, the service conditions each exception
 * stands for).
 *
 * ```java
 * AsyncRecords records = client.records();
 * records.create("account", Map.of("name", "Contoso"))
 *     .thenCompose(id -> records.get("account", id))
 *     .thenAccept(account -> System.out.println(account.getString("name")))
 *     .exceptionally(e -> { log.warn("failed", e); return null; });
 * ```
 *
 * ## Bulk operations
 * [createMany], [updateMany], [upsertMany] and [deleteMany] write many records in chunks, several chunks at once, and
 * complete with a [BulkResult] holding the outcome of every input; see [BlockingRecords] for how they work. Failing fast
 * (the default), the future fails with [dev.dataverse.BulkOperationException] at the first failing chunk; its
 * `getResult()` says what happened to each input.
 *
 * ```java
 * BulkOptions options = BulkOptions.builder().chunkSize(500).onProgress(p -> progressBar.set(p.getProcessed())).build();
 * records.createMany("account", rows, options)
 *     .thenAccept(result -> System.out.println(result.getSucceeded() + " created"))
 *     .exceptionally(e -> {
 *         if (e.getCause() instanceof BulkOperationException failed) {
 *             failed.getResult().getFailures().forEach(f -> log.warn("#{}: {}", f.getIndex(), f.getError().getMessage()));
 *         }
 *         return null;
 *     });
 * ```
 * A [Stream] input is read lazily on a library I/O thread as chunks are sent, and closed once the operation has ended
 * and stopped reading it; for a cancelled future, that can be shortly after `cancel` returned.
 *
 * ## Errors go through the future
 * Every failure, invalid input included, completes the returned future exceptionally; no method throws for it. Invalid
 * input ([dev.dataverse.InvalidInputException]: an invalid table or column name, an unsupported value) is detected on the
 * calling thread before anything is sent, so its future is already failed when the method returns. (Only `null`
 * arguments throw, [NullPointerException], at once.) Like the Azure SDK's async clients: callers handle one error channel.
 *
 * - `future.get()` throws [java.util.concurrent.ExecutionException] whose cause is the
 *   [dev.dataverse.DataverseException], e.g. [dev.dataverse.NotFoundException];
 * - `future.join()` throws [java.util.concurrent.CompletionException] with the same cause;
 * - `exceptionally`/`handle`/`whenComplete` receive the exception itself (or, in stages derived from it, a
 *   `CompletionException` wrapping it: unwrap with `getCause()`).
 *
 * A [java.util.concurrent.Flow.Publisher] signals failures, invalid input included, through `onError` once subscribed and asked for records.
 *
 * ## Cancellation
 * `future.cancel(true)` (or `cancel(false)`: the flag makes no difference) cancels the operation's coroutine and so its
 * HTTP exchange, closing that connection; the future reports `isCancelled()` and `get()` throws
 * [java.util.concurrent.CancellationException]. Cancelling a future derived with `thenApply` etc. does not reach back to
 * the operation: cancel the future this class returned. Whether the service applied a write cancelled in flight cannot be
 * known. Cancelling a [java.util.concurrent.Flow.Subscription] stops fetching pages and cancels the page request in flight.
 *
 * A cancelled future completes at once with a bare `CancellationException` and so cannot carry what a bulk operation
 * wrote before: to know, follow the operation with [dev.dataverse.BulkOptions.Builder.onProgress], or run it on the
 * blocking client, where an interrupt throws [dev.dataverse.OperationInterruptedException] with its `partialResult`.
 *
 * ## Threads
 * Futures complete on the library's worker threads (`Dispatchers.Default`), and so do dependent stages added with
 * `thenApply`, `thenAccept` etc. Keep such stages short and never block in them (in particular, never call the blocking
 * client there); use the `...Async(fn, executor)` variants to run heavier work on your own executor.
 *
 * All methods are thread-safe.
 */
public class AsyncRecords private constructor(private val client: SharedClient) {
    private val records: Records get() = client.core.records

    /**
     * Creates a record in [table] from [values]; completes with its id. Include the primary id column in [values] to
     * choose the id yourself.
     *
     * Fails with [dev.dataverse.DuplicateRecordException] when a record with the same primary id or alternate key exists,
     * [dev.dataverse.BadRequestException] when the service rejects a column or value.
     */
    public fun create(table: String, values: Map<String, Any?>): CompletableFuture<UUID> =
        client.future { records.create(table, values) }

    /**
     * Retrieves the record of [table] with primary id [id], with the columns and annotations [options] ask for.
     *
     * Fails with [dev.dataverse.NotFoundException] when no such record exists.
     */
    @JvmOverloads
    public fun get(table: String, id: UUID, options: RetrieveOptions = RetrieveOptions.DEFAULT): CompletableFuture<DataverseRecord> =
        client.future { records.get(table, id, options) }

    /**
     * Retrieves the record of [table] identified by [key] (a primary id or an alternate key).
     *
     * Fails with [dev.dataverse.NotFoundException] when no such record exists, [dev.dataverse.BadRequestException] when
     * the key's columns are not an alternate key of the table.
     */
    @JvmOverloads
    public fun get(table: String, key: RecordKey, options: RetrieveOptions = RetrieveOptions.DEFAULT): CompletableFuture<DataverseRecord> =
        client.future { records.get(table, key, options) }

    /**
     * Updates the existing record of [table] with primary id [id]; never creates one. Completes with `null`.
     *
     * @param ifMatch `null` (the default) to update whatever the record's version, or an ETag from [DataverseRecord.etag] to
     *   update only if the record has not changed since it was read.
     *
     * Fails with [dev.dataverse.NotFoundException] when the record does not exist,
     * [dev.dataverse.PreconditionFailedException] when [ifMatch] no longer matches.
     */
    @JvmOverloads
    public fun update(table: String, id: UUID, values: Map<String, Any?>, ifMatch: String? = null): CompletableFuture<Void?> =
        client.future { records.update(table, id, values, ifMatch); null }

    /**
     * Updates the existing record of [table] identified by [key]; never creates one. Completes with `null`. See the
     * other `update`.
     */
    @JvmOverloads
    public fun update(table: String, key: RecordKey, values: Map<String, Any?>, ifMatch: String? = null): CompletableFuture<Void?> =
        client.future { records.update(table, key, values, ifMatch); null }

    /**
     * Creates the record of [table] identified by [key] if it does not exist, else updates it; completes with its primary
     * id. Fails with [dev.dataverse.BadRequestException] when the key's columns are not an alternate key of the table.
     */
    public fun upsert(table: String, key: RecordKey, values: Map<String, Any?>): CompletableFuture<UUID> =
        client.future { records.upsert(table, key, values) }

    /** Creates the record of [table] with primary id [id] if it does not exist, else updates it; completes with [id]. */
    public fun upsert(table: String, id: UUID, values: Map<String, Any?>): CompletableFuture<UUID> =
        client.future { records.upsert(table, id, values) }

    /** Creates a record and completes with it as the service wrote it; see [dev.dataverse.Records.createAndGet]. */
    @JvmOverloads
    public fun createAndGet(table: String, values: Map<String, Any?>, options: RetrieveOptions = RetrieveOptions.DEFAULT): CompletableFuture<DataverseRecord> =
        client.future { records.createAndGet(table, values, options) }

    /** Updates an existing record and completes with it as written; see [dev.dataverse.Records.updateAndGet]. */
    @JvmOverloads
    public fun updateAndGet(
        table: String,
        key: RecordKey,
        values: Map<String, Any?>,
        options: RetrieveOptions = RetrieveOptions.DEFAULT,
        ifMatch: String? = null,
    ): CompletableFuture<DataverseRecord> = client.future { records.updateAndGet(table, key, values, options, ifMatch) }

    /** Creates or updates the record [key] identifies and completes with it as written; see [dev.dataverse.Records.upsertAndGet]. */
    @JvmOverloads
    public fun upsertAndGet(table: String, key: RecordKey, values: Map<String, Any?>, options: RetrieveOptions = RetrieveOptions.DEFAULT): CompletableFuture<DataverseRecord> =
        client.future { records.upsertAndGet(table, key, values, options) }

    /**
     * Deletes the record of [table] with primary id [id]; completes with `null`. Fails with
     * [dev.dataverse.NotFoundException] when the record does not exist.
     */
    public fun delete(table: String, id: UUID): CompletableFuture<Void?> =
        client.future { records.delete(table, id); null }

    /** Deletes the record of [table] identified by [key]; completes with `null`. */
    public fun delete(table: String, key: RecordKey): CompletableFuture<Void?> =
        client.future { records.delete(table, key); null }

    /** [create] with the service's answer (status 201, the new id and ETag, headers, request ids); see [BlockingRecords.createWithResponse]. */
    public fun createWithResponse(table: String, values: Map<String, Any?>): CompletableFuture<Response<UUID>> =
        client.future { records.createWithResponse(table, values) }

    /** [get] with the service's answer: the record and its ETag, headers and request ids. */
    @JvmOverloads
    public fun getWithResponse(
        table: String,
        key: RecordKey,
        options: RetrieveOptions = RetrieveOptions.DEFAULT,
    ): CompletableFuture<Response<DataverseRecord>> = client.future { records.getWithResponse(table, key, options) }

    /** [update] with the service's answer: the ETag of the version just written, without a second read. */
    @JvmOverloads
    public fun updateWithResponse(
        table: String,
        key: RecordKey,
        values: Map<String, Any?>,
        ifMatch: String? = null,
    ): CompletableFuture<Response<UUID>> = client.future { records.updateWithResponse(table, key, values, ifMatch) }

    /** [upsert] with the service's answer: status 201 when created, 200 when updated, and the ETag written. */
    public fun upsertWithResponse(table: String, key: RecordKey, values: Map<String, Any?>): CompletableFuture<Response<UUID>> =
        client.future { records.upsertWithResponse(table, key, values) }

    /** [delete] with the service's answer (204; the value is `null`). */
    public fun deleteWithResponse(table: String, key: RecordKey): CompletableFuture<Response<Void?>> =
        client.future { records.deleteWithResponse(table, key) }

    /**
     * Links the record [id] of [table] to [target] through [navigationProperty] (`$ref`); completes with `null`. See
     * [Records.associate].
     */
    public fun associate(table: String, id: UUID, navigationProperty: String, target: EntityReference): CompletableFuture<Void?> =
        client.future { records.associate(table, id, navigationProperty, target); null }

    /**
     * Removes the link from the record [id] of [table] to [target] through [navigationProperty] (for a single-valued
     * lookup, [target] may be `null`); completes with `null`. See [Records.disassociate].
     */
    @JvmOverloads
    public fun disassociate(
        table: String,
        id: UUID,
        navigationProperty: String,
        target: EntityReference? = null,
    ): CompletableFuture<Void?> = client.future { records.disassociate(table, id, navigationProperty, target); null }

    /**
     * Creates the records of [records] in [table], several chunks at once through the service's `CreateMultiple` action;
     * completes with the outcome of each input, the created ids in input order ([BulkResult.ids]). See
     * [BlockingRecords.createMany]. [BulkOptions.onProgress] is called on the library's worker threads, one call at a time.
     *
     * Fails with [dev.dataverse.InvalidInputException] when the list is empty or an input is invalid, before any record
     * is sent (for an empty list the future is already failed when returned), and with
     * [dev.dataverse.BulkOperationException] when an input failed and [BulkOptions.continueOnError] is `false` (the
     * default).
     */
    @JvmOverloads
    public fun createMany(
        table: String,
        records: List<Map<String, Any?>>,
        options: BulkOptions = BulkOptions.DEFAULT,
    ): CompletableFuture<BulkResult> = client.future { this@AsyncRecords.records.createMany(table, records, options) }

    /**
     * Creates the records of the stream [records] in [table], reading it lazily on a library I/O thread as chunks are
     * sent, and closing it when done; see the stream variant of [BlockingRecords.createMany]. Fails as the `List` variant,
     * except that an empty stream completes with an empty result, an invalid input fails on its own, and a `null` element
     * or an exception thrown by the stream fails the future with that exception.
     */
    @JvmOverloads
    public fun createMany(
        table: String,
        records: Stream<out Map<String, Any?>>,
        options: BulkOptions = BulkOptions.DEFAULT,
    ): CompletableFuture<BulkResult> =
        client.future(records) { this@AsyncRecords.records.createMany(table, records.asBulkInput(options.chunkSize), options) }

    /**
     * Updates existing records of [table] (never creates any) as [changes] say; see [BlockingRecords.updateMany]. Fails as
     * [createMany].
     */
    @JvmOverloads
    public fun updateMany(table: String, changes: List<RecordChange>, options: BulkOptions = BulkOptions.DEFAULT): CompletableFuture<BulkResult> =
        client.future { records.updateMany(table, changes, options) }

    /** Updates existing records of [table] as the stream [changes] says, reading it lazily; see the stream [createMany]. */
    @JvmOverloads
    public fun updateMany(
        table: String,
        changes: Stream<out RecordChange>,
        options: BulkOptions = BulkOptions.DEFAULT,
    ): CompletableFuture<BulkResult> = client.future(changes) { records.updateMany(table, changes.asBulkInput(options.chunkSize), options) }

    /**
     * Creates or updates records of [table], by primary id or alternate key, as [changes] say; see
     * [BlockingRecords.upsertMany]. Fails as [createMany].
     */
    @JvmOverloads
    public fun upsertMany(table: String, changes: List<RecordChange>, options: BulkOptions = BulkOptions.DEFAULT): CompletableFuture<BulkResult> =
        client.future { records.upsertMany(table, changes, options) }

    /** Creates or updates records of [table] as the stream [changes] says, reading it lazily; see the stream [createMany]. */
    @JvmOverloads
    public fun upsertMany(
        table: String,
        changes: Stream<out RecordChange>,
        options: BulkOptions = BulkOptions.DEFAULT,
    ): CompletableFuture<BulkResult> = client.future(changes) { records.upsertMany(table, changes.asBulkInput(options.chunkSize), options) }

    /**
     * Deletes the records of [table] identified by [keys]; see [BlockingRecords.deleteMany]. A record that does not exist
     * is a failure of its input alone. Fails as [createMany].
     */
    @JvmOverloads
    public fun deleteMany(table: String, keys: List<RecordKey>, options: BulkOptions = BulkOptions.DEFAULT): CompletableFuture<BulkResult> =
        client.future { records.deleteMany(table, keys, options) }

    /** Deletes the records of [table] with the primary [ids]; see [BlockingRecords.deleteMany]. */
    @JvmOverloads
    public fun deleteMany(table: String, ids: Collection<UUID>, options: BulkOptions = BulkOptions.DEFAULT): CompletableFuture<BulkResult> =
        client.future { records.deleteMany(table, ids.toRecordKeys(), options) }

    /** Deletes the records of [table] identified by the stream [keys], reading it lazily; see the stream [createMany]. */
    @JvmOverloads
    public fun deleteMany(
        table: String,
        keys: Stream<out RecordKey>,
        options: BulkOptions = BulkOptions.DEFAULT,
    ): CompletableFuture<BulkResult> = client.future(keys) { records.deleteMany(table, keys.asBulkInput(options.chunkSize), options) }

    /**
     * Fetches one page of [table] matching [options]: the first when [continuationToken] is `null`, else the page the
     * token designates ([Page.continuationToken] of a previous page of the same query). For a listing, use [list].
     *
     * Fails with [dev.dataverse.InvalidInputException] when the token is not one issued for this client's environment.
     */
    public fun page(table: String, options: ListOptions, continuationToken: String?): CompletableFuture<Page> =
        client.future { records.page(table, options, continuationToken) }

    /**
     * [page] with the HTTP answer it came from (status, headers, request and correlation ids); see
     * [BlockingRecords.pageWithResponse]. Fails like [page].
     */
    public fun pageWithResponse(table: String, options: ListOptions, continuationToken: String?): CompletableFuture<Response<Page>> =
        client.future { records.pageWithResponse(table, options, continuationToken) }

    /**
     * The records of [table] matching [options], as a lazy [PagedPublisher]: a [java.util.concurrent.Flow.Publisher] of records honouring
     * back-pressure, a publisher of pages ([PagedPublisher.byPage]), and page futures with continuation tokens
     * ([PagedPublisher.firstPage], [PagedPublisher.nextPage]). Pages are fetched as the subscriber's demand requires,
     * one at a time, so memory stays flat however many records stream through.
     *
     * Nothing is sent by this call, and it throws nothing: failures, invalid input included, arrive through `onError`
     * or the page future. Cancelling the subscription stops fetching and cancels the page request in flight.
     */
    @JvmOverloads
    public fun list(table: String, options: ListOptions = ListOptions.DEFAULT): PagedPublisher =
        AsyncPaged(client) { records.pager(table, options) }

    /**
     * The records of [table] created, updated or deleted since [ChangeTrackingOptions.deltaToken] (all records for a
     * full sync, without one), as a lazy [ChangePublisher]: a publisher of changes, of pages, and page futures with
     * continuation tokens; the last page carries the delta token to pass next time. The table must have change tracking
     * enabled. See [dev.dataverse.Records.changes].
     *
     * Nothing is sent by this call, and it throws nothing: failures, invalid input included, arrive through `onError`
     * or the page future.
     */
    @JvmOverloads
    public fun changes(table: String, options: ChangeTrackingOptions = ChangeTrackingOptions.DEFAULT): ChangePublisher =
        AsyncChanges(client) { records.changes(table, options) }

    override fun toString(): String = "AsyncRecords"

    // Java sees no constructor taking the internal SharedClient: the module builds facades through `AsyncRecords(client)`.
    internal companion object {
        @JvmSynthetic
        internal operator fun invoke(client: SharedClient): AsyncRecords = AsyncRecords(client)
    }
}
