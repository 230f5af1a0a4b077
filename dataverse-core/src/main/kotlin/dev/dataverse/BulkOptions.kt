package dev.dataverse

/**
 * How bulk operations ([Records.createMany] and friends) split and run their work.
 *
 * Inputs are sent in chunks of [chunkSize] records ([elasticChunkSize] for elastic tables), one
 * `CreateMultiple`/`UpdateMultiple`/`UpsertMultiple` request (or `$batch` of deletes; `DeleteMultiple` for elastic
 * tables) per chunk, with up to [maxParallelism] chunks in flight — fewer when the service's `x-ms-dop-hint` header
 * recommends fewer.
 *
 * Kotlin: `BulkOptions(chunkSize = 500, continueOnError = true, onProgress = { println(it) })`.
 * Java: `BulkOptions.builder().chunkSize(500).continueOnError(true).onProgress(p -> ...).build()`.
 */
public class BulkOptions(
    /** Records per request to a standard table, 1..1000. The default is 1000, the service's guidance for standard tables. */
    public val chunkSize: Int = DEFAULT_CHUNK_SIZE,
    /** Most chunks in flight at once, 1..52. The default is 4; the service's `x-ms-dop-hint` lowers it when smaller. */
    public val maxParallelism: Int = DEFAULT_MAX_PARALLELISM,
    /**
     * With `false` (the default, fail fast) no new chunk starts after a chunk fails, and the call throws a
     * [BulkOperationException] whose result says which inputs succeeded, failed or were not attempted. With `true` every
     * input is attempted and the call returns the [BulkResult], failures included.
     */
    public val continueOnError: Boolean = false,
    /** Called after each chunk completes, one call at a time, with the running totals. Default: none. */
    public val onProgress: BulkProgressListener? = null,
    /**
     * Records per request to an elastic table ([TableType.ELASTIC]), 1..1000. The default is 100, the service's guidance
     * for elastic tables (Learn: bulk-operations, "Bulk operations with elastic tables").
     */
    public val elasticChunkSize: Int = DEFAULT_ELASTIC_CHUNK_SIZE,
    /**
     * For `createMany` only: an input whose primary id already exists is done, not failed. The service refuses such a
     * create as a duplicate (`0x80040237`, "Cannot insert duplicate key": Learn, "Dataverse client errors"); with this
     * option the input is reported as [BulkOutcome.ALREADY_EXISTS], counted by [BulkResult.alreadyExisting] and listed
     * by [BulkResult.alreadyExistingIds], never as created and never as a failure. This makes a re-run of a partly
     * loaded set with the same ids idempotent: what exists stays as it is (its values are not compared or changed),
     * the rest is created. To make records exist *with these values*, use `upsertMany` instead. A duplicate of an
     * alternate key (`0x80060892`) is still a failure: another record holds that key. Records of elastic tables are
     * not covered (the service reports their per-record failures without an error code). Default `false`; other bulk
     * operations refuse `true` with [InvalidInputException].
     */
    public val skipExisting: Boolean = false,
) {
    init {
        if (chunkSize !in 1..MAX_CHUNK_SIZE) throw InvalidInputException("'chunkSize' must be between 1 and $MAX_CHUNK_SIZE, but was $chunkSize.")
        if (elasticChunkSize !in 1..MAX_CHUNK_SIZE) {
            throw InvalidInputException("'elasticChunkSize' must be between 1 and $MAX_CHUNK_SIZE, but was $elasticChunkSize.")
        }
        if (maxParallelism !in 1..MAX_PARALLELISM) {
            throw InvalidInputException("'maxParallelism' must be between 1 and $MAX_PARALLELISM, but was $maxParallelism.")
        }
    }

    override fun toString(): String =
        "BulkOptions(chunkSize=$chunkSize, elasticChunkSize=$elasticChunkSize, maxParallelism=$maxParallelism, continueOnError=$continueOnError" +
            (if (skipExisting) ", skipExisting=true)" else ")")

    /** Fluent builder for Java callers. */
    public class Builder public constructor() {
        private var chunkSize = DEFAULT_CHUNK_SIZE
        private var maxParallelism = DEFAULT_MAX_PARALLELISM
        private var continueOnError = false
        private var onProgress: BulkProgressListener? = null
        private var elasticChunkSize = DEFAULT_ELASTIC_CHUNK_SIZE
        private var skipExisting = false

        /** @see BulkOptions.chunkSize */
        public fun chunkSize(size: Int): Builder = apply { chunkSize = size }

        /** @see BulkOptions.elasticChunkSize */
        public fun elasticChunkSize(size: Int): Builder = apply { elasticChunkSize = size }

        /** @see BulkOptions.maxParallelism */
        public fun maxParallelism(max: Int): Builder = apply { maxParallelism = max }

        /** @see BulkOptions.continueOnError */
        public fun continueOnError(enabled: Boolean): Builder = apply { continueOnError = enabled }

        /** @see BulkOptions.onProgress */
        public fun onProgress(listener: BulkProgressListener?): Builder = apply { onProgress = listener }

        /** @see BulkOptions.skipExisting */
        public fun skipExisting(enabled: Boolean): Builder = apply { skipExisting = enabled }

        /** Validates and builds. @throws InvalidInputException naming the invalid option. */
        public fun build(): BulkOptions = BulkOptions(chunkSize, maxParallelism, continueOnError, onProgress, elasticChunkSize, skipExisting)
    }

    public companion object {
        /** Default [chunkSize]. */
        public const val DEFAULT_CHUNK_SIZE: Int = 1000

        /** Default [elasticChunkSize]. */
        public const val DEFAULT_ELASTIC_CHUNK_SIZE: Int = 100

        /** Largest [chunkSize]: the service's limit of operations per `$batch`, and its guidance for bulk actions. */
        public const val MAX_CHUNK_SIZE: Int = 1000

        /** Default [maxParallelism]. */
        public const val DEFAULT_MAX_PARALLELISM: Int = 4

        /** Largest [maxParallelism]: the service's limit of concurrent requests per user. */
        public const val MAX_PARALLELISM: Int = 52

        /** Fail fast, default chunking and parallelism, no progress reports. */
        @JvmField
        public val DEFAULT: BulkOptions = BulkOptions()

        /** A builder starting from the defaults. */
        @JvmStatic
        public fun builder(): Builder = Builder()
    }
}

/** Receives [BulkProgress] reports. Calls never overlap; keep them short, they run on the bulk operation's coroutines. */
public fun interface BulkProgressListener {
    /** Called after each chunk completes. */
    public fun onProgress(progress: BulkProgress)
}

/** Running totals of a bulk operation. */
public class BulkProgress public constructor(
    /** Inputs whose chunk completed. */
    public val processed: Int,
    /** Inputs the service applied. */
    public val succeeded: Int,
    /** Inputs the service refused. Inputs a `createMany` with [BulkOptions.skipExisting] found existing are in neither count: `processed - succeeded - failed`. */
    public val failed: Int,
    /** Number of inputs when known in advance (a `List`), else `null` (a `Flow`). */
    public val total: Int?,
) {
    override fun toString(): String = "BulkProgress($processed/${total ?: "?"}, succeeded=$succeeded, failed=$failed)"
}

/** One record to change in [Records.updateMany] or [Records.upsertMany]: which record, and the column values to write. */
public class RecordChange(
    /** The record: by primary id or alternate key. */
    public val key: RecordKey,
    /** Column values to write; the same value types as [Records.create]. */
    values: Map<String, Any?>,
) {
    /** Column values to write. */
    public val values: Map<String, Any?> = values.toMap()

    override fun toString(): String = "RecordChange($key, $values)"

    public companion object {
        /** A change to the record with primary id [id]. */
        @JvmStatic
        public fun of(id: java.util.UUID, values: Map<String, Any?>): RecordChange = RecordChange(RecordKey.id(id), values)

        /** A change to the record identified by [key]. */
        @JvmStatic
        public fun of(key: RecordKey, values: Map<String, Any?>): RecordChange = RecordChange(key, values)
    }
}
