package dev.dataverse.internal

import dev.dataverse.BatchOperationResult
import dev.dataverse.BatchOutcome
import dev.dataverse.BatchReference
import dev.dataverse.BatchRequest
import dev.dataverse.BatchResult
import dev.dataverse.DataverseException
import dev.dataverse.InvalidInputException
import dev.dataverse.EntityReference
import dev.dataverse.MalformedResponseException
import dev.dataverse.RequestOptions
import dev.dataverse.internal.protocol.MessageParameters
import dev.dataverse.internal.protocol.RequestOptionHeaders
import dev.dataverse.internal.protocol.BatchCodec
import dev.dataverse.internal.protocol.BatchEntry
import dev.dataverse.internal.protocol.BatchPart
import dev.dataverse.internal.protocol.BatchPartResponse
import dev.dataverse.internal.protocol.ErrorResponses
import dev.dataverse.internal.protocol.Payloads
import dev.dataverse.internal.protocol.QueryStrings
import dev.dataverse.internal.protocol.Responses
import dev.dataverse.internal.protocol.TableMetadata
import dev.dataverse.internal.protocol.parseGuidOrNull
import dev.dataverse.internal.transport.ApiRequest
import dev.dataverse.internal.transport.RequestBody
import dev.dataverse.internal.transport.HttpTransport
import io.ktor.http.HttpMethod
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
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
) {
    suspend fun execute(request: BatchRequest): BatchResult {
        val metadata = request.entries.flatMap { entry -> entry.operations.flatMap { tablesOf(it) } }.toSet()
            .associateWith { tables.get(it) }
        val resolved = resolveLabels(request)
        val results = arrayOfNulls<BatchOperationResult>(request.size)
        var stopped = false
        for (group in groups(request.entries)) {
            val operations = group.flatMap { it.operations }
            if (stopped) {
                operations.forEach { results[it.index] = notExecuted(it.index) }
                continue
            }
            val groupResults = send(group, metadata, request.continueOnError, resolved)
            groupResults.forEach { results[it.index] = it }
            stopped = !request.continueOnError && groupResults.any { it.outcome != BatchOutcome.SUCCEEDED }
        }
        return BatchResult(results.map { it!! })
    }

    /** The values of operations whose payload holds choice labels, resolved; by operation index. */
    private suspend fun resolveLabels(request: BatchRequest): Map<Int, Map<String, Any?>> {
        val resolved = HashMap<Int, Map<String, Any?>>()
        for (operation in request.entries.flatMap { it.operations }) {
            val values = operation.values ?: continue
            if (!tables.choiceLabels.present(values)) continue
            resolved[operation.index] = try {
                tables.choiceLabels.resolve(operation.table, values)
            } catch (e: InvalidInputException) {
                throw InvalidInputException("Operation #${operation.index} of the batch is invalid: ${e.message}", e)
            }
        }
        return resolved
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
        resolved: Map<Int, Map<String, Any?>>,
    ): List<BatchOperationResult> {
        val operations = group.flatMap { it.operations }
        val assignedIds = HashMap<Int, UUID>()
        val body = BatchCodec.encode(
            group.map { entry ->
                val parts = entry.operations.map { part(it, metadata, assignedIds, resolved[it.index]) }
                if (entry.isChangeSet) BatchEntry.ChangeSet(parts) else BatchEntry.Single(parts.single())
            },
            "batch_${UUID.randomUUID()}",
        ) { "changeset_${UUID.randomUUID()}" }
        val response = try {
            transport.send(
                ApiRequest(
                    HttpMethod.Post, "\$batch",
                    headers = if (continueOnError) listOf("Prefer" to "odata.continue-on-error") else emptyList(),
                    body = RequestBody.Text(body, "multipart/mixed; boundary=${body.substring(2, body.indexOf('\r'))}"),
                    returnErrors = true,
                    idempotent = operations.all { isReplaySafe(it) },
                    // Options go on each part, which the service treats as a request of its own.
                    applyOptions = false,
                ),
            )
        } catch (e: CancellationException) {
            throw e
        } catch (e: DataverseException) {
            return operations.map { failed(it.index, null, e) }
        }
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

    private fun part(
        operation: BatchOperation,
        metadata: Map<String, TableMetadata>,
        assignedIds: MutableMap<Int, UUID>,
        resolvedValues: Map<String, Any?>?,
    ): BatchPart {
        val options = (transport.requestOptions ?: RequestOptions.NONE).overriddenBy(operation.options).takeUnless { it.isEmpty }
        val optionHeaders = RequestOptionHeaders.headers(options, operation.method)
        operation.message?.let { message ->
            val call = MessageParameters.call(message) { metadata.getValue(it) }
            val url = RequestOptionHeaders.withTag("$apiUrl/${call.target}", options)
            return BatchPart(call.method, url, optionHeaders, call.body, contentId = operation.index + 1)
        }
        val table = metadata.getValue(operation.table)
        val url = when {
            operation.target != null -> "\$${operation.target.index + 1}"
            operation.key != null -> "$apiUrl/${QueryStrings.recordPath(table, operation.key)}"
            else -> "$apiUrl/${table.entitySetName}"
        } + (operation.retrieve?.let { QueryStrings.retrieveQuery(it) } ?: "")
        val headers = operation.headers + listOfNotNull(
            operation.retrieve?.let { QueryStrings.readPreferences(null, it.includeAnnotations) }?.let { "Prefer" to it },
        ) + optionHeaders
        val body = (resolvedValues ?: operation.values)?.let { values ->
            Payloads.toJsonWithBindings(values) { value ->
                when (value) {
                    is BatchReference -> "\$${value.index + 1}"
                    is EntityReference -> "/${metadata.getValue(value.table.lowercase()).entitySetName}(${value.id})"
                    else -> null
                }
            }.let { json ->
                // Creates carry an id, so that a replayed batch recognises its own earlier success as a duplicate.
                if (operation.method != "POST") return@let json
                val given = (json[table.primaryIdAttribute] as? JsonPrimitive)?.takeIf { it.isString }?.content?.let(::parseGuidOrNull)
                val id = given ?: UUID.randomUUID()
                assignedIds[operation.index] = id
                if (given != null) json else JsonObject(json + (table.primaryIdAttribute to JsonPrimitive(id.toString())))
            }.toString()
        }
        return BatchPart(operation.method, RequestOptionHeaders.withTag(url, options), headers, body, contentId = operation.index + 1)
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
                    BatchOperationResult(operation.index, BatchOutcome.SUCCEEDED, part.status, null, null, null, RealMessages.result(part.status, part.body))
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
