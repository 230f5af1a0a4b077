package dev.dataverse.spark

/**
 * The option names of the `dataverse` format, for `spark.read.format("dataverse").option(...)`,
 * `df.write.format("dataverse").option(...)`, `spark.readStream.format("dataverse").option(...)` and the catalog's
 * `spark.sql.catalog.<name>.<option>` settings. Names are case-insensitive, as all Spark data source options. The README
 * section "Apache Spark" describes each option, its default and how the options combine.
 *
 * Any other name is refused with an `InvalidInputException` naming it and the options it is close to (a JDBC habit such
 * as `numPartitions` would otherwise be ignored without a word), except names under [TOKEN_PROVIDER_PREFIX], which are
 * handed to the [SparkTokenProvider] untouched.
 */
public object DataverseSparkOptions {
    /** The environment URL, e.g. `https://contoso.crm.dynamics.com`. Required. */
    public const val URL: String = "url"

    /** The table's logical name, e.g. `account`. Required. */
    public const val TABLE: String = "table"

    /** Bearer tokens, comma-separated: one per application user. */
    public const val TOKEN: String = "token"

    /** The Microsoft Entra tenant of the application users (client-secret credentials). */
    public const val TENANT_ID: String = "tenantId"

    /** Application (client) ids, comma-separated: one per application user (client-secret credentials). */
    public const val CLIENT_ID: String = "clientId"

    /** Client secrets, comma-separated, in the order of [CLIENT_ID]. */
    public const val CLIENT_SECRET: String = "clientSecret"

    /** The class name of a [SparkTokenProvider], instantiated on every executor. */
    public const val TOKEN_PROVIDER: String = "tokenProvider"

    /**
     * Prefix of options meant for the [TOKEN_PROVIDER] class (e.g. `tokenProvider.vault`): passed to its constructor with
     * the other options, never checked by the connector.
     */
    public const val TOKEN_PROVIDER_PREFIX: String = "tokenProvider."

    /** How many application users a [TOKEN_PROVIDER] serves (default 1). */
    public const val USERS: String = "users"

    /** Columns to read, comma-separated; default: every column of the schema. */
    public const val SELECT: String = "select"

    /** An OData `$filter` every request carries, e.g. `statecode eq 0`. */
    public const val FILTER: String = "filter"

    /** Records per page, 1..5000 (default 5000). */
    public const val PAGE_SIZE: String = "pageSize"

    /** Read partitions (default: Spark's default parallelism, at most [MAX_CONCURRENCY]); for writes, repartition to this. */
    public const val PARTITIONS: String = "partitions"

    /** A whole-number, decimal or date-time column whose range [LOWER_BOUND]..[UPPER_BOUND] is split among read partitions. */
    public const val PARTITION_COLUMN: String = "partitionColumn"

    /** Lower bound of [PARTITION_COLUMN]'s split (rows below it go to the first partition). */
    public const val LOWER_BOUND: String = "lowerBound"

    /** Upper bound of [PARTITION_COLUMN]'s split (rows from it on go to the last partition). */
    public const val UPPER_BOUND: String = "upperBound"

    /** The most requests the whole job has in flight at once, over all tasks and executors (default 52 per user). */
    public const val MAX_CONCURRENCY: String = "maxConcurrency"

    /** The most requests one executor JVM has in flight per application user (default 52). */
    public const val EXECUTOR_CONCURRENCY: String = "executorConcurrency"

    /** Whether reads add a `<column>_label` string column for each choice column (default false). */
    public const val CHOICE_LABELS: String = "choiceLabels"

    /** What a write does: `create` (default), `upsert`, `update` or `delete`. */
    public const val OPERATION: String = "operation"

    /** Alternate-key columns, comma-separated, identifying records for `upsert`, `update` and `delete`. */
    public const val ALTERNATE_KEY: String = "alternateKey"

    /** Records per bulk request, 1..1000 (default 1000). */
    public const val CHUNK_SIZE: String = "chunkSize"

    /** `fail` (default): a failed row fails its task. `continue`: failed rows go to [FAILURES_PATH]. */
    public const val ON_ERROR: String = "onError"

    /** Where `onError=continue` writes the failed rows, as JSON lines (any Hadoop file system path). */
    public const val FAILURES_PATH: String = "failuresPath"

    /**
     * A stable name for a create job, e.g. `migration-2026-12-02`: the ids the connector assigns to rows without one are
     * derived from it instead of Spark's query id, so that running the same job again skips the rows already created.
     */
    public const val ID_SEED: String = "idSeed"

    /**
     * Whether `count()`, `count(col)`, `sum`, `min`, `max` (and `avg`) are computed by the service with FetchXML aggregate
     * queries, one per partition, instead of reading the rows (default `true`).
     */
    public const val PUSH_DOWN_AGGREGATE: String = "pushDownAggregate"

    /**
     * The most records one aggregate query may evaluate, 1..50000 (FetchXML's `aggregatelimit`; default: the service's
     * 50,000). A partition over more is cut in two and each half aggregated.
     */
    public const val AGGREGATE_LIMIT: String = "aggregateLimit"

    /** Attempts per request, throttling retries included, 1..100 (default 10). */
    public const val MAX_ATTEMPTS: String = "maxAttempts"

    /**
     * `true`: a null value leaves the column as it is on update and upsert (and gets the column's default on create);
     * `false`: a null value clears the column (and a null lookup clears the lookup). Azure Data Factory's option of the
     * same name. Default `false` for DataFrame writes; `true` for SQL `INSERT INTO` a catalog or `USING dataverse` table,
     * where Spark fills the columns the statement does not name with nulls.
     */
    public const val IGNORE_NULL_VALUES: String = "ignoreNullValues"

    /** Streaming: where a new query starts, `beginning` (every record, then the changes; the default) or `now` (changes only). */
    public const val START_FROM: String = "startFrom"

    /** Streaming: a delta token (from an earlier change listing) a new query starts after, instead of [START_FROM]. */
    public const val STARTING_DELTA_TOKEN: String = "startingDeltaToken"

    /** Streaming: the least time between two change queries, in milliseconds (default 1000). */
    public const val POLL_INTERVAL_MS: String = "pollIntervalMs"

    /** Streaming: about how many changes one micro-batch takes at most, rounded up to whole pages (default: no limit). */
    public const val MAX_CHANGES_PER_TRIGGER: String = "maxChangesPerTrigger"
}
