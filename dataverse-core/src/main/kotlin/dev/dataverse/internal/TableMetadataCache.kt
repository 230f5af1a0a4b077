package dev.dataverse.internal

import dev.dataverse.DataverseException
import dev.dataverse.TableNotFoundException
import dev.dataverse.internal.protocol.Identifiers
import dev.dataverse.internal.protocol.ApiResponse
import dev.dataverse.internal.files.FileColumnMetadata
import dev.dataverse.internal.protocol.MetadataCodec
import dev.dataverse.internal.protocol.TableName
import dev.dataverse.internal.protocol.TableMetadata
import dev.dataverse.internal.transport.HttpTransport
import kotlinx.coroutines.CompletableDeferred
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
    private class Entry(val value: CompletableDeferred<TableMetadata>, val created: TimeMark) {
        /** The answer once the lookup succeeded: read on every call, so it spares the deferred's state machine. */
        @Volatile
        var resolved: TableMetadata? = null
    }

    private val entries = ConcurrentHashMap<TableName, Entry>()
    private val changedAt = ConcurrentHashMap<String, TimeMark>()
    private val generations = ConcurrentHashMap<String, Long>()
    private val columnSets = newCache<TableName, Set<String>> { it.value }

    /** Choice options per table, with the same expiry and invalidation. */
    val choices: ChoiceCache = ChoiceCache(transport, this)

    /** Resolves [dev.dataverse.ChoiceLabel] values of write payloads through [choices]. */
    val choiceLabels: ChoiceLabels = ChoiceLabels(choices)

    /** Single-valued navigation properties per table, with the same expiry and invalidation. */
    val navigations: NavigationCache = NavigationCache(transport, this)

    /** File and image columns and their size limits, with the same expiry and invalidation. */
    val fileColumns: FileColumnMetadata = FileColumnMetadata(transport, this)

    /** The table's metadata, looked up once per [ttl] and shared by concurrent first callers. */
    suspend fun get(logicalName: TableName): TableMetadata {
        while (true) {
            val existing = entries[logicalName]
            if (existing != null) {
                if (isExpired(existing.created)) {
                    entries.remove(logicalName, existing)
                    continue
                }
                existing.resolved?.let { return it }
                try {
                    return existing.value.await()
                } catch (e: RetryLookup) {
                    continue
                }
            }
            val mine = Entry(CompletableDeferred(), timeSource.markNow())
            if (entries.putIfAbsent(logicalName, mine) != null) continue
            return try {
                lookup(logicalName).also {
                    mine.resolved = it
                    mine.value.complete(it)
                }
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
    suspend fun columns(logicalName: TableName): Set<String> = columnSets.get(logicalName) {
        MetadataCodec.columnNames(transport.send(MetadataCodec.columns(logicalName, consistency(logicalName))))
    }

    /** The table's metadata if a lookup already completed (and has not expired), without suspending. */
    fun cached(logicalName: TableName): TableMetadata? {
        val entry = entries[logicalName]?.takeUnless { isExpired(it.created) } ?: return null
        return entry.resolved
    }

    /** Notes that this client changed the schema of [logicalNames]: forgets what is cached and reads strongly for a while. */
    fun changed(vararg logicalNames: String) {
        for (name in logicalNames) {
            // Counted before anything is dropped, so that a lookup in flight cannot store its answer unseen: see storeUnlessChanged.
            generations.merge(name, 1L, Long::plus)
            entries.remove(TableName.trusted(name))
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
    fun consistency(logicalName: TableName): List<Pair<String, String>> {
        val mark = changedAt[logicalName.value] ?: return emptyList()
        if (mark.elapsedNow() < STRONG_CONSISTENCY_WINDOW) return STRONG
        changedAt.remove(logicalName.value, mark)
        return emptyList()
    }

    /** Whether an entry created at [created] has outlived the cache's time to live. */
    private fun isExpired(created: TimeMark): Boolean = created.elapsedNow() >= ttl

    private suspend fun lookup(logicalName: TableName): TableMetadata {
        val response = transport.send(MetadataCodec.table(logicalName, consistency(logicalName)))
        return MetadataCodec.table(response, logicalName) ?: throw tableNotFound(logicalName.value, response)
    }

    /** A [TableNotFoundException] that names the logical name when [name] is a table's entity set name (`accounts`). */
    private suspend fun tableNotFound(name: String, response: ApiResponse): TableNotFoundException {
        // A guess: Learn documents $filter on EntityDefinitions and EntitySetName as a property, not this filter itself.
        // So the suggestion is best effort: if the service refuses the lookup, the caller still gets TableNotFoundException.
        val suggestion = if (!Identifiers.isIdentifier(name)) null else try {
            MetadataCodec.logicalNameOf(transport.send(MetadataCodec.tableBySet(name)))?.takeIf { it != name }
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
