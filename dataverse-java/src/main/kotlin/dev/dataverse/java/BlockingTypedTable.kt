package dev.dataverse.java

import dev.dataverse.BulkOptions
import dev.dataverse.BulkResult
import dev.dataverse.Filter
import dev.dataverse.ListOptions
import dev.dataverse.MatchConditions
import dev.dataverse.RecordKey
import dev.dataverse.java.internal.BlockingTypedPaged
import dev.dataverse.java.internal.blocking
import dev.dataverse.model.TableModel
import dev.dataverse.model.TypedColumn
import dev.dataverse.model.TypedTable
import java.util.UUID

/**
 * The records of one table as instances of a generated type [T], blocking the calling thread: obtained with
 * `client.records().typed(Account.MODEL)`.
 *
 * Each method runs the core's [TypedTable] operation, which converts through the model and runs the untyped operation:
 * the documentation of [BlockingRecords] applies (exceptions, interruption, thread safety).
 *
 * ```java
 * BlockingTypedTable<Account> accounts = client.records().typed(Account.MODEL);
 * UUID id = accounts.create(Account.builder().name("Contoso").industryCode(AccountIndustryCode.ACCOUNTING).build());
 * Account contoso = accounts.get(id);
 * accounts.update(contoso.toBuilder().telephone1("555-0100").build());
 * for (Account a : accounts.list(Account.NAME.startsWith("Con"))) {
 *     System.out.println(a.getName());
 * }
 * ```
 */
public class BlockingTypedTable<T : Any> private constructor(private val table: TypedTable<T>) {
    /** The model this table converts through. */
    public val model: TableModel<T> get() = table.model

    /** Creates a record from [entity] and returns its id; see [TypedTable.create]. */
    public fun create(entity: T): UUID = blocking { table.create(entity) }

    /**
     * Retrieves the record with primary id [id], selecting the model's columns.
     *
     * @throws dev.dataverse.NotFoundException when no such record exists.
     */
    public fun get(id: UUID): T = blocking { table.get(id) }

    /** Retrieves the record [key] identifies (primary id or alternate key). */
    public fun get(key: RecordKey): T = blocking { table.get(key) }

    /**
     * Updates the existing record whose id [entity] holds with its set columns; never creates one.
     *
     * @throws dev.dataverse.InvalidInputException when [entity] holds no id.
     * @throws dev.dataverse.NotFoundException when the record does not exist.
     */
    public fun update(entity: T): Unit = blocking { table.update(entity) }

    /**
     * [update] under [conditions] (e.g. `MatchConditions.ifMatch(etag)`: only if the record still has that version).
     *
     * @throws dev.dataverse.PreconditionFailedException when [conditions] are not met.
     */
    public fun update(entity: T, conditions: MatchConditions): Unit = blocking { table.update(entity, conditions) }

    /**
     * [update] under [conditions] ([MatchConditions.NONE] for none), setting the columns of [clear] to `null`.
     *
     * @throws dev.dataverse.PreconditionFailedException when [conditions] are not met.
     */
    public fun update(entity: T, conditions: MatchConditions, clear: Collection<TypedColumn>): Unit = blocking { table.update(entity, conditions, clear) }

    /** Updates the existing record [key] identifies with [entity]'s set columns. */
    public fun update(key: RecordKey, entity: T): Unit = blocking { table.update(key, entity) }

    /** Creates or updates the record whose id [entity] holds; returns its id. */
    public fun upsert(entity: T): UUID = blocking { table.upsert(entity) }

    /**
     * [upsert] under [conditions]: create-only with `MatchConditions.ifNoneMatchAny()`, update-only with
     * `MatchConditions.ifMatchAny()`; see [BlockingRecords.upsert].
     */
    public fun upsert(entity: T, conditions: MatchConditions): UUID = blocking { table.upsert(entity, conditions) }

    /** Creates or updates the record [key] identifies (e.g. an alternate key); returns its id. */
    public fun upsert(key: RecordKey, entity: T): UUID = blocking { table.upsert(key, entity) }

    /**
     * Deletes the record with primary id [id].
     *
     * @throws dev.dataverse.NotFoundException when the record does not exist.
     */
    public fun delete(id: UUID): Unit = blocking { table.delete(id) }

    /**
     * Deletes the record with primary id [id] under [conditions] (e.g. `MatchConditions.ifMatch(etag)`).
     *
     * @throws dev.dataverse.PreconditionFailedException when [conditions] are not met.
     */
    public fun delete(id: UUID, conditions: MatchConditions): Unit = blocking { table.delete(id, conditions) }

    /**
     * The records matching [filter] (all when `null`), lazily, as instances of [T]; [options] gives ordering, page
     * size and `top`. A listing like the untyped ones ([PagedIterableBase]): instances, pages of [TypedPage] with their
     * continuation tokens, resuming from a token. See [TypedPagedIterable].
     */
    @JvmOverloads
    public fun list(filter: Filter?, options: ListOptions = ListOptions.DEFAULT): TypedPagedIterable<T> =
        BlockingTypedPaged(table.pager(filter, options), table.model)

    /** All records of the table; see the other [list]. */
    public fun list(): TypedPagedIterable<T> = list(null)

    /** Creates many records; see [BlockingRecords.createMany]. */
    @JvmOverloads
    public fun createMany(entities: List<T>, options: BulkOptions = BulkOptions.DEFAULT): BulkResult = blocking { table.createMany(entities, options) }

    /** Updates many existing records, each by the id it holds; see [BlockingRecords.updateMany]. */
    @JvmOverloads
    public fun updateMany(entities: List<T>, options: BulkOptions = BulkOptions.DEFAULT): BulkResult = blocking { table.updateMany(entities, options) }

    /** Creates or updates many records, each by the id it holds; see [BlockingRecords.upsertMany]. */
    @JvmOverloads
    public fun upsertMany(entities: List<T>, options: BulkOptions = BulkOptions.DEFAULT): BulkResult = blocking { table.upsertMany(entities, options) }

    /** Deletes many records by id; see [BlockingRecords.deleteMany]. */
    @JvmOverloads
    public fun deleteMany(ids: Collection<UUID>, options: BulkOptions = BulkOptions.DEFAULT): BulkResult = blocking { table.deleteMany(ids, options) }

    override fun toString(): String = "BlockingTypedTable(${table.model.logicalName})"

    internal companion object {
        @JvmSynthetic
        internal operator fun <T : Any> invoke(table: TypedTable<T>): BlockingTypedTable<T> = BlockingTypedTable(table)
    }
}
