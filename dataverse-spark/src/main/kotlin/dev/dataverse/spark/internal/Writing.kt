package dev.dataverse.spark.internal

import dev.dataverse.BulkOptions
import dev.dataverse.BulkResult
import dev.dataverse.DataverseClient
import dev.dataverse.DataverseException
import dev.dataverse.DuplicateRecordException
import dev.dataverse.Filter
import dev.dataverse.InvalidInputException
import dev.dataverse.ListOptions
import dev.dataverse.NotFoundException
import dev.dataverse.RecordChange
import dev.dataverse.RecordKey
import org.apache.spark.sql.connector.metric.CustomTaskMetric
import org.apache.spark.sql.catalyst.InternalRow
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection
import org.apache.spark.sql.connector.write.DataWriter
import org.apache.spark.sql.connector.write.DataWriterFactory
import org.apache.spark.sql.connector.write.WriterCommitMessage
import org.apache.spark.sql.types.StructType
import java.io.Serializable
import java.nio.ByteBuffer
import java.util.UUID

/** What every write task of a query shares; options only, never a client. */
internal data class WriteSpec(
    val connection: Connection,
    val plan: WritePlan,
    val schema: StructType,
    /** Seed of client-assigned ids: the query id, or the `idSeed` option. */
    val seed: String,
    val chunkSize: Int,
    /** Bulk requests this task may have in flight: its part of the job-wide budget. */
    val share: Int,
    val continueOnError: Boolean,
) : Serializable

/** A row the service refused, for the failures output. */
internal data class RowFailure(
    val partition: Int,
    /** The row's fields as a JSON object (see [RowJson]). */
    val row: String,
    val statusCode: Int,
    val errorCode: String?,
    val message: String,
) : Serializable

/**
 * What a task reports when it commits: rows written, (with `onError=continue`) the rows that failed, and its metric
 * counts — all of them ([counts]) and those Spark had read from the task before its commit ([reported]), which does not
 * see the requests of the last round, sent when the task commits: the driver reports the difference.
 */
internal data class WriteCommit(
    val partition: Int,
    val written: Long,
    val failures: List<RowFailure>,
    val counts: LongArray = LongArray(0),
    val reported: LongArray = LongArray(0),
) : WriterCommitMessage

internal class WriterFactory(private val spec: WriteSpec) : DataWriterFactory {
    override fun createWriter(partitionId: Int, taskId: Long): DataWriter<InternalRow> = BulkWriter(spec, partitionId)
}

/**
 * Writes one partition through the bulk operations, in rounds of `chunkSize × share` rows (each round runs `share`
 * chunks at once). Exactly once under task retries and speculative attempts:
 * - a created row without an id gets one derived from the seed, the partition, the row's content and how many identical
 *   rows came before it in the partition (not from its position, which a re-shuffled input does not keep), so every
 *   attempt sends the same id. "Duplicate" on such a create means an earlier attempt created it only if a record with
 *   that id exists: the service answers the same for a clash of an alternate key with another record, which is a failure
 *   of the row, so duplicates are checked by reading their ids back;
 * - updates and upserts write the same values again, and an upsert of a row without id or key uses the same derived id;
 * - a delete whose record is gone was done by an earlier attempt.
 */
internal class BulkWriter(private val spec: WriteSpec, private val partition: Int) : DataWriter<InternalRow> {
    private val plan = spec.plan
    private val user = Budget.userOf(partition, spec.connection.credentials.users)
    private val client: DataverseClient = ClientCache.acquire(spec.connection, user)
    private val rows = RowToInput(plan, spec.schema)
    private val ids = DerivedIds(spec.seed, partition, spec.schema)
    private val bulk = BulkOptions(chunkSize = spec.chunkSize, maxParallelism = spec.share, continueOnError = true)
    private val roundSize = spec.chunkSize * spec.share
    private val pending = ArrayList<Pending>(roundSize)
    private val failures = ArrayList<RowFailure>()
    private var written = 0L
    private var released = false
    private val metrics = TaskMetrics()

    /** A row ready to send; [derivedId] is the id the connector assigned it, if it did. */
    private class Pending(val row: InternalRow, val input: Any, val derivedId: UUID?)

    override fun write(row: InternalRow) {
        val copy = row.copy()
        val prepared = try {
            prepare(copy)
        } catch (e: InvalidInputException) {
            fail(copy, e)
            return
        }
        pending += prepared
        if (pending.size >= roundSize) flush()
    }

    private fun prepare(row: InternalRow): Pending = when (plan.operation) {
        Operation.CREATE -> {
            val given = rows.id(row)
            val derived = if (given == null) ids.next(row) else null
            Pending(row, rows.values(row) + (plan.primaryId to (given ?: derived)), derived)
        }
        Operation.UPSERT -> {
            val derived = if (plan.keyFields.isEmpty() && rows.id(row) == null) ids.next(row) else null
            val key = if (derived != null) RecordKey.id(derived) else rows.key(row)
            Pending(row, RecordChange(key, rows.values(row)), derived)
        }
        Operation.UPDATE -> Pending(row, RecordChange(rows.key(row), rows.values(row)), null)
        Operation.DELETE -> Pending(row, rows.key(row), null)
    }

    /**
     * Sends the pending rows, and sends again those that failed transiently (throttled, unavailable, connection lost),
     * after the longest `Retry-After` they carry (or a backoff), up to `maxAttempts` rounds: a `$batch` the service
     * throttles as a whole comes back as one failure per row rather than being retried below.
     */
    private fun flush() {
        var round: List<Pending> = pending.toList()
        pending.clear()
        var attempt = 1
        while (round.isNotEmpty()) {
            val result = send(round)
            val again = ArrayList<Pending>()
            val duplicates = ArrayList<Pair<Pending, DataverseException>>()
            var wait = 0L
            var done = round.size - result.failures.size
            for (failure in result.failures) {
                val item = round[failure.index]
                val error = failure.error
                when {
                    plan.operation == Operation.DELETE && error is NotFoundException -> done++ // an earlier attempt deleted it
                    plan.operation == Operation.CREATE && item.derivedId != null && error is DuplicateRecordException -> duplicates += item to error
                    error.isTransient && attempt < spec.connection.maxAttempts -> {
                        if (error.statusCode == THROTTLED) metrics.throttled.incrementAndGet()
                        metrics.retries.incrementAndGet()
                        again += item
                        wait = maxOf(wait, error.retryAfter?.toMillis() ?: backoffMillis(attempt))
                    }
                    else -> fail(item.row, error)
                }
            }
            // "Cannot insert duplicate key" is about the primary key, the id this task derived: an earlier attempt created
            // it. Any other duplicate (an alternate key's, DuplicateRecordEntityKey 0x80060892) may be a clash with another
            // record, or this record's own key when the service names the key rather than the id: read the ids back.
            // (Learn, "Web service error codes": DuplicateRecord 0x80040237, DuplicateRecordEntityKey 0x80060892.)
            val (ownId, keyed) = duplicates.partition { it.second.errorCode.equals(DUPLICATE_PRIMARY_KEY, ignoreCase = true) }
            done += ownId.size
            if (keyed.isNotEmpty()) {
                val existing = existingIds(keyed.map { it.first.derivedId!! })
                for ((item, error) in keyed) {
                    if (item.derivedId in existing) done++ else fail(item.row, error)
                }
            }
            written += done
            metrics.rowsWritten.addAndGet(done.toLong())
            if (again.isNotEmpty()) Thread.sleep(wait)
            round = again
            attempt++
        }
    }

    /**
     * Which of [ids] are ids of records of the table: a create with a derived id answered "duplicate" was done by an
     * earlier attempt when its id exists, and clashed with another record's alternate key when it does not.
     */
    private fun existingIds(ids: List<UUID>): Set<UUID> = metrics.call {
        val found = HashSet<UUID>()
        for (chunk in ids.chunked(IDS_PER_QUERY)) {
            val options = ListOptions(select = listOf(plan.primaryId), filter = Filter.isIn(plan.primaryId, chunk))
            client.records.list(plan.table, options).collect { record -> record.getUuid(plan.primaryId)?.let(found::add) }
        }
        found
    }

    @Suppress("UNCHECKED_CAST")
    private fun send(round: List<Pending>): BulkResult {
        val inputs = round.map { it.input }
        return metrics.call {
            when (plan.operation) {
                Operation.CREATE -> client.records.createMany(plan.table, inputs as List<Map<String, Any?>>, bulk)
                Operation.UPSERT -> client.records.upsertMany(plan.table, inputs as List<RecordChange>, bulk)
                Operation.UPDATE -> client.records.updateMany(plan.table, inputs as List<RecordChange>, bulk)
                Operation.DELETE -> client.records.deleteMany(plan.table, inputs as List<RecordKey>, bulk)
            }
        }
    }

    private fun backoffMillis(attempt: Int): Long = minOf(MAX_BACKOFF_MILLIS, BASE_BACKOFF_MILLIS shl minOf(attempt, 10))

    private fun fail(row: InternalRow, error: DataverseException) {
        metrics.failedRows.incrementAndGet()
        val described = rows.describe(row)
        if (!spec.continueOnError) {
            throw DataverseException(
                "Row $described of partition $partition could not be written to '${plan.table}' " +
                    "(${plan.operation.name.lowercase()}): ${error.message}",
                error,
                statusCode = error.statusCode,
                errorCode = error.errorCode,
            )
        }
        failures += RowFailure(partition, described, error.statusCode, error.errorCode, error.message ?: error.toString())
    }

    /** The counts Spark last read; see [WriteCommit]. */
    private var reported = LongArray(TaskMetrics.NAMES.size)

    override fun currentMetricsValues(): Array<CustomTaskMetric> {
        reported = metrics.counts()
        return metrics.values()
    }

    override fun commit(): WriterCommitMessage {
        flush()
        return WriteCommit(partition, written, failures.toList(), metrics.counts(), reported)
    }

    override fun abort() {
        pending.clear()
    }

    override fun close() {
        if (!released) {
            released = true
            ClientCache.release(spec.connection, user)
        }
    }

    private companion object {
        const val BASE_BACKOFF_MILLIS = 250L
        const val MAX_BACKOFF_MILLIS = 30_000L
        const val IDS_PER_QUERY = 50
        const val DUPLICATE_PRIMARY_KEY = "0x80040237"
        const val THROTTLED = 429
    }
}

/**
 * Client-assigned ids that do not depend on the order rows arrive in: a name-based UUID of the seed, the partition and
 * the row's bytes, and for the n-th identical row of a partition, of that id and n.
 */
internal class DerivedIds(seed: String, partition: Int, schema: StructType) {
    private val prefix = ByteBuffer.allocate(seed.toByteArray().size + Int.SIZE_BYTES).put(seed.toByteArray()).putInt(partition).array()
    private val projection = UnsafeProjection.create(schema)
    private val seen = HashMap<UUID, Int>()

    fun next(row: InternalRow): UUID {
        val bytes = projection.apply(row).bytes
        val content = UUID.nameUUIDFromBytes(prefix + bytes)
        val occurrence = seen.merge(content, 1, Int::plus)!! - 1
        if (occurrence == 0) return content
        val name = ByteBuffer.allocate(2 * Long.SIZE_BYTES + Int.SIZE_BYTES)
            .putLong(content.mostSignificantBits).putLong(content.leastSignificantBits).putInt(occurrence).array()
        return UUID.nameUUIDFromBytes(name)
    }
}
