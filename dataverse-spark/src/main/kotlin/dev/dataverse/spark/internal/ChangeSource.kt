package dev.dataverse.spark.internal

import dev.dataverse.ChangeCursor
import dev.dataverse.ChangeTrackingOptions
import dev.dataverse.DataverseClient
import dev.dataverse.DataverseException
import dev.dataverse.DeltaTokenExpiredException
import dev.dataverse.InvalidInputException
import dev.dataverse.ListOptions
import dev.dataverse.spark.DataverseSparkOptions
import org.apache.hadoop.conf.Configuration
import org.apache.hadoop.fs.Path
import org.apache.spark.api.java.JavaSparkContext
import org.apache.spark.api.java.function.FlatMapFunction
import org.apache.spark.sql.Dataset
import org.apache.spark.sql.Row
import org.apache.spark.sql.catalyst.InternalRow
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow
import org.apache.spark.sql.classic.SparkSession
import org.apache.spark.sql.connector.read.streaming.ReadLimit
import org.apache.spark.sql.connector.read.streaming.ReadMaxRows
import org.apache.spark.sql.connector.read.streaming.ReportsSourceMetrics
import org.apache.spark.sql.connector.read.streaming.SupportsTriggerAvailableNow
import org.apache.spark.sql.execution.streaming.Offset
import org.apache.spark.sql.execution.streaming.Source
import org.apache.spark.sql.types.DataTypes
import org.apache.spark.sql.types.Metadata
import org.apache.spark.sql.types.StructField
import org.apache.spark.sql.types.StructType
import org.apache.spark.unsafe.types.UTF8String
import org.apache.spark.util.SerializableConfiguration
import org.slf4j.LoggerFactory
import java.io.Serializable
import java.util.Optional
import org.apache.spark.sql.connector.read.streaming.Offset as OffsetV2

/**
 * The change stream of one table (`spark.readStream.format("dataverse")`), over Dataverse change tracking: the first
 * micro-batches hold every record (unless the stream starts `now` or after a given delta token), the later ones what was
 * created, updated or deleted since, each row with the `_deleted` flag.
 *
 * The driver reads the changes, one page at a time, when Spark asks for the next offset, at most every `pollIntervalMs`
 * and at most about `maxChangesPerTrigger` changes per batch, and writes them to the checkpoint ([ChangeLog]) before
 * handing Spark the offset: the delta token at the end of a run, or the continuation token (a next link) within one.
 * Spark checkpoints the offset; a batch that runs again after a failure reads the same changes back from the checkpoint,
 * and a restarted query continues from the last offset, so nothing is missed or repeated. Tasks read the checkpoint's
 * files, never the service. Throttling is absorbed by the client (it waits the `Retry-After` the service sends).
 *
 * A delta token the service no longer knows (older than the days it keeps changes, 7 by default) fails the query with a
 * [DataverseException] whose cause is the client's [DeltaTokenExpiredException]; the README's full-resync path applies.
 * A token unused for a day is renewed with an empty batch, so an idle stream never lets its token expire.
 *
 * This is a Spark (V1) streaming `Source` rather than a DataSource V2 micro-batch stream because its rows carry the
 * `_deleted` column that batch reads of the same format do not: a V2 table has one schema for both.
 */
internal class ChangeSource(
    private val session: SparkSession,
    metadataPath: String,
    private val options: ConnectorOptions,
    private val stream: StreamSchema,
) : Source, SupportsTriggerAvailableNow, ReportsSourceMetrics {
    private val log = LoggerFactory.getLogger(ChangeSource::class.java)
    private val hadoop: Configuration = session.sessionState().newHadoopConf()
    private val changeLog = ChangeLog(metadataPath, hadoop)
    private val metrics = TaskMetrics()
    private var lastPoll = Long.MIN_VALUE / 2
    private var availableNow = false
    private var runEndedSinceAvailableNow = false

    override fun schema(): StructType = stream.schema

    override fun toString(): String = "DataverseChanges[${options.table}]"

    override fun getDefaultReadLimit(): ReadLimit =
        options.stream.maxChangesPerTrigger?.let { ReadLimit.maxRows(it.toLong()) } ?: ReadLimit.allAvailable()

    override fun prepareForTriggerAvailableNow() {
        availableNow = true
    }

    /** Spark calls [latestOffset]; this is only the contract's fallback. */
    override fun getOffset(): scala.Option<Offset> = scala.Option.apply(latestOffset(null, ReadLimit.allAvailable()) as Offset?)

    override fun latestOffset(startOffset: OffsetV2?, limit: ReadLimit): OffsetV2? {
        val start = startOffset?.let(ChangeOffset::of) ?: ChangeOffset(0, changeLog.initial(::initialPosition))
        val now = System.currentTimeMillis()
        if (availableNow && runEndedSinceAvailableNow) return startOffset
        if (!availableNow && now - lastPoll < options.stream.pollIntervalMillis) return startOffset
        lastPoll = now
        val max = (limit as? ReadMaxRows)?.maxRows()
        val batch = start.batch + 1
        val writer = changeLog.begin(batch)
        var position = start.position
        var changes = 0L
        ClientCache.use(options.connection, 0) { client ->
            val cursor = cursor(client, position)
            do {
                val page = fetch(cursor, position)
                writer.page(page.changes)
                changes += page.changes.size
                position = if (page.deltaToken != null) {
                    ChangePosition(page.deltaToken, null, now)
                } else {
                    position.copy(continuation = page.continuationToken)
                }
            } while (cursor.hasNext && (max == null || changes < max))
        }
        metrics.changesRead.addAndGet(changes)
        if (position.continuation == null) runEndedSinceAvailableNow = availableNow
        // Nothing new: no batch, unless the delta token is a day old, which an empty batch renews.
        if (changes == 0L && position.continuation == null && now - start.position.since < TOKEN_RENEWAL_MILLIS) {
            writer.discard()
            return startOffset
        }
        return ChangeOffset(batch, position)
    }

    private fun cursor(client: DataverseClient, position: ChangePosition): ChangeCursor {
        val listing = ChangeTrackingOptions(
            select = stream.select,
            pageSize = options.pageSize,
            includeAnnotations = stream.annotations,
            deltaToken = position.deltaToken.takeIf { position.continuation == null },
        )
        return metrics.around { client.records.changes(options.table, listing).cursor(position.continuation) }
    }

    private fun fetch(cursor: ChangeCursor, position: ChangePosition) = try {
        metrics.call { cursor.next() }
    } catch (e: DeltaTokenExpiredException) {
        throw DataverseException(
            "The change stream of '${options.table}' cannot continue: the service no longer keeps the changes since its delta token " +
                "(${ageOf(position)} old; Dataverse keeps them for the days of the organization's ExpireChangeTrackingInDays, 7 by default). " +
                "Resynchronise: stop the query, clear what the stream fed, and start it again with a new checkpoint location (it then " +
                "reads every record, or only the changes from then on with '${DataverseSparkOptions.START_FROM}' now).",
            e,
            statusCode = e.statusCode,
            errorCode = e.errorCode,
        )
    }

    private fun ageOf(position: ChangePosition): String {
        val hours = (System.currentTimeMillis() - position.since) / 3_600_000
        return if (hours >= 48) "${hours / 24} days" else "$hours hours"
    }

    /** Where a new query starts: everything, after a given delta token, or now (a listing of the ids, to its delta token). */
    private fun initialPosition(): ChangePosition {
        val now = System.currentTimeMillis()
        return when (val start = options.stream.start) {
            StartingPoint.Beginning -> ChangePosition.beginning(now)
            is StartingPoint.After -> ChangePosition(start.deltaToken, null, now)
            StartingPoint.Now -> ClientCache.use(options.connection, 0) { client ->
                val listing = ChangeTrackingOptions(select = listOf(stream.primaryId), pageSize = ListOptions.MAX_PAGE_SIZE)
                val cursor = metrics.around { client.records.changes(options.table, listing).cursor() }
                var token: String? = null
                while (cursor.hasNext) token = metrics.call { cursor.next() }.deltaToken ?: token
                log.info("Change stream of {} starts now, after the delta token of a listing of its ids", options.table)
                ChangePosition(checkNotNull(token) { "the listing ended without a delta token" }, null, now)
            }
        }
    }

    override fun getBatch(start: scala.Option<Offset>, end: Offset): Dataset<Row> {
        val files = changeLog.files(ChangeOffset.of(end).batch)
        val context = JavaSparkContext.fromSparkContext(session.sparkContext())
        val reader = ChangeFileReader(SerializableConfiguration(hadoop), stream)
        val rows = context.parallelize(files, maxOf(1, files.size)).mapPartitions(reader)
        return session.internalCreateDataFrame(rows.rdd(), stream.schema, true)
    }

    override fun commit(end: Offset) {
        changeLog.forgetBefore(ChangeOffset.of(end).batch)
    }

    override fun stop() = Unit

    override fun metrics(latestConsumedOffset: Optional<OffsetV2>): MutableMap<String, String> = linkedMapOf(
        "changesRead" to metrics.changesRead.get().toString(),
        "requests" to metrics.requests.get().toString(),
        "throttled" to metrics.throttled.get().toString(),
        "retries" to metrics.retries.get().toString(),
    )

    private companion object {
        const val TOKEN_RENEWAL_MILLIS = 24 * 3_600_000L
    }
}

/** The schema of a change stream and what reading it needs. */
internal data class StreamSchema(
    val table: String,
    val primaryId: String,
    /** The rows' schema: the table's fields, then `_deleted`. */
    val schema: StructType,
    /** The bindings of the fields before `_deleted`. */
    val bindings: List<ColumnBinding>,
) : Serializable {
    val select: List<String> get() = bindings.map { it.wireName }.distinct()
    val annotations: Boolean get() = bindings.any { it.needsAnnotations }

    /** The position of the primary id field. */
    val idField: Int get() = bindings.indexOfFirst { it.attribute.equals(primaryId, ignoreCase = true) && it.kind == BindingKind.VALUE }

    companion object {
        const val DELETED = "_deleted"

        /**
         * The stream's schema: the user's (its `_deleted` field aside) or the table's columns ([ConnectorOptions.select]
         * narrowing them, the primary id always kept), then `_deleted`. Refuses, before anything starts, a table without
         * change tracking, a schema without the primary id (a deletion carries only the id) and the read options change
         * tracking cannot honour.
         */
        fun of(options: ConnectorOptions, metadata: TableSchema, userSchema: StructType?): StreamSchema {
            if (!metadata.changeTrackingEnabled) {
                throw InvalidInputException(
                    "Table '${options.table}' does not track changes, which a stream reads: turn change tracking on (the client's " +
                        "tables.enableChangeTracking, or the table's 'Track changes' setting).",
                )
            }
            if (options.filter != null || options.range != null) {
                throw InvalidInputException(
                    "A change stream reads every change of the table: change tracking takes no \$filter ('${DataverseSparkOptions.FILTER}') " +
                        "and a stream has no range partitions ('${DataverseSparkOptions.PARTITION_COLUMN}'). Filter the stream in Spark.",
                )
            }
            val base = if (userSchema != null) {
                userSchema.fields().firstOrNull { it.name() == DELETED && it.dataType() != DataTypes.BooleanType }?.let {
                    throw InvalidInputException("The field '$DELETED' of a change stream is its boolean deletion flag, not ${it.dataType().simpleString()}.")
                }
                StructType(userSchema.fields().filter { it.name() != DELETED }.toTypedArray())
            } else {
                val selected = SchemaMapping.selected(metadata.columns, options.select, options.table)
                val withId = if (selected.any { it.isPrimaryId }) selected else metadata.columns.filter { it.isPrimaryId } + selected
                SchemaMapping.infer(withId, options.choiceLabels)
            }
            val bindings = SchemaMapping.bind(base, metadata.columns, options.table)
            if (bindings.none { it.kind == BindingKind.VALUE && it.attribute.equals(metadata.primaryId, ignoreCase = true) }) {
                throw InvalidInputException("A change stream's schema needs the primary id '${metadata.primaryId}': a deletion carries only the id.")
            }
            val schema = base.add(StructField(DELETED, DataTypes.BooleanType, false, Metadata.empty()))
            return StreamSchema(options.table, metadata.primaryId, schema, bindings)
        }
    }
}

/** Reads the checkpointed files of a batch on the executors: a record's JSON becomes its row, a deletion its id and the flag. */
internal class ChangeFileReader(
    private val hadoop: SerializableConfiguration,
    private val stream: StreamSchema,
) : FlatMapFunction<Iterator<String>, InternalRow> {
    override fun call(files: Iterator<String>): Iterator<InternalRow> {
        val fields = StructType(stream.schema.fields().copyOfRange(0, stream.bindings.size))
        val converter = RecordToRow(fields, stream.bindings)
        val idField = stream.idField
        return files.asSequence().flatMap { file ->
            val path = Path(file)
            sequence {
                path.getFileSystem(hadoop.value()).open(path).bufferedReader(Charsets.UTF_8).use { lines ->
                    for (line in lines.lineSequence()) {
                        val (deleted, id, record) = ChangeLog.read(line)
                        val values = arrayOfNulls<Any>(stream.bindings.size + 1)
                        if (!deleted && record != null) {
                            val row = converter.convert(record, stream.table)
                            for (i in stream.bindings.indices) values[i] = if (row.isNullAt(i)) null else row.get(i, fields.fields()[i].dataType())
                        }
                        if (idField >= 0) values[idField] = UTF8String.fromString(id)
                        values[stream.bindings.size] = deleted
                        yield(GenericInternalRow(values) as InternalRow)
                    }
                }
            }
        }.iterator()
    }
}
