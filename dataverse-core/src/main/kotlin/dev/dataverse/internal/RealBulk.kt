package dev.dataverse.internal

import dev.dataverse.BatchOutcome
import dev.dataverse.BatchRequest
import dev.dataverse.BulkOptions
import dev.dataverse.BulkResult
import dev.dataverse.DataverseException
import dev.dataverse.DuplicateRecordException
import dev.dataverse.InvalidInputException
import dev.dataverse.MalformedResponseException
import dev.dataverse.RecordChange
import dev.dataverse.RecordKey
import dev.dataverse.RequestTooLargeException
import dev.dataverse.TableType
import dev.dataverse.internal.WritePreparer.Shape
import dev.dataverse.internal.protocol.ApiResponse
import dev.dataverse.internal.protocol.BulkCodec
import dev.dataverse.internal.protocol.Redaction
import dev.dataverse.internal.protocol.RequestBody
import dev.dataverse.internal.protocol.TableMetadata
import dev.dataverse.internal.protocol.TableName
import dev.dataverse.internal.protocol.parseGuidOrNull
import dev.dataverse.internal.transport.HttpTransport
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.asFlow
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonPrimitive
import java.util.Collections
import java.util.UUID

/**
 * Bulk create, update, upsert and delete. Chunks go through the `CreateMultiple`/`UpdateMultiple`/`UpsertMultiple`
 * actions (deletes through `$batch`, since standard tables have no `DeleteMultiple`). When an action chunk fails for a
 * reason tied to its content, the chunk — which the service rolled back as a whole — is replayed as a `$batch` of single
 * operations with continue-on-error, so the result names exactly the inputs at fault. A table whose service refuses an
 * action goes through `$batch` from then on.
 *
 * ## Elastic tables
 * Elastic tables take chunks of [BulkOptions.elasticChunkSize], delete through `DeleteMultiple`, and do not roll a
 * failed request back (Learn: bulk-operations, "Bulk operations with elastic tables"): the per-record statuses of the
 * error ([BulkItemStatuses]) say which inputs failed, and nothing is replayed, since the others were applied. Without
 * those statuses the whole chunk is reported failed with the service's error, which says the records may be partly
 * written.
 */
internal class RealBulk(
    private val transport: HttpTransport,
    private val tables: TableMetadataCache,
    private val batches: RealBatch,
    private val writes: WritePreparer,
) {
    /** `table/action` pairs the service said it does not support. */
    private val unsupported = Collections.newSetFromMap(java.util.concurrent.ConcurrentHashMap<String, Boolean>())

    /** One input on its way: as given (a failure reports it), and as prepared for a bulk action's `Targets`. */
    private class Item<I : Any>(val input: I, val write: WritePreparer.Prepared)

    /** A list is prepared whole — labels, validation, lookups, ids, JSON — before anything is sent. */
    suspend fun createMany(name: TableName, inputs: List<Map<String, Any?>>, options: BulkOptions): BulkResult {
        val items = prepareAll(inputs, { writes.resolveAndCheck(name, it) }) { writes.prepare(name, it, WritePreparer.Kind.CREATE, Shape.bulkTarget()) }
        return runner<Item<Map<String, Any?>>>(options, items.size, name) { it.input }.run(items.asFlow()) { chunk -> createChunk(chunk, options) }
    }

    /** A flow is prepared chunk by chunk: an invalid input fails alone and is never sent. */
    suspend fun createMany(name: TableName, inputs: Flow<Map<String, Any?>>, options: BulkOptions): BulkResult =
        runner<Map<String, Any?>>(options, null, name) { it }.run(inputs) { chunk ->
            prepared(chunk, { writes.prepare(name, it, WritePreparer.Kind.CREATE, Shape.bulkTarget()) }) { items -> createChunk(items, options) }
        }

    /** Ids are assigned when inputs are prepared, so that a retried chunk recognises its own earlier success as duplicates. */
    private suspend fun createChunk(chunk: List<Item<Map<String, Any?>>>, options: BulkOptions): List<ItemOutcome> {
        val table = chunk.first().write.table
        val primaryId = table.primaryIdAttribute
        val ids = chunk.map { it.write.id }
        val outcomes = action(table, BulkCodec.CREATE_MULTIPLE, chunk, { response -> confirmedIds(ids, BulkCodec.createdIds(response)) }, replayedIds = ids) { batch, item ->
            batch.create(table.logicalName, item.write.values + (primaryId to item.write.id))
        }
        if (!options.skipExisting || table.tableType == TableType.ELASTIC) return outcomes
        // A chunk of several inputs that met an existing id was rolled back and replayed one create at a time, so each
        // duplicate here is that input's own: its id exists. A duplicate after an ambiguous attempt is the client's own
        // earlier create, which the transport already reports as created.
        return outcomes.mapIndexed { i, outcome ->
            val id = ids[i]
            val error = outcome.error
            if (id != null && error is DuplicateRecordException && error.errorCode == DUPLICATE_KEY && !error.afterAmbiguousAttempt) {
                ItemOutcome.existed(id)
            } else {
                outcome
            }
        }
    }

    /**
     * The ids a `CreateMultiple` answer confirms for the records sent with [sent]. The client assigned those ids, so an
     * answer naming any other record (or a different number of them) cannot describe what was created: it is refused
     * rather than handed to the caller as the new records' ids, and the message names the ids sent, which are the ones
     * to read back (the service may have created them). An answer without `Ids` confirms the ids sent.
     */
    private fun confirmedIds(sent: List<UUID?>, answer: JsonElement?): List<UUID?> {
        if (answer == null || answer is JsonNull) return sent
        val answered = (answer as? JsonArray)?.map { (it as? JsonPrimitive)?.takeIf { p -> p.isString }?.content?.let(::parseGuidOrNull) }
        val assigned = sent.filterNotNull()
        val matches = answered != null && answered.size == sent.size && answered.none { it == null } && answered.toSet().containsAll(assigned)
        if (!matches) {
            throw MalformedResponseException(
                "CreateMultiple answered Ids ${Redaction.redact(answer.toString().take(MAX_ECHOED))} for the ${sent.size} records " +
                    "sent with ids ${sent.joinToString(", ", "[", "]")}: the answer names other records. The records sent may have " +
                    "been created: read them back by these ids before creating them again.",
            )
        }
        // Positions follow the inputs; the answer's order is not relied on.
        return if (assigned.size == sent.size) sent else answered
    }

    suspend fun updateMany(name: TableName, inputs: List<RecordChange>, options: BulkOptions): BulkResult =
        changeMany(name, BulkCodec.UPDATE_MULTIPLE, inputs, options)

    suspend fun updateMany(name: TableName, inputs: Flow<RecordChange>, options: BulkOptions): BulkResult =
        changeMany(name, BulkCodec.UPDATE_MULTIPLE, inputs, options)

    suspend fun upsertMany(name: TableName, inputs: List<RecordChange>, options: BulkOptions): BulkResult =
        changeMany(name, BulkCodec.UPSERT_MULTIPLE, inputs, options)

    suspend fun upsertMany(name: TableName, inputs: Flow<RecordChange>, options: BulkOptions): BulkResult =
        changeMany(name, BulkCodec.UPSERT_MULTIPLE, inputs, options)

    private suspend fun changeMany(name: TableName, action: String, inputs: List<RecordChange>, options: BulkOptions): BulkResult {
        requireCreateOnly(options, if (action == BulkCodec.UPDATE_MULTIPLE) "updateMany" else "upsertMany")
        val items = prepareAll(inputs, { change -> writes.resolveAndCheck(name, change.values) }) { change -> prepareChange(name, change) }
        return runner<Item<RecordChange>>(options, items.size, name) { it.input }.run(items.asFlow()) { chunk -> changeChunk(name, action, chunk) }
    }

    private suspend fun changeMany(name: TableName, action: String, inputs: Flow<RecordChange>, options: BulkOptions): BulkResult {
        requireCreateOnly(options, if (action == BulkCodec.UPDATE_MULTIPLE) "updateMany" else "upsertMany")
        return runner<RecordChange>(options, null, name) { it }.run(inputs) { chunk ->
            prepared(chunk, { change -> prepareChange(name, change) }) { items -> changeChunk(name, action, items) }
        }
    }

    private suspend fun prepareChange(name: TableName, change: RecordChange): WritePreparer.Prepared {
        @Suppress("SENSELESS_COMPARISON") // Java callers can pass nulls.
        if (change == null) throw InvalidInputException("An input of a bulk operation is null.")
        return writes.prepare(name, change.values, WritePreparer.Kind.CHANGE, Shape.bulkTarget(change.key))
    }

    private suspend fun changeChunk(name: TableName, action: String, chunk: List<Item<RecordChange>>): List<ItemOutcome> {
        val update = action == BulkCodec.UPDATE_MULTIPLE
        val single: (BatchRequest.Builder, Item<RecordChange>) -> Unit = { batch, item ->
            val change = item.input
            if (update) batch.update(name.value, change.key, item.write.values) else batch.upsert(name.value, change.key, item.write.values)
        }
        // UpdateMultiple addresses records by primary id only; changes by alternate key go through $batch.
        val outcomes = if (!update || chunk.all { it.input.key.id != null }) {
            action(chunk.first().write.table, action, chunk, { null }, single = single)
        } else {
            viaBatch(chunk, single)
        }
        return outcomes.mapIndexed { i, outcome -> if (outcome.error == null) ItemOutcome.succeeded(chunk[i].input.key.id) else outcome }
    }

    suspend fun deleteMany(name: TableName, keys: List<RecordKey>, options: BulkOptions): BulkResult {
        requireCreateOnly(options, "deleteMany")
        requireInputs(keys)
        return deleteMany(name, keys.asFlow(), options, keys.size)
    }

    suspend fun deleteMany(name: TableName, keys: Flow<RecordKey>, options: BulkOptions, total: Int? = null): BulkResult {
        requireCreateOnly(options, "deleteMany")
        return runner<RecordKey>(options, total, name) { it }.run(keys) { chunk ->
            val metadata = tables.get(name)
            val single: (BatchRequest.Builder, RecordKey) -> Unit = { batch, key -> batch.delete(name.value, key) }
            // DeleteMultiple exists for elastic tables only; it addresses records by primary id (and partition).
            val targets = if (metadata.tableType == TableType.ELASTIC) chunk.map { BulkCodec.deleteTarget(metadata, it) } else null
            val outcomes = if (targets != null && targets.none { it == null }) {
                action(metadata, BulkCodec.DELETE_MULTIPLE, chunk.indices.toList(), { null }, targets = targets.map { it!! }) { batch, i -> single(batch, chunk[i]) }
            } else {
                viaBatch(chunk, single)
            }
            outcomes.mapIndexed { i, outcome -> if (outcome.error == null) ItemOutcome.succeeded(chunk[i].id) else outcome }
        }
    }

    /**
     * Prepares each input of a chunk on its own: invalid inputs fail with their [InvalidInputException] and are never
     * sent; the valid ones go through [send]. Outcomes are returned in the chunk's order.
     */
    private suspend fun <I : Any> prepared(
        inputs: List<I>,
        prepare: suspend (I) -> WritePreparer.Prepared,
        send: suspend (List<Item<I>>) -> List<ItemOutcome>,
    ): List<ItemOutcome> {
        val invalid = HashMap<Int, InvalidInputException>()
        val items = ArrayList<Item<I>>(inputs.size)
        inputs.forEachIndexed { index, input ->
            try {
                items += Item(input, prepare(input))
            } catch (e: InvalidInputException) {
                invalid[index] = e
            }
        }
        if (invalid.isEmpty()) return send(items)
        val sent = (if (items.isEmpty()) emptyList() else send(items)).iterator()
        return inputs.indices.map { index -> invalid[index]?.let { ItemOutcome.failed(it) } ?: sent.next() }
    }

    /**
     * Prepares a whole list, naming the first input at fault. Every input is [check]ed (labels resolved, values validated)
     * before any is prepared, since preparing looks the table up: invalid input anywhere in the list sends nothing.
     */
    private suspend fun <I : Any> prepareAll(
        inputs: List<I>,
        check: suspend (I) -> Unit,
        prepare: suspend (I) -> WritePreparer.Prepared,
    ): List<Item<I>> {
        requireInputs(inputs)
        inputs.forEachIndexed { index, input -> named(index) { check(input) } }
        return inputs.mapIndexed { index, input -> named(index) { Item(input, prepare(input)) } }
    }

    private inline fun <T> named(index: Int, block: () -> T): T = try {
        block()
    } catch (e: InvalidInputException) {
        throw InvalidInputException("Input #$index of the bulk operation is invalid: ${e.message}", e)
    }

    /**
     * Sends one chunk through a bulk action and returns its per-input outcomes. [readIds] parses the success body (or
     * returns `null` when the action answers without ids).
     */
    @Suppress("LongParameterList")
    private suspend fun <I : Any> action(
        metadata: TableMetadata,
        action: String,
        chunk: List<I>,
        readIds: (ApiResponse) -> List<UUID?>?,
        replayedIds: List<UUID?>? = null,
        targets: List<RequestBody.Bytes> = chunk.map { (it as Item<*>).write.body },
        single: (BatchRequest.Builder, I) -> Unit,
    ): List<ItemOutcome> {
        val unsupportedKey = "${metadata.logicalName}/$action"
        if (unsupportedKey in unsupported) return viaBatch(chunk, single)
        val elastic = metadata.tableType == TableType.ELASTIC
        val response = try {
            transport.send(BulkCodec.action(metadata, action, targets))
        } catch (e: DataverseException) {
            return when {
                // Nothing was applied; the caller sends the chunk again in smaller parts.
                e is RequestTooLargeException -> throw e
                // A retry found the records its own dropped first attempt created: the chunk succeeded.
                e is DuplicateRecordException && e.afterAmbiguousAttempt && replayedIds != null -> replayedIds.map { ItemOutcome.succeeded(it) }
                isUnsupportedAction(e, action) -> {
                    unsupported += unsupportedKey
                    viaBatch(chunk, single)
                }
                // Not rolled back: replaying would write the applied records twice.
                elastic -> partialOutcomes(action, chunk.size, e, replayedIds)
                // The whole chunk was rolled back; replaying it one operation at a time finds the inputs at fault.
                isCausedByContent(e) && chunk.size > 1 -> viaBatch(chunk, single)
                else -> chunk.map { ItemOutcome.failed(e) }
            }
        }
        val ids = readIds(response)
        return chunk.indices.map { ItemOutcome.succeeded(ids?.get(it)) }
    }

    /**
     * The outcomes of an elastic table's bulk request that failed: those the per-record statuses name as failed get an
     * error of their own, the rest were applied. Without readable statuses every input gets the service's error.
     */
    private fun partialOutcomes(action: String, size: Int, e: DataverseException, replayedIds: List<UUID?>?): List<ItemOutcome> {
        val statuses = e.bulkItems?.takeIf { items -> items.all { it.index < size } && items.any { !it.succeeded } }
            ?: return List(size) { ItemOutcome.failed(e) }
        val byIndex = statuses.associateBy { it.index }
        return List(size) { i ->
            val status = byIndex[i]
            if (status == null || status.succeeded) {
                ItemOutcome.succeeded(status?.id ?: replayedIds?.get(i))
            } else {
                ItemOutcome.failed(
                    DataverseException(
                        "$action failed for input #$i of its request with HTTP ${status.statusCode}; the service applied the other inputs " +
                            "of the request (elastic tables do not roll back). Service error: ${e.serviceMessage ?: e.message}",
                        e, status.statusCode, e.errorCode, e.serviceRequestId, e.clientRequestId, e.correlationId,
                    ),
                )
            }
        }
    }

    /** Runs a chunk as one `$batch` of single operations with continue-on-error, for exact per-input outcomes. */
    private suspend fun <I : Any> viaBatch(chunk: List<I>, single: (BatchRequest.Builder, I) -> Unit): List<ItemOutcome> {
        val builder = BatchRequest.builder().continueOnError(true)
        chunk.forEach { single(builder, it) }
        val results = batches.execute(builder.build()).operations
        // The service refused the whole $batch body as too large: nothing ran, so the caller may split and resend.
        if (results.isNotEmpty() && results.all { it.error is RequestTooLargeException }) throw results.first().error!!
        return results.map { result ->
            when (result.outcome) {
                BatchOutcome.SUCCEEDED -> ItemOutcome.succeeded(result.entityId)
                else -> ItemOutcome.failed(result.error ?: DataverseException("Operation ${result.index} was ${result.outcome}."))
            }
        }
    }

    /** [BulkOptions.skipExisting] means something for creates only: anywhere else it is refused before anything is sent. */
    private fun requireCreateOnly(options: BulkOptions, operation: String) {
        if (options.skipExisting) {
            throw InvalidInputException(
                "'skipExisting' applies to createMany only, not to $operation: to make records exist with given values, use upsertMany.",
            )
        }
    }

    private fun <I> requireInputs(inputs: List<I>) {
        @Suppress("SENSELESS_COMPARISON")
        if (inputs == null || inputs.isEmpty()) {
            throw InvalidInputException("A bulk operation needs at least one input; the list is empty.")
        }
        inputs.forEachIndexed { index, input ->
            @Suppress("SENSELESS_COMPARISON")
            if (input == null) throw InvalidInputException("Input #$index of the bulk operation is null.")
        }
    }

    /**
     * A runner whose chunk size follows the type of table [name], looked up once the first input has been read;
     * [inputOf] is what a failure reports of an item: the input as given.
     */
    private fun <I : Any> runner(options: BulkOptions, total: Int?, name: TableName, inputOf: (I) -> Any) = BulkRunner<I>(
        options, total,
        { if (tables.get(name).tableType == TableType.ELASTIC) options.elasticChunkSize else options.chunkSize },
        { transport.dopHint },
        inputOf,
    )

    private companion object {
        /** `0x80040237` "Cannot insert duplicate key" (Learn: "Dataverse client errors"): a record with this primary id exists. */
        const val DUPLICATE_KEY = "0x80040237"

        /** How much of a refused answer a message quotes. */
        const val MAX_ECHOED = 300

        /**
         * Wordings of "this table does not offer the action". Learn (bulk-operations) documents "DeleteMultiple has
         * not yet been implemented." and "The 'DeleteMultiple' method does not support entities of type 'contact'.";
         * the others are the OData forms for an unknown bound action.
         */
        private val UNSUPPORTED_WORDINGS = listOf(
            "has not yet been implemented", "does not support entities of type", "not supported", "not implemented",
            "not found for the segment",
        )

        /** The service answers a bulk action a table does not support with 400/404/405/501 naming the message. */
        fun isUnsupportedAction(e: DataverseException, action: String): Boolean =
            e.statusCode in setOf(400, 404, 405, 501) && (e.serviceMessage ?: e.message ?: "").let { message ->
                message.contains(action, ignoreCase = true) && UNSUPPORTED_WORDINGS.any { message.contains(it, ignoreCase = true) }
            }

        /** 4xx other than throttling and authentication: something in the inputs. */
        fun isCausedByContent(e: DataverseException): Boolean = e.statusCode in 400..499 && e.statusCode !in setOf(401, 403, 408, 429) && !e.isTransient
    }
}
