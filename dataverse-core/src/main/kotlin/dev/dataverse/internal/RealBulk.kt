package dev.dataverse.internal

import dev.dataverse.BatchOutcome
import dev.dataverse.BatchRequest
import dev.dataverse.BulkOptions
import dev.dataverse.BulkResult
import dev.dataverse.DataverseException
import dev.dataverse.DuplicateRecordException
import dev.dataverse.EntityReference
import dev.dataverse.InvalidInputException
import dev.dataverse.MalformedResponseException
import dev.dataverse.RecordChange
import dev.dataverse.RecordKey
import dev.dataverse.RequestTooLargeException
import dev.dataverse.TableType
import dev.dataverse.internal.protocol.BulkItemStatuses
import dev.dataverse.internal.protocol.Identifiers
import dev.dataverse.internal.protocol.Payloads
import dev.dataverse.internal.protocol.QueryStrings
import dev.dataverse.internal.protocol.Responses
import dev.dataverse.internal.protocol.TableMetadata
import dev.dataverse.internal.protocol.parseGuidOrNull
import dev.dataverse.internal.transport.ApiRequest
import dev.dataverse.internal.transport.HttpTransport
import dev.dataverse.internal.protocol.Redaction
import dev.dataverse.internal.transport.RequestBody
import io.ktor.http.HttpMethod
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.asFlow
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
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
) {
    /** `table/action` pairs the service said it does not support. */
    private val unsupported = Collections.newSetFromMap(java.util.concurrent.ConcurrentHashMap<String, Boolean>())

    suspend fun createMany(table: String, inputs: List<Map<String, Any?>>, options: BulkOptions): BulkResult {
        val name = Identifiers.requireTable(table)
        val resolved = resolveAll(inputs) { tables.choiceLabels.resolve(name, it) }
        requireInputs(resolved) { validate(it) }
        return createMany(name, resolved.asFlow(), options, inputs.size)
    }

    /** [total] is set for a list, which [requireInputs] validated whole: its chunks are not validated again. */
    suspend fun createMany(table: String, inputs: Flow<Map<String, Any?>>, options: BulkOptions, total: Int? = null): BulkResult {
        val name = Identifiers.requireTable(table)
        return runner<Map<String, Any?>>(options, total, name).run(inputs) { inputChunk ->
            val metadata = tables.get(name)
            val resolve: (suspend (Map<String, Any?>) -> Map<String, Any?>)? =
                if (total == null) { values -> tables.choiceLabels.resolve(name, values) } else null
            validated(inputChunk, if (total == null) ::validate else null, resolve) { chunk -> createChunk(metadata, chunk) }
        }
    }

    /** Ids are assigned before sending, so that a retried chunk recognises its own earlier success as duplicates. */
    private suspend fun createChunk(metadata: TableMetadata, chunk: List<Map<String, Any?>>): List<ItemOutcome> {
        val primaryId = metadata.primaryIdAttribute
        val withIds = chunk.map { values -> if (values[primaryId] != null) values else values + (primaryId to UUID.randomUUID()) }
        val ids = withIds.map { values -> (values[primaryId] as? UUID) ?: parseGuidOrNull(values[primaryId].toString()) }
        return action(metadata, "CreateMultiple", withIds, { values -> payload(values, metadata) }, { response ->
            confirmedIds(ids, Responses.jsonObject(response, "CreateMultiple")["Ids"])
        }, replayedIds = ids) { batch, values -> batch.create(metadata.logicalName, values) }
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

    suspend fun updateMany(table: String, inputs: List<RecordChange>, options: BulkOptions): BulkResult {
        val name = Identifiers.requireTable(table)
        val resolved = resolveAll(inputs) { resolveChange(name, it) }
        requireInputs(resolved) { validate(it.values) }
        return changeMany(name, "UpdateMultiple", resolved.asFlow(), options, inputs.size)
    }

    suspend fun updateMany(table: String, inputs: Flow<RecordChange>, options: BulkOptions): BulkResult =
        changeMany(Identifiers.requireTable(table), "UpdateMultiple", inputs, options, null)

    suspend fun upsertMany(table: String, inputs: List<RecordChange>, options: BulkOptions): BulkResult {
        val name = Identifiers.requireTable(table)
        val resolved = resolveAll(inputs) { resolveChange(name, it) }
        requireInputs(resolved) { validate(it.values) }
        return changeMany(name, "UpsertMultiple", resolved.asFlow(), options, inputs.size)
    }

    suspend fun upsertMany(table: String, inputs: Flow<RecordChange>, options: BulkOptions): BulkResult =
        changeMany(Identifiers.requireTable(table), "UpsertMultiple", inputs, options, null)

    suspend fun deleteMany(table: String, keys: List<RecordKey>, options: BulkOptions): BulkResult {
        val name = Identifiers.requireTable(table)
        requireInputs(keys) { }
        return deleteMany(name, keys.asFlow(), options, keys.size)
    }

    suspend fun deleteMany(table: String, keys: Flow<RecordKey>, options: BulkOptions, total: Int? = null): BulkResult {
        val name = Identifiers.requireTable(table)
        return runner<RecordKey>(options, total, name).run(keys) { chunk ->
            val metadata = tables.get(name)
            val single: (BatchRequest.Builder, RecordKey) -> Unit = { batch, key -> batch.delete(name, key) }
            // DeleteMultiple exists for elastic tables only; it addresses records by primary id (and partition).
            val targets = if (metadata.tableType == TableType.ELASTIC) chunk.map { deleteTarget(it, metadata) } else null
            val outcomes = if (targets != null && targets.none { it == null }) {
                action(metadata, "DeleteMultiple", chunk.indices.toList(), { targets[it]!! }, { null }, single = { batch, i -> single(batch, chunk[i]) })
            } else {
                viaBatch(chunk, single)
            }
            outcomes.mapIndexed { i, outcome -> if (outcome.error == null) ItemOutcome.succeeded(chunk[i].id) else outcome }
        }
    }

    /**
     * A `DeleteMultiple` target: `{"@odata.type", "<primary id>": id, "partitionid": p}` (WIRE.md §4; Learn: "Bulk
     * operations with elastic tables"). `null` for a key without a primary id, which only a single delete can address.
     */
    private fun deleteTarget(key: RecordKey, metadata: TableMetadata): JsonObject? {
        val id = key.id ?: (key.alternateKey[metadata.primaryIdAttribute] as? UUID) ?: return null
        if (key.id == null && key.alternateKey.keys.any { it != metadata.primaryIdAttribute && it != RecordKey.PARTITION_ID_COLUMN }) return null
        val partition = key.partitionId ?: key.alternateKey[RecordKey.PARTITION_ID_COLUMN]?.toString()
        val fields = linkedMapOf<String, Any?>(metadata.primaryIdAttribute to id)
        partition?.let { fields[RecordKey.PARTITION_ID_COLUMN] = it }
        return payload(fields, metadata)
    }

    private suspend fun changeMany(name: String, action: String, inputs: Flow<RecordChange>, options: BulkOptions, total: Int?): BulkResult =
        runner<RecordChange>(options, total, name).run(inputs) { inputChunk ->
            val metadata = tables.get(name)
            val resolve: (suspend (RecordChange) -> RecordChange)? = if (total == null) { change -> resolveChange(name, change) } else null
            validated(inputChunk, if (total == null) { change -> validate(change.values) } else null, resolve) { chunk ->
                changeChunk(name, action, metadata, chunk)
            }
        }

    private suspend fun changeChunk(name: String, action: String, metadata: TableMetadata, chunk: List<RecordChange>): List<ItemOutcome> {
        val update = action == "UpdateMultiple"
        val single: (BatchRequest.Builder, RecordChange) -> Unit = { batch, change ->
            if (update) batch.update(name, change.key, change.values) else batch.upsert(name, change.key, change.values)
        }
        // UpdateMultiple addresses records by primary id only; changes by alternate key go through $batch.
        val outcomes = if (!update || chunk.all { it.key.id != null }) {
            action(metadata, action, chunk, { change -> target(change, metadata) }, { null }, single = single)
        } else {
            viaBatch(chunk, single)
        }
        return outcomes.mapIndexed { i, outcome -> if (outcome.error == null) ItemOutcome.succeeded(chunk[i].key.id) else outcome }
    }

    /**
     * Validates each input of a chunk on its own: invalid inputs fail with their [InvalidInputException] and are never
     * sent; the valid ones go through [send]. Outcomes are returned in the chunk's order. A `null` [validateInput] means
     * the inputs were validated already.
     */
    private suspend fun <I : Any> validated(
        inputs: List<I>,
        validateInput: (suspend (I) -> Unit)?,
        resolve: (suspend (I) -> I)?,
        send: suspend (List<I>) -> List<ItemOutcome>,
    ): List<ItemOutcome> {
        if (validateInput == null) return send(inputs)
        val invalid = HashMap<Int, InvalidInputException>()
        val chunk = inputs.mapIndexed { index, input ->
            try {
                val resolved = resolve?.invoke(input) ?: input
                validateInput(resolved)
                resolved
            } catch (e: InvalidInputException) {
                invalid[index] = e
                input
            }
        }
        if (invalid.isEmpty()) return send(chunk)
        val valid = chunk.filterIndexed { index, _ -> index !in invalid }
        val sent = (if (valid.isEmpty()) emptyList() else send(valid)).iterator()
        return chunk.indices.map { index -> invalid[index]?.let { ItemOutcome.failed(it) } ?: sent.next() }
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
        toTarget: (I) -> JsonObject,
        readIds: (String) -> List<UUID?>?,
        replayedIds: List<UUID?>? = null,
        single: (BatchRequest.Builder, I) -> Unit,
    ): List<ItemOutcome> {
        val unsupportedKey = "${metadata.logicalName}/$action"
        if (unsupportedKey in unsupported) return viaBatch(chunk, single)
        val body = JsonObject(mapOf("Targets" to JsonArray(chunk.map(toTarget)))).toString()
        val elastic = metadata.tableType == TableType.ELASTIC
        val headers = if (elastic) listOf("Prefer" to BulkItemStatuses.PREFER) else emptyList()
        val response = try {
            transport.send(
                ApiRequest(HttpMethod.Post, "${metadata.entitySetName}/Microsoft.Dynamics.CRM.$action", headers, RequestBody.Json(body), idempotent = true),
            )
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
        val ids = readIds(response.body)
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

    private fun payload(values: Map<String, Any?>, metadata: TableMetadata, extra: Map<String, Any?> = emptyMap()): JsonObject {
        val json = Payloads.toJsonWithBindings(values + extra) { value ->
            (value as? EntityReference)?.let { reference -> "/${entitySetOf(reference.table)}(${reference.id})" }
        }
        return JsonObject(json + ("@odata.type" to JsonPrimitive("Microsoft.Dynamics.CRM.${metadata.logicalName}")))
    }

    private fun target(change: RecordChange, metadata: TableMetadata): JsonObject {
        val id = change.key.id
        val addressing = if (id != null) {
            // An elastic table's record is found by primary id and partition together.
            mapOf(metadata.primaryIdAttribute to id) + (change.key.partitionId?.let { mapOf(RecordKey.PARTITION_ID_COLUMN to it) } ?: emptyMap())
        } else {
            mapOf("@odata.id" to QueryStrings.recordPath(metadata, change.key))
        }
        return payload(change.values, metadata, addressing)
    }

    /** Entity sets of referenced tables are resolved by [validate]'s caller beforehand, so this never suspends. */
    private fun entitySetOf(table: String): String =
        tables.cached(table.lowercase())?.entitySetName
            ?: throw InvalidInputException("Table '$table' referenced by an EntityReference is not known yet.")

    /** Validates one input's values and makes sure the entity sets of the tables it references are cached. */
    private suspend fun validate(values: Map<String, Any?>) {
        @Suppress("SENSELESS_COMPARISON") // Java callers can pass nulls.
        if (values == null) throw InvalidInputException("An input of a bulk operation is null.")
        Payloads.toJsonWithBindings(values) { if (it is EntityReference) "/x(${it.id})" else null }
        Payloads.referencedTables(values).forEach { tables.get(Identifiers.requireTable(it)) }
    }

    /**
     * Resolves the choice labels of a whole list up front (a list is validated whole, before anything is sent); an
     * input without labels is kept as it is, without a metadata request.
     */
    private suspend fun <I> resolveAll(inputs: List<I>, resolve: suspend (I) -> I): List<I> {
        @Suppress("SENSELESS_COMPARISON")
        if (inputs == null) return inputs
        return inputs.mapIndexed { index, input ->
            @Suppress("SENSELESS_COMPARISON")
            if (input == null) return@mapIndexed input
            try {
                resolve(input)
            } catch (e: InvalidInputException) {
                throw InvalidInputException("Input #$index of the bulk operation is invalid: ${e.message}", e)
            }
        }
    }

    private suspend fun resolveChange(table: String, change: RecordChange): RecordChange {
        @Suppress("SENSELESS_COMPARISON")
        if (change == null || change.values == null || !tables.choiceLabels.present(change.values)) return change
        return RecordChange(change.key, tables.choiceLabels.resolve(table, change.values))
    }

    private inline fun <I> requireInputs(inputs: List<I>, check: (I) -> Unit) {
        @Suppress("SENSELESS_COMPARISON")
        if (inputs == null || inputs.isEmpty()) {
            throw InvalidInputException("A bulk operation needs at least one input; the list is empty.")
        }
        inputs.forEachIndexed { index, input ->
            @Suppress("SENSELESS_COMPARISON")
            if (input == null) throw InvalidInputException("Input #$index of the bulk operation is null.")
            try {
                check(input)
            } catch (e: InvalidInputException) {
                throw InvalidInputException("Input #$index of the bulk operation is invalid: ${e.message}", e)
            }
        }
    }

    /** A runner whose chunk size follows the type of table [name], looked up once the first input has been read. */
    private fun <I : Any> runner(options: BulkOptions, total: Int?, name: String) = BulkRunner<I>(
        options, total,
        { if (tables.get(name).tableType == TableType.ELASTIC) options.elasticChunkSize else options.chunkSize },
    ) { transport.dopHint }

    private companion object {
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
