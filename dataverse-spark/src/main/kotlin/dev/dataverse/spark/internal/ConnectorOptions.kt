package dev.dataverse.spark.internal

import dev.dataverse.InvalidInputException
import dev.dataverse.ListOptions
import dev.dataverse.spark.DataverseSparkOptions as O
import java.io.Serializable
import java.util.Locale

/** How tasks authenticate: one entry per application user. Never printed with its secrets. */
internal sealed class Credentials : Serializable {
    abstract val users: Int

    data class Tokens(val tokens: List<String>) : Credentials() {
        override val users: Int get() = tokens.size
        override fun toString() = "Tokens(${tokens.size} user(s))"
    }

    data class ClientSecrets(val tenantId: String, val clientIds: List<String>, val secrets: List<String>) : Credentials() {
        override val users: Int get() = clientIds.size
        override fun toString() = "ClientSecrets(tenant=$tenantId, clientIds=$clientIds)"
    }

    data class Provider(val className: String, override val users: Int, val options: Map<String, String>) : Credentials() {
        override fun toString() = "Provider($className, $users user(s))"
    }
}

/** Where and as whom to connect; the key of the per-JVM client cache together with the user number. */
internal data class Connection(
    val url: String,
    val credentials: Credentials,
    val executorConcurrency: Int,
    val maxAttempts: Int,
) : Serializable

/** What a write does with each row. */
internal enum class Operation { CREATE, UPSERT, UPDATE, DELETE }

/** Range partitioning of reads over a user-named column. */
internal data class RangeSpec(val column: String, val lower: String, val upper: String) : Serializable

/** Where a new streaming query starts reading changes. */
internal sealed class StartingPoint : Serializable {
    /** Every record (a full sync), then the changes. */
    object Beginning : StartingPoint() {
        private fun readResolve(): Any = Beginning
        override fun toString() = "beginning"
    }

    /** The changes made from now on: the current delta token is read first (a listing of the ids). */
    object Now : StartingPoint() {
        private fun readResolve(): Any = Now
        override fun toString() = "now"
    }

    /** The changes after a delta token the user has. */
    data class After(val deltaToken: String) : StartingPoint() {
        override fun toString() = "After(<delta token>)"
    }
}

/** The options of the streaming source. */
internal data class StreamOptions(
    val start: StartingPoint,
    val pollIntervalMillis: Long,
    /** About the most changes per micro-batch, rounded up to whole pages; `null`: everything there is. */
    val maxChangesPerTrigger: Int?,
) : Serializable

/**
 * Every option of the format, parsed and validated in one place, before anything is sent: a bad option fails the job
 * on the driver with an [InvalidInputException] naming it.
 */
internal data class ConnectorOptions(
    val connection: Connection,
    val table: String,
    val select: List<String>,
    val filter: String?,
    val pageSize: Int,
    val partitions: Int?,
    val range: RangeSpec?,
    val maxConcurrency: Int,
    val choiceLabels: Boolean,
    val operation: Operation,
    val alternateKey: List<String>,
    val chunkSize: Int,
    val continueOnError: Boolean,
    val failuresPath: String?,
    /** Replaces the query id in the derivation of client-assigned ids, so that running a whole job again is idempotent. */
    val idSeed: String? = null,
    /**
     * Whether the options describe a table of a catalog (this connector's, or Spark's session catalog for a `USING
     * dataverse` table): SQL writes to it pass every column of the table, those the statement does not name as nulls.
     */
    val catalogTable: Boolean = false,
    /** Whether a null value leaves its column as it is (`true`) or clears it; by default `true` for catalog tables only. */
    val ignoreNullValues: Boolean = catalogTable,
    val stream: StreamOptions = StreamOptions(StartingPoint.Beginning, DEFAULT_POLL_INTERVAL_MILLIS, null),
    /** Whether aggregates go to the service (FetchXML), else Spark reads the rows. */
    val pushDownAggregate: Boolean = true,
    /** FetchXML's `aggregatelimit` for aggregate queries; `null`: the service's 50,000. */
    val aggregateLimit: Int? = null,
) : Serializable {
    companion object {
        const val DEFAULT_PAGE_SIZE = 5000
        const val PER_USER_LIMIT = 52
        const val DEFAULT_MAX_ATTEMPTS = 10
        const val DEFAULT_POLL_INTERVAL_MILLIS = 1000L

        /**
         * Parses the options a reader, writer, stream or catalog was given. [catalogTable] is set by this connector's
         * catalog; a table of Spark's session catalog is recognised by the metadata Spark passes with its options.
         */
        fun parse(raw: Map<String, String>, catalogTable: Boolean = false): ConnectorOptions {
            val options = raw.mapKeys { it.key.lowercase(Locale.ROOT) }
            OptionNames.requireKnown(options, raw.keys.associateBy { it.lowercase(Locale.ROOT) })
            fun get(name: String): String? = options[name.lowercase(Locale.ROOT)]?.trim()?.takeIf { it.isNotEmpty() }
            fun required(name: String): String = get(name) ?: throw InvalidInputException("The '$name' option is required.")
            fun list(name: String): List<String> = get(name)?.split(',')?.map { it.trim() }?.filter { it.isNotEmpty() }.orEmpty()
            fun int(name: String, range: IntRange): Int? = get(name)?.let { text ->
                val value = text.toIntOrNull() ?: throw InvalidInputException("The '$name' option must be a whole number, but was '$text'.")
                if (value !in range) throw InvalidInputException("The '$name' option must be between ${range.first} and ${range.last}, but was $value.")
                value
            }
            fun bool(name: String): Boolean = when (get(name)?.lowercase(Locale.ROOT)) {
                null, "false" -> false
                "true" -> true
                else -> throw InvalidInputException("The '$name' option must be true or false, but was '${get(name)}'.")
            }

            val credentials = credentials(raw, ::get, ::list, ::int)
            val connection = Connection(
                url = required(O.URL).trimEnd('/'),
                credentials = credentials,
                executorConcurrency = int(O.EXECUTOR_CONCURRENCY, 1..1000) ?: PER_USER_LIMIT,
                maxAttempts = int(O.MAX_ATTEMPTS, 1..100) ?: DEFAULT_MAX_ATTEMPTS,
            )
            val table = required(O.TABLE).lowercase(Locale.ROOT)
            if (!IDENTIFIER.matches(table)) throw InvalidInputException("The '${O.TABLE}' option must be a logical name, but was '$table'.")
            val select = list(O.SELECT).map { it.lowercase(Locale.ROOT) }
            select.firstOrNull { !IDENTIFIER.matches(it) }?.let { throw InvalidInputException("The '${O.SELECT}' option names '$it', which is not a column name.") }

            val partitionColumn = get(O.PARTITION_COLUMN)?.lowercase(Locale.ROOT)
            val range = partitionColumn?.let {
                if (!IDENTIFIER.matches(it)) throw InvalidInputException("The '${O.PARTITION_COLUMN}' option must be a column name, but was '$it'.")
                RangeSpec(it, required(O.LOWER_BOUND), required(O.UPPER_BOUND))
            }
            if (range == null && (get(O.LOWER_BOUND) != null || get(O.UPPER_BOUND) != null)) {
                throw InvalidInputException("The '${O.LOWER_BOUND}' and '${O.UPPER_BOUND}' options need '${O.PARTITION_COLUMN}'.")
            }

            val operation = get(O.OPERATION)?.let { text ->
                Operation.entries.firstOrNull { it.name.equals(text, ignoreCase = true) }
                    ?: throw InvalidInputException("The '${O.OPERATION}' option must be create, upsert, update or delete, but was '$text'.")
            } ?: Operation.CREATE
            val alternateKey = list(O.ALTERNATE_KEY).map { it.lowercase(Locale.ROOT) }
            alternateKey.firstOrNull { !IDENTIFIER.matches(it) }?.let { throw InvalidInputException("The '${O.ALTERNATE_KEY}' option names '$it', which is not a column name.") }
            if (alternateKey.isNotEmpty() && operation == Operation.CREATE) {
                throw InvalidInputException("The '${O.ALTERNATE_KEY}' option identifies existing records: use it with operation upsert, update or delete.")
            }
            val continueOnError = when (get(O.ON_ERROR)?.lowercase(Locale.ROOT)) {
                null, "fail" -> false
                "continue" -> true
                else -> throw InvalidInputException("The '${O.ON_ERROR}' option must be fail or continue, but was '${get(O.ON_ERROR)}'.")
            }
            val failuresPath = get(O.FAILURES_PATH)
            if (continueOnError && failuresPath == null) {
                throw InvalidInputException("'${O.ON_ERROR}=continue' needs the '${O.FAILURES_PATH}' option: failed rows are written there, never dropped.")
            }
            if (!continueOnError && failuresPath != null) {
                throw InvalidInputException("The '${O.FAILURES_PATH}' option is only used with '${O.ON_ERROR}=continue'.")
            }
            val inCatalog = catalogTable || OptionNames.fromSessionCatalog(options)
            return ConnectorOptions(
                connection = connection,
                table = table,
                select = select,
                filter = get(O.FILTER),
                pageSize = int(O.PAGE_SIZE, 1..ListOptions.MAX_PAGE_SIZE) ?: DEFAULT_PAGE_SIZE,
                partitions = int(O.PARTITIONS, 1..MAX_PARTITIONS),
                range = range,
                maxConcurrency = int(O.MAX_CONCURRENCY, 1..MAX_JOB_CONCURRENCY) ?: (PER_USER_LIMIT * credentials.users),
                choiceLabels = bool(O.CHOICE_LABELS),
                operation = operation,
                alternateKey = alternateKey,
                chunkSize = int(O.CHUNK_SIZE, 1..1000) ?: 1000,
                continueOnError = continueOnError,
                failuresPath = failuresPath,
                idSeed = get(O.ID_SEED),
                catalogTable = inCatalog,
                ignoreNullValues = if (get(O.IGNORE_NULL_VALUES) == null) inCatalog else bool(O.IGNORE_NULL_VALUES),
                stream = stream(::get, ::int),
                pushDownAggregate = get(O.PUSH_DOWN_AGGREGATE) == null || bool(O.PUSH_DOWN_AGGREGATE),
                aggregateLimit = int(O.AGGREGATE_LIMIT, 1..MAX_AGGREGATE_LIMIT),
            )
        }

        private fun stream(get: (String) -> String?, int: (String, IntRange) -> Int?): StreamOptions {
            val token = get(O.STARTING_DELTA_TOKEN)
            val startFrom = get(O.START_FROM)?.lowercase(Locale.ROOT)
            if (token != null && startFrom != null) {
                throw InvalidInputException("Set either '${O.START_FROM}' or '${O.STARTING_DELTA_TOKEN}', not both.")
            }
            val start = when {
                token != null -> {
                    if (token.any { it.isISOControl() }) throw InvalidInputException("The '${O.STARTING_DELTA_TOKEN}' option holds control characters.")
                    StartingPoint.After(token)
                }
                startFrom == null || startFrom == "beginning" -> StartingPoint.Beginning
                startFrom == "now" -> StartingPoint.Now
                else -> throw InvalidInputException("The '${O.START_FROM}' option must be beginning or now, but was '${get(O.START_FROM)}'.")
            }
            val poll = int(O.POLL_INTERVAL_MS, 0..MAX_POLL_INTERVAL_MILLIS)?.toLong() ?: DEFAULT_POLL_INTERVAL_MILLIS
            return StreamOptions(start, poll, int(O.MAX_CHANGES_PER_TRIGGER, 1..Int.MAX_VALUE))
        }

        private fun credentials(
            options: Map<String, String>,
            get: (String) -> String?,
            list: (String) -> List<String>,
            int: (String, IntRange) -> Int?,
        ): Credentials {
            val kinds = listOfNotNull(
                get(O.TOKEN)?.let { "token" },
                get(O.CLIENT_ID)?.let { "clientId" },
                get(O.TOKEN_PROVIDER)?.let { "tokenProvider" },
            )
            if (kinds.size != 1) {
                throw InvalidInputException(
                    "Exactly one of the options 'token', 'clientId' (with 'clientSecret' and 'tenantId') and 'tokenProvider' must be set" +
                        if (kinds.isEmpty()) "." else ", but found ${kinds.joinToString(" and ")}.",
                )
            }
            return when (kinds.single()) {
                "token" -> Credentials.Tokens(list(O.TOKEN))
                "clientId" -> {
                    val ids = list(O.CLIENT_ID)
                    val secrets = list(O.CLIENT_SECRET)
                    if (secrets.size != ids.size) {
                        throw InvalidInputException("The '${O.CLIENT_SECRET}' option must hold one secret per client id (${ids.size}), but holds ${secrets.size}.")
                    }
                    val tenant = get(O.TENANT_ID) ?: throw InvalidInputException("The '${O.TENANT_ID}' option is required with '${O.CLIENT_ID}'.")
                    Credentials.ClientSecrets(tenant, ids, secrets)
                }
                else -> Credentials.Provider(get(O.TOKEN_PROVIDER)!!, int(O.USERS, 1..1000) ?: 1, options.filterKeys { it.lowercase(Locale.ROOT).removePrefix("option.") !in SECRET_KEYS })
            }
        }

        private val IDENTIFIER = Regex("[a-z_][a-z0-9_]*")
        private val SECRET_KEYS = setOf(O.TOKEN.lowercase(), O.CLIENT_SECRET.lowercase())
        const val MAX_PARTITIONS = 100_000
        const val MAX_POLL_INTERVAL_MILLIS = 3_600_000

        /** Learn, "Aggregate data using FetchXml", Limitations: an aggregate evaluates at most 50,000 records. */
        const val MAX_AGGREGATE_LIMIT = 50_000
        const val MAX_JOB_CONCURRENCY = 52_000
    }
}
