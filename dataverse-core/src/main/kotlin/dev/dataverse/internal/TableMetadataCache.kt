package dev.dataverse.internal

import dev.dataverse.DataverseException
import dev.dataverse.MalformedResponseException
import dev.dataverse.TableNotFoundException
import dev.dataverse.internal.protocol.Identifiers
import dev.dataverse.internal.transport.ApiResponse
import dev.dataverse.internal.files.FileColumnMetadata
import dev.dataverse.internal.protocol.MetadataPaths
import dev.dataverse.internal.protocol.QueryStrings
import dev.dataverse.internal.protocol.Responses
import dev.dataverse.internal.protocol.TableMetadata
import dev.dataverse.internal.transport.ApiRequest
import dev.dataverse.internal.transport.HttpTransport
import io.ktor.http.HttpMethod
import kotlinx.coroutines.CompletableDeferred
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import java.util.concurrent.ConcurrentHashMap
import kotlin.coroutines.cancellation.CancellationException
import kotlin.time.Duration
import kotlin.time.Duration.Companion.seconds
import kotlin.time.TimeMark
import kotlin.time.TimeSource

/**
 * What the client caches of each table: its entity set and primary id (shared in-flight lookups), its column names,
 * its choice options ([choices]) and its single-valued navigation properties ([navigations]). Entries expire after
 * [ttl] (`ClientSettings.metadataCacheTtl`), so changes made elsewhere are seen eventually; a failed lookup is not
 * cached, so the next call tries again.
 *
 * ## Own schema changes
 * After this client changes a table's schema, [changed] drops everything cached about the table and, for
 * [STRONG_CONSISTENCY_WINDOW] afterwards, every metadata read about it carries `Consistency: Strong` ([consistency]),
 * so the client reads its own change even where the service's metadata cache has not caught up yet. A fixed window is
 * simpler than tracking which reads are "the next ones" and costs only a slightly slower read for a short while.
 */
internal class TableMetadataCache(
    private val transport: HttpTransport,
    private val ttl: Duration = Duration.INFINITE,
    private val timeSource: TimeSource = TimeSource.Monotonic,
) {
    private class Entry(val value: CompletableDeferred<TableMetadata>, val created: TimeMark)

    private val entries = ConcurrentHashMap<String, Entry>()
    private val changedAt = ConcurrentHashMap<String, TimeMark>()
    private val generations = ConcurrentHashMap<String, Long>()
    private val columnSets = newCache<String, Set<String>> { it }

    /** Choice options per table, with the same expiry and invalidation. */
    val choices: ChoiceCache = ChoiceCache(transport, this)

    /** Resolves [dev.dataverse.ChoiceLabel] values of write payloads through [choices]. */
    val choiceLabels: ChoiceLabels = ChoiceLabels(choices)

    /** Single-valued navigation properties per table, with the same expiry and invalidation. */
    val navigations: NavigationCache = NavigationCache(transport, this)

    /** File and image columns and their size limits, with the same expiry and invalidation. */
    val fileColumns: FileColumnMetadata = FileColumnMetadata(transport, this)

    /** [logicalName] must already be validated and lower-cased. */
    suspend fun get(logicalName: String): TableMetadata {
        while (true) {
            val existing = entries[logicalName]
            if (existing != null) {
                if (isExpired(existing.created)) {
                    entries.remove(logicalName, existing)
                    continue
                }
                try {
                    return existing.value.await()
                } catch (e: RetryLookup) {
                    continue
                }
            }
            val mine = Entry(CompletableDeferred(), timeSource.markNow())
            if (entries.putIfAbsent(logicalName, mine) != null) continue
            return try {
                lookup(logicalName).also { mine.value.complete(it) }
            } catch (e: Throwable) {
                entries.remove(logicalName, mine)
                // Waiters look up again themselves rather than inherit a cancellation that was this caller's alone.
                mine.value.completeExceptionally(if (e is CancellationException) RetryLookup() else e)
                throw e
            }
        }
    }

    /**
     * The logical names of the table's columns, read from `EntityDefinitions(...)/Attributes`. Concurrent first
     * callers may each read it; the answer is the same, and it is small.
     */
    suspend fun columns(logicalName: String): Set<String> = columnSets.get(logicalName) {
        val path = MetadataPaths.entity(logicalName) + "/Attributes" + QueryStrings.queryString(listOf("\$select" to "LogicalName"))
        val response = transport.send(ApiRequest(HttpMethod.Get, path, headers = consistency(logicalName)))
        val values = Responses.jsonObject(response.body, "Attributes")["value"] as? JsonArray
            ?: throw MalformedResponseException("The Attributes response has no 'value' array.")
        values.mapNotNullTo(HashSet()) { ((it as? JsonObject)?.get("LogicalName") as? JsonPrimitive)?.content }
    }

    /** The table's metadata if a lookup already completed (and has not expired), without suspending. */
    @OptIn(kotlinx.coroutines.ExperimentalCoroutinesApi::class)
    fun cached(logicalName: String): TableMetadata? {
        val entry = entries[logicalName]?.takeUnless { isExpired(it.created) } ?: return null
        val value = entry.value
        return value.takeIf { it.isCompleted && !it.isCancelled && it.getCompletionExceptionOrNull() == null }?.getCompleted()
    }

    /** Notes that this client changed the schema of [logicalNames]: forgets what is cached and reads strongly for a while. */
    fun changed(vararg logicalNames: String) {
        for (name in logicalNames) {
            // Counted before anything is dropped, so that a lookup in flight cannot store its answer unseen: see storeUnlessChanged.
            generations.merge(name, 1L, Long::plus)
            entries.remove(name)
            columnSets.invalidate(name)
            choices.invalidate(name)
            navigations.invalidate(name)
            fileColumns.invalidate(name)
            changedAt[name] = timeSource.markNow()
        }
    }

    /** How many schema changes this client has made to [logicalName]; see [SchemaCache]. */
    private fun generation(logicalName: String): Long = generations[logicalName] ?: 0L

    /** A cache of answers about tables ([tableOf] names a key's table) with this cache's expiry and invalidation. */
    fun <K : Any, V : Any> newCache(tableOf: (K) -> String): SchemaCache<K, V> = SchemaCache(ttl, timeSource, ::generation, tableOf)

    /** `Consistency: Strong` while [logicalName] was changed by this client within [STRONG_CONSISTENCY_WINDOW]; else none. */
    fun consistency(logicalName: String): List<Pair<String, String>> {
        val mark = changedAt[logicalName] ?: return emptyList()
        if (mark.elapsedNow() < STRONG_CONSISTENCY_WINDOW) return STRONG
        changedAt.remove(logicalName, mark)
        return emptyList()
    }

    /** Whether an entry created at [created] has outlived the cache's time to live. */
    private fun isExpired(created: TimeMark): Boolean = created.elapsedNow() >= ttl

    private suspend fun lookup(logicalName: String): TableMetadata {
        val response = transport.send(ApiRequest(HttpMethod.Get, TableMetadata.lookupPath(logicalName), headers = consistency(logicalName)))
        return TableMetadata.parse(response.body, logicalName) ?: throw tableNotFound(logicalName, response)
    }

    /** A [TableNotFoundException] that names the logical name when [name] is a table's entity set name (`accounts`). */
    private suspend fun tableNotFound(name: String, response: ApiResponse): TableNotFoundException {
        // A guess: Learn documents $filter on EntityDefinitions and EntitySetName as a property, not this filter itself.
        // So the suggestion is best effort: if the service refuses the lookup, the caller still gets TableNotFoundException.
        val suggestion = if (!Identifiers.isIdentifier(name)) null else try {
            val bySet = transport.send(ApiRequest(HttpMethod.Get, TableMetadata.entitySetLookupPath(name)))
            TableMetadata.parseLogicalName(bySet.body)?.takeIf { it != name }
        } catch (e: DataverseException) {
            null
        }
        val message = "Table '$name' does not exist in this environment (no EntityDefinitions entry)." +
            (suggestion?.let { " '$name' is the entity set name of table '$it': operations take the logical name '$it'." } ?: "")
        return response.tableNotFound(message, name, suggestion)
    }

    private class RetryLookup : RuntimeException(null, null, false, false)

    companion object {
        /** How long after a schema change by this client its metadata reads about the table carry `Consistency: Strong`. */
        val STRONG_CONSISTENCY_WINDOW: Duration = 30.seconds
        val STRONG: List<Pair<String, String>> = listOf("Consistency" to "Strong")
    }
}
