package dev.dataverse.java

import dev.dataverse.BulkOptions
import dev.dataverse.BulkResult
import dev.dataverse.Filter
import dev.dataverse.ListOptions
import dev.dataverse.MatchConditions
import dev.dataverse.RecordKey
import dev.dataverse.java.internal.AsyncPaged
import dev.dataverse.java.internal.AsyncTypedPaged
import dev.dataverse.java.internal.SharedClient
import dev.dataverse.model.TableModel
import dev.dataverse.model.TypedColumn
import dev.dataverse.model.TypedTable
import java.util.UUID
import java.util.concurrent.CompletableFuture

/**
 * The records of one table as instances of a generated type [T], asynchronously: obtained with
 * `client.records().typed(Account.MODEL)` on the async client.
 *
 * Each method runs the core's [TypedTable] operation (which runs the untyped one) in a coroutine whose result completes
 * the returned future: the documentation of [AsyncRecords] applies (failures through the future, cancellation, threads).
 *
 * ```java
 * AsyncTypedTable<Account> accounts = asyncClient.records().typed(Account.MODEL);
 * accounts.create(Account.builder().name("Contoso").build())
 *     .thenCompose(accounts::get)
 *     .thenAccept(a -> System.out.println(a.getName()));
 * ```
 */
public class AsyncTypedTable<T : Any> private constructor(private val client: SharedClient, private val table: TypedTable<T>) {
    /** The model this table converts through. */
    public val model: TableModel<T> get() = table.model

    /** Creates a record from [entity]; completes with its id. */
    public fun create(entity: T): CompletableFuture<UUID> = client.future { table.create(entity) }

    /** Retrieves the record with primary id [id]; fails with [dev.dataverse.NotFoundException] when there is none. */
    public fun get(id: UUID): CompletableFuture<T> = client.future { table.get(id) }

    /** Retrieves the record [key] identifies (primary id or alternate key). */
    public fun get(key: RecordKey): CompletableFuture<T> = client.future { table.get(key) }

    /** Updates the existing record whose id [entity] holds with its set columns; never creates one. */
    public fun update(entity: T): CompletableFuture<Void?> = client.future { table.update(entity); null }

    /** [update] under [conditions] (e.g. `MatchConditions.ifMatch(etag)`); fails with a PreconditionFailedException when not met. */
    public fun update(entity: T, conditions: MatchConditions): CompletableFuture<Void?> =
        client.future { table.update(entity, conditions); null }

    /** [update] under [conditions] ([MatchConditions.NONE] for none), setting the columns of [clear] to `null`. */
    public fun update(entity: T, conditions: MatchConditions, clear: Collection<TypedColumn>): CompletableFuture<Void?> =
        client.future { table.update(entity, conditions, clear); null }

    /** Updates the existing record [key] identifies with [entity]'s set columns. */
    public fun update(key: RecordKey, entity: T): CompletableFuture<Void?> = client.future { table.update(key, entity); null }

    /** Creates or updates the record whose id [entity] holds; completes with its id. */
    public fun upsert(entity: T): CompletableFuture<UUID> = client.future { table.upsert(entity) }

    /** [upsert] under [conditions]: create-only with `MatchConditions.ifNoneMatchAny()`, update-only with `ifMatchAny()`. */
    public fun upsert(entity: T, conditions: MatchConditions): CompletableFuture<UUID> = client.future { table.upsert(entity, conditions) }

    /** Creates or updates the record [key] identifies; completes with its id. */
    public fun upsert(key: RecordKey, entity: T): CompletableFuture<UUID> = client.future { table.upsert(key, entity) }

    /** Deletes the record with primary id [id]. */
    public fun delete(id: UUID): CompletableFuture<Void?> = client.future { table.delete(id); null }

    /** Deletes the record with primary id [id] under [conditions] (e.g. `MatchConditions.ifMatch(etag)`). */
    public fun delete(id: UUID, conditions: MatchConditions): CompletableFuture<Void?> = client.future { table.delete(id, conditions); null }

    /**
     * The records matching [filter] (all when `null`) as a lazy publisher of [T]: a page is fetched only on demand.
     * Nothing is sent by this call and it throws nothing: failures arrive through `onError`. A listing like the untyped
     * ones ([PagedPublisherBase]): it also publishes pages of [TypedPage] ([TypedPagedPublisher.byPage]) and fetches them
     * one future at a time ([TypedPagedPublisher.firstPage], [TypedPagedPublisher.nextPage]).
     */
    @JvmOverloads
    public fun list(filter: Filter?, options: ListOptions = ListOptions.DEFAULT): TypedPagedPublisher<T> =
        AsyncTypedPaged(client, { table.pager(filter, options) }, table.model)

    /** All records of the table; see the other [list]. */
    public fun list(): TypedPagedPublisher<T> = list(null)

    /**
     * The untyped listing behind [list], with pages, page futures and continuation tokens (convert records with
     * [TableModel.fromRecord]); the same as `list(filter, options).untyped()`, whose pages of [TypedPage] are already
     * converted.
     */
    @JvmOverloads
    public fun pages(filter: Filter?, options: ListOptions = ListOptions.DEFAULT): PagedPublisher =
        AsyncPaged(client) { table.pager(filter, options) }

    /** Creates many records; see [AsyncRecords.createMany]. */
    @JvmOverloads
    public fun createMany(entities: List<T>, options: BulkOptions = BulkOptions.DEFAULT): CompletableFuture<BulkResult> =
        client.future { table.createMany(entities, options) }

    /** Updates many existing records, each by the id it holds. */
    @JvmOverloads
    public fun updateMany(entities: List<T>, options: BulkOptions = BulkOptions.DEFAULT): CompletableFuture<BulkResult> =
        client.future { table.updateMany(entities, options) }

    /** Creates or updates many records, each by the id it holds. */
    @JvmOverloads
    public fun upsertMany(entities: List<T>, options: BulkOptions = BulkOptions.DEFAULT): CompletableFuture<BulkResult> =
        client.future { table.upsertMany(entities, options) }

    /** Deletes many records by id. */
    @JvmOverloads
    public fun deleteMany(ids: Collection<UUID>, options: BulkOptions = BulkOptions.DEFAULT): CompletableFuture<BulkResult> =
        client.future { table.deleteMany(ids, options) }

    override fun toString(): String = "AsyncTypedTable(${table.model.logicalName})"

    internal companion object {
        @JvmSynthetic
        internal operator fun <T : Any> invoke(client: SharedClient, table: TypedTable<T>): AsyncTypedTable<T> = AsyncTypedTable(client, table)
    }
}
