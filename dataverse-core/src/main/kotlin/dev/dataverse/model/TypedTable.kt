package dev.dataverse.model

import dev.dataverse.BulkOptions
import dev.dataverse.BulkResult
import dev.dataverse.Filter
import dev.dataverse.ListOptions
import dev.dataverse.MatchConditions
import dev.dataverse.Pager
import dev.dataverse.RecordKey
import kotlinx.coroutines.flow.Flow
import java.util.UUID

/**
 * The records of one table as instances of a generated type [T]: obtained with `client.records.typed(Account)` (Kotlin)
 * or `client.records().typed(Account.MODEL)` (Java facades).
 *
 * Every operation converts through the [model] and runs the untyped operation of [dev.dataverse.Records] with the same
 * arguments, so requests, retries and errors are those documented there: the typed layer adds no behaviour of its own
 * besides selecting the model's [TableModel.columns] on reads and refusing, before anything is sent, a write that
 * needs an id the instance lacks.
 *
 * ```kotlin
 * val accounts = client.records.typed(Account)
 * val id = accounts.create(Account(name = "Contoso", industryCode = AccountIndustryCode.ACCOUNTING))
 * val contoso: Account = accounts.get(id)
 * accounts.update(contoso.copy(telephone1 = "555-0100"))
 * accounts.list(Account.NAME startsWith "Con").collect { println(it.name) }
 * ```
 *
 * ## Cancellation
 * As [dev.dataverse.Records]: cancelling the calling coroutine aborts the HTTP exchange.
 */
public interface TypedTable<T : Any> {
    /** The model this table converts through. */
    public val model: TableModel<T>

    /**
     * Creates a record from [entity] (its set columns valid for create; its id when set) and returns its id.
     *
     * @throws dev.dataverse.DuplicateRecordException when a record with the same id or alternate key exists.
     */
    public suspend fun create(entity: T): UUID

    /**
     * Retrieves the record with primary id [id], selecting the model's columns.
     *
     * @throws dev.dataverse.NotFoundException when no such record exists.
     */
    public suspend fun get(id: UUID): T

    /** Retrieves the record [key] identifies (primary id or alternate key); see [get]. */
    public suspend fun get(key: RecordKey): T

    /**
     * Updates the existing record whose id [entity] holds with its set columns valid for update; never creates one.
     * Columns in [clear] are set to `null`.
     *
     * @param conditions e.g. [MatchConditions.ifMatch] to update only the version read, as in [dev.dataverse.Records.update].
     * @throws dev.dataverse.InvalidInputException when [entity] holds no id, or [clear] names a lookup (clear those with
     *   `records.disassociate`) or a column of another kind the model cannot write.
     * @throws dev.dataverse.NotFoundException when the record does not exist.
     * @throws dev.dataverse.PreconditionFailedException when [conditions] are not met.
     */
    public suspend fun update(entity: T, conditions: MatchConditions = MatchConditions.NONE, clear: Collection<TypedColumn> = emptyList())

    /**
     * Updates the existing record [key] identifies with [entity]'s set columns valid for update; see the other [update].
     */
    public suspend fun update(key: RecordKey, entity: T, conditions: MatchConditions = MatchConditions.NONE, clear: Collection<TypedColumn> = emptyList())

    /**
     * Creates the record whose id [entity] holds, or updates it when it exists, and returns its id.
     *
     * [conditions] make it create-only ([MatchConditions.ifNoneMatchAny]) or update-only, as in [dev.dataverse.Records.upsert].
     * @throws dev.dataverse.InvalidInputException when [entity] holds no id.
     */
    public suspend fun upsert(entity: T, conditions: MatchConditions = MatchConditions.NONE): UUID

    /** Creates or updates the record [key] identifies (e.g. an alternate key) from [entity]; see [dev.dataverse.Records.upsert]. */
    public suspend fun upsert(key: RecordKey, entity: T, conditions: MatchConditions = MatchConditions.NONE): UUID

    /**
     * Deletes the record with primary id [id].
     *
     * [conditions]: e.g. [MatchConditions.ifMatch] to delete only the version read, as in [dev.dataverse.Records.delete].
     * @throws dev.dataverse.NotFoundException when the record does not exist.
     * @throws dev.dataverse.PreconditionFailedException when [conditions] are not met.
     */
    public suspend fun delete(id: UUID, conditions: MatchConditions = MatchConditions.NONE)

    /**
     * The records matching [filter] (all when `null`) as a cold, lazy flow of [T], selecting the model's columns;
     * [options] gives ordering, page size, `top` (its `select` and `filter` are replaced). See [dev.dataverse.Records.list].
     */
    public fun list(filter: Filter? = null, options: ListOptions = ListOptions.DEFAULT): Flow<T>

    /** The untyped [Pager] behind [list], with the same query: for resumable paging (convert its records with [TableModel.fromRecord]). */
    public fun pager(filter: Filter? = null, options: ListOptions = ListOptions.DEFAULT): Pager

    /**
     * Creates many records ([dev.dataverse.Records.createMany]); ids in input order.
     *
     * @throws dev.dataverse.BulkOperationException as [dev.dataverse.Records.createMany].
     */
    public suspend fun createMany(entities: List<T>, options: BulkOptions = BulkOptions.DEFAULT): BulkResult

    /**
     * Updates many existing records, each by the id it holds ([dev.dataverse.Records.updateMany]).
     *
     * @throws dev.dataverse.InvalidInputException naming the position of an instance without an id, before anything is sent.
     */
    public suspend fun updateMany(entities: List<T>, options: BulkOptions = BulkOptions.DEFAULT): BulkResult

    /** Creates or updates many records, each by the id it holds ([dev.dataverse.Records.upsertMany]); ids as in [updateMany]. */
    public suspend fun upsertMany(entities: List<T>, options: BulkOptions = BulkOptions.DEFAULT): BulkResult

    /** Deletes many records by id ([dev.dataverse.Records.deleteMany]). */
    public suspend fun deleteMany(ids: Collection<UUID>, options: BulkOptions = BulkOptions.DEFAULT): BulkResult
}
