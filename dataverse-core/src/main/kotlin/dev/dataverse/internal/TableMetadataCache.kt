package dev.dataverse.internal

import dev.dataverse.NotFoundException
import dev.dataverse.ErrorDetails
import dev.dataverse.MalformedResponseException
import dev.dataverse.internal.protocol.ODataLiterals
import dev.dataverse.internal.protocol.QueryStrings
import dev.dataverse.internal.protocol.Responses
import dev.dataverse.internal.protocol.TableMetadata
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import dev.dataverse.internal.transport.ApiRequest
import dev.dataverse.internal.transport.HttpTransport
import io.ktor.http.HttpMethod
import kotlinx.coroutines.CompletableDeferred
import java.util.concurrent.ConcurrentHashMap
import kotlin.coroutines.cancellation.CancellationException

/**
 * Entity set and primary id of each table, read from `EntityDefinitions` once per client. Concurrent callers asking for
 * the same uncached table share one in-flight lookup; a failed lookup is not cached, so the next call tries again.
 */
internal class TableMetadataCache(private val transport: HttpTransport) {
    private val entries = ConcurrentHashMap<String, CompletableDeferred<TableMetadata>>()

    /** [logicalName] must already be validated and lower-cased. */
    suspend fun get(logicalName: String): TableMetadata {
        while (true) {
            val existing = entries[logicalName]
            if (existing != null) {
                try {
                    return existing.await()
                } catch (e: RetryLookup) {
                    continue
                }
            }
            val mine = CompletableDeferred<TableMetadata>()
            if (entries.putIfAbsent(logicalName, mine) != null) continue
            return try {
                lookup(logicalName).also { mine.complete(it) }
            } catch (e: Throwable) {
                entries.remove(logicalName, mine)
                // Waiters look up again themselves rather than inherit a cancellation that was this caller's alone.
                mine.completeExceptionally(if (e is CancellationException) RetryLookup() else e)
                throw e
            }
        }
    }

    private val columnSets = ConcurrentHashMap<String, Set<String>>()

    /**
     * The logical names of the table's columns, read once from `EntityDefinitions(...)/Attributes`. Concurrent first
     * callers may each read it; the answer is the same, and it is small.
     */
    suspend fun columns(logicalName: String): Set<String> = columnSets[logicalName] ?: run {
        val path = "EntityDefinitions(LogicalName=${ODataLiterals.quote(logicalName)})/Attributes" +
            QueryStrings.queryString(listOf("\$select" to "LogicalName"))
        val response = transport.send(ApiRequest(HttpMethod.Get, path))
        val values = Responses.jsonObject(response.body, "Attributes")["value"] as? JsonArray
            ?: throw MalformedResponseException("The Attributes response has no 'value' array.")
        values.mapNotNullTo(HashSet()) { ((it as? JsonObject)?.get("LogicalName") as? JsonPrimitive)?.content }
            .also { columnSets[logicalName] = it }
    }

    /** The table's metadata if a lookup already completed, without suspending. */
    @OptIn(kotlinx.coroutines.ExperimentalCoroutinesApi::class)
    fun cached(logicalName: String): TableMetadata? =
        entries[logicalName]?.takeIf { it.isCompleted && !it.isCancelled && it.getCompletionExceptionOrNull() == null }?.getCompleted()

    private suspend fun lookup(logicalName: String): TableMetadata {
        val response = transport.send(ApiRequest(HttpMethod.Get, TableMetadata.lookupPath(logicalName)))
        return TableMetadata.parse(response.body, logicalName) ?: throw NotFoundException(
            ErrorDetails(
                message = "Table '$logicalName' does not exist in this environment (no EntityDefinitions entry).",
                serviceMessage = null, statusCode = 404, errorCode = null, serviceRequestId = response.header("x-ms-service-request-id"),
                ids = response.ids, isTransient = false, retryAfter = null,
            ),
        )
    }

    private class RetryLookup : RuntimeException(null, null, false, false)
}
