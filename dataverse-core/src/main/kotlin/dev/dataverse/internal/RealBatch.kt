package dev.dataverse.internal

import dev.dataverse.BatchOperationResult
import dev.dataverse.BatchOutcome
import dev.dataverse.BatchRequest
import dev.dataverse.BatchResult
import dev.dataverse.DataverseException
import dev.dataverse.InvalidInputException
import dev.dataverse.MalformedResponseException
import dev.dataverse.RequestOptions
import dev.dataverse.internal.protocol.MessageCodec
import dev.dataverse.internal.protocol.MessageParameters
import dev.dataverse.internal.protocol.BatchCodec
import dev.dataverse.internal.protocol.BatchEntry
import dev.dataverse.internal.protocol.BatchPart
import dev.dataverse.internal.protocol.BatchPartResponse
import dev.dataverse.internal.protocol.ErrorResponses
import dev.dataverse.internal.protocol.Payloads
import dev.dataverse.internal.protocol.Responses
import dev.dataverse.internal.protocol.TableMetadata
import dev.dataverse.internal.protocol.TableName
import dev.dataverse.internal.transport.HttpTransport
import java.util.UUID
import kotlin.coroutines.cancellation.CancellationException

/**
 * Runs a [BatchRequest]: resolves tables, encodes requests of at most 1000 operations (never splitting a change set),
 * sends them in order, and maps every response part back to its operation. Every operation is sent with a Content-ID
 * equal to its index + 1, so that an answer can be matched to its operation even when the service returns only the failing
 * part.
 */
internal class RealBatch(
    private val transport: HttpTransport,
    private val tables: TableMetadataCache,
    private val apiUrl: String,
    private val writes: WritePreparer,
) {
    suspend fun execute(request: BatchRequest): BatchResult = exchange(request).value

    /**
     * [execute] with the answer of the last `$batch` request sent: a batch of more than
     * [BatchRequest.MAX_OPERATIONS_PER_REQUEST] operations goes as several requests, and the last is the one that
     * decided how the batch ended (the one that stopped it, or the final one). A request that failed as a whole
     * (retries exhausted, a dropped connection) stands as its error's status and ids, without headers.
     */
    suspend fun exchange(request: BatchRequest): RealResponse<BatchResult> {
        val metadata = request.entries.flatMap { entry -> entry.operations.flatMap { tablesOf(it) } }.toSet()
            .associateWith { tables.get(TableName.of(it)) }
        // Every payload is prepared before anything is sent: labels, validation, lookups, ids, JSON.
        val prepared = prepareAll(request)
        val results = arrayOfNulls<BatchOperationResult>(request.size)
        var stopped = false
        var last: RealResponse<Unit>? = null
        for (group in groups(request.entries)) {
            val operations = group.flatMap { it.operations }
            if (stopped) {
                operations.forEach { results[it.index] = notExecuted(it.index) }
                continue
            }
            val groupResults = send(group, metadata, request.continueOnError, prepared) { last = it }
            groupResults.forEach { results[it.index] = it }
            stopped = !request.continueOnError && groupResults.any { it.outcome != BatchOutcome.SUCCEEDED }
        }
        val answer = checkNotNull(last) { "A batch always sends its first request." }
        return RealResponse(answer.statusCode, answer::headers, answer.etag, answer.clientRequestId, answer.correlationId, BatchResult(results.map { it!! }))
    }

    /** The prepared payload of every operation that writes values, by operation index. */
    private suspend fun prepareAll(request: BatchRequest): Map<Int, WritePreparer.Prepared> {
        val prepared = HashMap<Int, WritePreparer.Prepared>()
        for (operation in request.entries.flatMap { it.operations }) {
            val values = operation.values ?: continue
            val kind = if (operation.method == "POST") WritePreparer.Kind.CREATE else WritePreparer.Kind.CHANGE
            prepared[operation.index] = try {
                writes.prepare(TableName.of(operation.table), values, kind, references = { reference -> "\$${reference.index + 1}" })
            } catch (e: InvalidInputException) {
                throw InvalidInputException("Operation #${operation.index} of the batch is invalid: ${e.message}", e)
            }
        }
        return prepared
    }

    private fun tablesOf(operation: BatchOperation): Collection<String> = operation.message?.let { MessageParameters.tablesOf(it) }
        ?: (listOf(operation.table) + (operation.values?.let { Payloads.referencedTables(it) } ?: emptySet()))

    /** Consecutive entries of at most [BatchRequest.MAX_OPERATIONS_PER_REQUEST] operations. */
    private fun groups(entries: List<RequestEntry>): List<List<RequestEntry>> {
        val groups = mutableListOf<MutableList<RequestEntry>>()
        var size = 0
        for (entry in entries) {
            if (groups.isEmpty() || size + entry.operations.size > BatchRequest.MAX_OPERATIONS_PER_REQUEST) {
                groups += mutableListOf<RequestEntry>()
                size = 0
            }
            groups.last() += entry
            size += entry.operations.size
        }
        return groups
    }

    private suspend fun send(
        group: List<RequestEntry>,
        metadata: Map<String, TableMetadata>,
        continueOnError: Boolean,
        prepared: Map<Int, WritePreparer.Prepared>,
        answered: (RealResponse<Unit>) -> Unit,
    ): List<BatchOperationResult> {
        val operations = group.flatMap { it.operations }
        val assignedIds = HashMap<Int, UUID>()
        val entries = group.map { entry ->
            val parts = entry.operations.map { operation ->
                val write = prepared[operation.index]
                // Creates carry an id, so that a replayed batch recognises its own earlier success as a duplicate.
                if (operation.method == "POST" && operation.message == null) write?.id?.let { assignedIds[operation.index] = it }
                part(operation, metadata, write)
            }
            if (entry.isChangeSet) BatchEntry.ChangeSet(parts) else BatchEntry.Single(parts.single())
        }
        val request = BatchCodec.request(
            entries, "batch_${UUID.randomUUID()}", { "changeset_${UUID.randomUUID()}" },
            continueOnError = continueOnError,
            replaySafe = operations.all { isReplaySafe(it) },
            // Options go on each part, which the service treats as a request of its own.
            applyOptions = false,
        )
        val response = try {
            transport.send(request)
        } catch (e: CancellationException) {
            throw e
        } catch (e: DataverseException) {
            answered(RealResponse.of(e, Unit))
            return operations.map { failed(it.index, null, e) }
        }
        answered(RealResponse.of(response, Unit))
        val contentType = response.header("Content-Type")
        if (BatchCodec.boundaryOf(contentType) == null) {
            val error = if (response.status in 200..299) {
                MalformedResponseException("The \$batch response is not multipart (Content-Type: $contentType).")
            } else {
                checkNotNull(response.error) // Mapped (and redacted) by the transport, as for every returned error.
            }
            return operations.map { failed(it.index, response.status, error) }
        }
        val parts = try {
            BatchCodec.decode(contentType, response.body)
        } catch (e: MalformedResponseException) {
            return operations.map { failed(it.index, null, e) }
        }
        return ResponseMatcher(group, parts, metadata, response.ids, assignedIds, if (response.afterAmbiguousAttempt) assignedIds else null).results()
    }

    /**
     * Whether running the operation twice leaves the same state and a recognisable answer: reads, deletes (a second one
     * answers 404), unconditional updates and upserts, and creates with an id (a second one answers "duplicate").
     */
    private fun isReplaySafe(operation: BatchOperation): Boolean = when (operation.method) {
        "POST" -> operation.message == null && operation.target == null
        "PATCH" -> operation.headers.none { (name, value) -> name.equals("If-Match", true) && value != "*" }
        else -> operation.target == null
    }

    private fun part(operation: BatchOperation, metadata: Map<String, TableMetadata>, write: WritePreparer.Prepared?): BatchPart {
        val options = (transport.requestOptions ?: RequestOptions.NONE).overriddenBy(operation.options).takeUnless { it.isEmpty }
        val contentId = operation.index + 1
        operation.message?.let { message ->
            return BatchCodec.messagePart(MessageParameters.call(message) { metadata.getValue(it) }, apiUrl, options, contentId)
        }
        return BatchCodec.recordPart(
            operation.method, apiUrl, metadata.getValue(operation.table), operation.key, operation.target?.let { it.index + 1 },
            operation.retrieve, operation.headers, options, write?.body, contentId,
        )
    }

    /** Matches the parts of one response to the operations of the request that produced it. */
    private class ResponseMatcher(
        private val group: List<RequestEntry>,
        private val parts: List<BatchPartResponse>,
        private val metadata: Map<String, TableMetadata>,
        private val ids: RequestIds,
        /** Ids the client gave its creates: an answer naming another record is not about this request. */
        private val assignedIds: Map<Int, UUID>,
        /** Ids of the creates, when the batch was replayed after an attempt that may have been applied. */
        private val replayedCreates: Map<Int, UUID>?,
    ) {
        private val operations = group.flatMap { it.operations }
        private val byOperation: Map<Int, BatchPartResponse> = match()

        /** By Content-ID when every part has one; else by position, which holds when the service answered every operation. */
        private fun match(): Map<Int, BatchPartResponse> {
            val contentIds = parts.map { it.contentId?.trim()?.toIntOrNull() }
            if (contentIds.all { it != null }) {
                val known = operations.map { it.index }.toSet()
                return parts.zip(contentIds).filter { (_, id) -> id!! - 1 in known }.associate { (part, id) -> id!! - 1 to part }
            }
            if (parts.size == operations.size) return operations.zip(parts).associate { (op, part) -> op.index to part }
            // Only the failing answer of a stopped batch: it belongs to the first operation without an answer.
            return if (parts.size == 1) mapOf(operations.first().index to parts.single()) else emptyMap()
        }

        fun results(): List<BatchOperationResult> {
            val firstFailure = operations.firstOrNull { byOperation[it.index]?.status?.let { s -> s !in 200..299 } == true }
            val failedChangeSets = group.filter { entry ->
                entry.isChangeSet && entry.operations.any { byOperation[it.index]?.status?.let { s -> s !in 200..299 } == true }
            }.toSet()
            return group.flatMap { entry ->
                entry.operations.map { operation ->
                    val part = byOperation[operation.index]
                    when {
                        part != null && part.status in 200..299 && entry in failedChangeSets -> rolledBack(operation.index)
                        part != null -> fromPart(operation, part)
                        entry in failedChangeSets -> rolledBack(operation.index)
                        firstFailure != null && operation.index > firstFailure.index -> notExecuted(operation.index)
                        firstFailure != null -> BatchOperationResult(operation.index, BatchOutcome.SUCCEEDED, null, null, null, null)
                        else -> failed(operation.index, null, MalformedResponseException("The \$batch response has no answer for operation ${operation.index}."))
                    }
                }
            }
        }

        private fun fromPart(operation: BatchOperation, part: BatchPartResponse): BatchOperationResult {
            if (replayedCreates != null) {
                // The replay met the effects of its own first attempt: a create's duplicate or a delete's missing record.
                val created = replayedCreates[operation.index]
                if (created != null && part.status == 412) return BatchOperationResult(operation.index, BatchOutcome.SUCCEEDED, part.status, created, null, null)
                if (operation.method == "DELETE" && part.status == 404) return BatchOperationResult(operation.index, BatchOutcome.SUCCEEDED, part.status, null, null, null)
            }
            if (part.status !in 200..299) {
                return failed(operation.index, part.status, ErrorResponses.toException(part.status, part::header, part.body, ids))
            }
            if (operation.message != null) {
                return try {
                    BatchOperationResult(operation.index, BatchOutcome.SUCCEEDED, part.status, null, null, null, MessageCodec.result(part.status, part.body))
                } catch (e: MalformedResponseException) {
                    BatchOperationResult(operation.index, BatchOutcome.SUCCEEDED, part.status, null, null, e)
                }
            }
            return try {
                val table = metadata.getValue(operation.table)
                val record = if (operation.method == "GET") Responses.record(part.body, table.logicalName, table.primaryIdAttribute) else null
                // An upsert or update by alternate key is named by that key (Learn: "Use Upsert to Create or Update a
                // record"): no id to read, and nothing wrong with the answer.
                val expected = assignedIds[operation.index] ?: operation.key?.id
                val entityId = Responses.entityId(part.header("OData-EntityId") ?: part.header("Location"), table.primaryIdAttribute, expected)
                    ?: expected
                BatchOperationResult(operation.index, BatchOutcome.SUCCEEDED, part.status, entityId, record, null)
            } catch (e: MalformedResponseException) {
                // The service applied the operation; only its answer is unreadable. Say so rather than report a failure.
                BatchOperationResult(operation.index, BatchOutcome.SUCCEEDED, part.status, null, null, e)
            }
        }
    }

    private companion object {
        fun failed(index: Int, status: Int?, error: DataverseException) =
            BatchOperationResult(index, BatchOutcome.FAILED, status, null, null, error)

        fun notExecuted(index: Int) = BatchOperationResult(index, BatchOutcome.NOT_EXECUTED, null, null, null, null)

        fun rolledBack(index: Int) = BatchOperationResult(index, BatchOutcome.ROLLED_BACK, null, null, null, null)
    }
}
