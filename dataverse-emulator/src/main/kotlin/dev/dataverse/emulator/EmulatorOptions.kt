package dev.dataverse.emulator

import java.nio.file.Path
import java.time.Clock
import java.time.Duration
import dev.dataverse.emulator.internal.options.SolutionNames
import java.util.Locale

/**
 * How a [DataverseEmulator] behaves. Immutable; build it with Kotlin named arguments
 * (`EmulatorOptions(port = 8080, concurrencyLimit = 8)`) or, from Java, with [builder]
 * (`EmulatorOptions.builder().port(8080).concurrencyLimit(8).build()`; `new EmulatorOptions()` for the defaults). Java
 * sees no constructor per number of arguments: the builder names every value.
 * The emulator always listens on 127.0.0.1, so it is never reachable from other machines.
 */
public class EmulatorOptions(
    /** TCP port to listen on; 0 (the default) picks a free port, which [DataverseEmulator.port] then reports. */
    public val port: Int = 0,
    /**
     * The only bearer token accepted, to test that a client sends the token it was given. When null (the
     * default) any non-empty bearer token is accepted, as clients cannot get real Entra ID tokens offline.
     */
    public val requiredToken: String? = null,
    /** Value of the `x-ms-dop-hint` header on every API response: the parallelism the service recommends. Default 4. */
    public val dopHint: Int = 4,
    /** Largest page a collection query returns, and the page size when the client sends no `odata.maxpagesize`. Default 5000, as the service. */
    public val maxPageSize: Int = 5000,
    /**
     * The service-protection limit on concurrent requests: a request arriving while this many are in flight is
     * answered at once with 429 and error code `0x80072326`. Default 52, the service's default; 0 means unlimited.
     * Can be changed at runtime with [DataverseEmulator.concurrencyLimit].
     */
    public val concurrencyLimit: Int = DEFAULT_CONCURRENCY_LIMIT,
    /** The `Retry-After` seconds of the concurrency-limit 429. Default 1. */
    public val concurrencyRetryAfterSeconds: Int = 1,
    /**
     * Seed of the dice [FaultRule]s roll, so that the same seed and the same request order inject the same faults.
     * Default null: a different sequence on every start.
     */
    public val faultSeed: Long? = null,
    /** Fault rules active from the start; see [DataverseEmulator.faults]. Default none. */
    public val faults: List<FaultRule> = emptyList(),
    /**
     * Logical names of tables (e.g. `contact`) whose `CreateMultiple`, `UpdateMultiple` and `UpsertMultiple` actions
     * answer 400 "message is not supported", as standard tables that do not offer them do. Default none.
     */
    bulkUnsupportedTables: Set<String> = emptySet(),
    /**
     * Rows of the read-only synthetic table `dv_syntheticrow` (entity set `dv_syntheticrows`), generated on the fly so
     * that clients can stream millions of rows while the emulator's memory stays flat. Default 0: no such table.
     */
    public val syntheticRows: Long = 0,
    /**
     * How long the index of an alternate key created at runtime takes to build, in milliseconds: the key reports
     * `EntityKeyIndexStatus` `Pending`, then `InProgress`, and `Active` once this much time has passed; until then
     * records cannot be read or upserted by it, as with the service. Default 1000; 0 makes new keys active at once.
     */
    public val keyActivationDelayMillis: Long = DEFAULT_KEY_ACTIVATION_DELAY_MILLIS,
    /**
     * The largest request body accepted, in bytes; a larger one is answered 413 with the service's RequestLengthTooLarge
     * code `0x8004418a`, refused by its declared `Content-Length` before it is read, or as soon as a chunked body passes
     * the cap. Default [DEFAULT_MAX_REQUEST_BODY_BYTES] (128 MiB): the service's cap on a single, non-chunked file upload
     * request (file-column-data), which also covers its bulk requests (refused above about 116.85 MB).
     *
     * An emulator whose JVM has a small heap caps bodies lower, at an eighth of its maximum heap (32 MiB with
     * `-Xmx256m`), so that it answers 413 instead of running out of memory; the 413's message says so. It also refuses,
     * with the same 413, a JSON body whose parsed tree would take more than an eighth of the heap (a body of millions of
     * small values), and holds at most half the heap in the bodies and JSON of the requests in flight.
     */
    public val maxRequestBodyBytes: Long = DEFAULT_MAX_REQUEST_BODY_BYTES,
    /**
     * The bearer token the admin API (`/_emulator/...`) requires. When null (the default) the admin API requires
     * [requiredToken] when that is set, and no token when neither is; either way it answers only requests addressed to
     * the emulator's own loopback address and port, from no other web origin, with JSON bodies (see the README).
     */
    public val adminToken: String? = null,
    /**
     * Serve https instead of http, with a self-signed certificate for `127.0.0.1` and `localhost` generated at start,
     * so that clients are tested over TLS as they talk to the service. Clients must be told to trust it:
     * [DataverseEmulator.clientSslContext] is a ready-made `SSLContext`, [DataverseEmulator.certificate] the certificate
     * (also served as PEM at `GET /_emulator/certificate`). Default false.
     */
    public val tls: Boolean = false,
    /**
     * How long change tracking keeps changes: a delta token (or a change listing's next link) older than this is answered
     * with the service's `0x80044352` ExpiredVersionStamp ("Please perform a full sync"), and deletions older than this
     * are forgotten. Default 7 days, the service's default (Organization `ExpireChangeTrackingInDays`; Learn: "Use change
     * tracking to synchronize data with external systems").
     */
    public val changeTrackingRetention: Duration = DEFAULT_CHANGE_TRACKING_RETENTION,
    /**
     * The emulator's time: record timestamps (`createdon`, `modifiedon`) and change-tracking token ages. Default the
     * system clock in UTC; tests pass a clock they can move (e.g. to expire delta tokens without waiting).
     */
    public val clock: Clock = Clock.systemUTC(),
    /**
     * The service-protection API limits to enforce per user (requests and execution time in a sliding window, concurrent
     * requests), with 429, `Retry-After` and the service's error codes; see [ServiceProtectionLimits], whose time scale
     * lets a benchmark see windows of seconds. Default null: off, as tests and most benchmarks want the emulator's full
     * speed. The global [concurrencyLimit] applies either way.
     */
    public val serviceProtection: ServiceProtectionLimits? = null,
    /**
     * How long one API request may take, waiting for a free handler included; past it the request is answered 500 with
     * the service's SQL-timeout code `0x80044151` and its work stops at its next check (queries, matching and scans check
     * as they go); a custom API's handler, which does not check, is interrupted, as it is when its client goes away or the
     * emulator stops, so that one waiting forever gives its thread back. Learn ("Analyze plug-in performance"): a Dataverse message operation must complete within 2 minutes,
     * the default. The status is a guess: Learn gives the code (Troubleshoot Dataverse bulk operation errors), not it.
     */
    public val requestTimeout: Duration = DEFAULT_REQUEST_TIMEOUT,
    /**
     * Unique names of the unmanaged solutions the emulator has besides the default solution (`Default`), which
     * `MSCRM.SolutionUniqueName` may name when schema is created; naming another is refused as the service refuses a
     * solution that does not exist. More can be added at runtime with [DataverseEmulator.addSolution]. Default none.
     */
    solutions: Set<String> = emptySet(),
    /**
     * A schema snapshot file (README "Schema snapshots") whose tables, columns, choices, lookups, alternate keys,
     * relationships and custom APIs the emulator creates at start, so that code generated from the same snapshot runs
     * against it. Tables the emulator has already (`account`, `contact`, `systemuser`) are merged: the snapshot's
     * definition of a column replaces the emulator's, columns the snapshot lacks stay. A file that cannot be read or
     * used makes [DataverseEmulator.start] throw [EmulatorSchemaException] naming the file and the JSON path. Default
     * `null`: no snapshot.
     */
    public val schema: Path? = null,
) {
    /** See the constructor parameter; checked against the service's rule for solution unique names. */
    public val solutions: Set<String> = solutions.toSortedSet(String.CASE_INSENSITIVE_ORDER)

    /** See the constructor parameter; stored in lower case. */
    public val bulkUnsupportedTables: Set<String> = bulkUnsupportedTables.map { it.trim().lowercase(Locale.ROOT) }.toSet()

    init {
        require(port in 0..MAX_PORT) { "port must be between 0 and $MAX_PORT, was $port" }
        require(requiredToken == null || requiredToken.isNotBlank()) { "requiredToken must not be blank" }
        require(dopHint >= 1) { "dopHint must be at least 1, was $dopHint" }
        require(maxPageSize in 1..SERVICE_MAX_PAGE_SIZE) { "maxPageSize must be between 1 and $SERVICE_MAX_PAGE_SIZE, was $maxPageSize" }
        require(concurrencyLimit >= 0) { "concurrencyLimit must not be negative (0 means unlimited), was $concurrencyLimit" }
        require(concurrencyRetryAfterSeconds >= 0) { "concurrencyRetryAfterSeconds must not be negative, was $concurrencyRetryAfterSeconds" }
        require(this.bulkUnsupportedTables.none { it.isEmpty() }) { "bulkUnsupportedTables must not contain blank names" }
        require(syntheticRows in 0..MAX_SYNTHETIC_ROWS) { "syntheticRows must be between 0 and $MAX_SYNTHETIC_ROWS, was $syntheticRows" }
        require(keyActivationDelayMillis >= 0) { "keyActivationDelayMillis must not be negative, was $keyActivationDelayMillis" }
        require(maxRequestBodyBytes in 1..MAX_REQUEST_BODY_BYTES) {
            "maxRequestBodyBytes must be between 1 and $MAX_REQUEST_BODY_BYTES, was $maxRequestBodyBytes"
        }
        require(adminToken == null || adminToken.isNotBlank()) { "adminToken must not be blank" }
        require(!changeTrackingRetention.isNegative && !changeTrackingRetention.isZero) {
            "changeTrackingRetention must be positive, was $changeTrackingRetention"
        }
        require(requestTimeout.toMillis() in 1..MAX_REQUEST_TIMEOUT.toMillis()) {
            "requestTimeout must be between 1 ms and $MAX_REQUEST_TIMEOUT, was $requestTimeout"
        }
        val invalid = this.solutions.filterNot(SolutionNames::isValid)
        require(invalid.isEmpty()) { "solutions must be solution unique names (${SolutionNames.RULE}), got $invalid" }
    }

    /** A builder starting from these options, to change a few of them. */
    public fun toBuilder(): Builder = Builder().port(port).requiredToken(requiredToken).dopHint(dopHint).maxPageSize(maxPageSize)
        .concurrencyLimit(concurrencyLimit).concurrencyRetryAfterSeconds(concurrencyRetryAfterSeconds).faultSeed(faultSeed)
        .faults(faults).bulkUnsupportedTables(bulkUnsupportedTables).syntheticRows(syntheticRows)
        .keyActivationDelayMillis(keyActivationDelayMillis).maxRequestBodyBytes(maxRequestBodyBytes).adminToken(adminToken).tls(tls)
        .changeTrackingRetention(changeTrackingRetention).clock(clock).serviceProtection(serviceProtection)
        .requestTimeout(requestTimeout).solutions(solutions).schema(schema)

    private fun values(): List<Any?> = listOf(
        port, requiredToken, dopHint, maxPageSize, concurrencyLimit, concurrencyRetryAfterSeconds, faultSeed, faults,
        bulkUnsupportedTables, syntheticRows, keyActivationDelayMillis, maxRequestBodyBytes, adminToken, tls,
        changeTrackingRetention, clock, serviceProtection, requestTimeout, solutions.map { it.lowercase(Locale.ROOT) }.toSet(), schema,
    )

    override fun equals(other: Any?): Boolean = other is EmulatorOptions && other.values() == values()

    override fun hashCode(): Int = values().hashCode()

    /** Shows every option except the tokens' values, which are secrets. */
    override fun toString(): String =
        "EmulatorOptions(port=$port, requiredToken=${if (requiredToken == null) "none" else "set"}, dopHint=$dopHint, " +
            "maxPageSize=$maxPageSize, concurrencyLimit=$concurrencyLimit, concurrencyRetryAfterSeconds=$concurrencyRetryAfterSeconds, " +
            "faultSeed=$faultSeed, faults=$faults, bulkUnsupportedTables=$bulkUnsupportedTables, syntheticRows=$syntheticRows, " +
            "keyActivationDelayMillis=$keyActivationDelayMillis, maxRequestBodyBytes=$maxRequestBodyBytes, " +
            "adminToken=${if (adminToken == null) "none" else "set"}, tls=$tls, changeTrackingRetention=$changeTrackingRetention, clock=$clock, " +
            "serviceProtection=$serviceProtection, requestTimeout=$requestTimeout, solutions=$solutions, schema=$schema)"

    /** A Java-friendly builder of [EmulatorOptions]; each setter returns the builder. Defaults as in [EmulatorOptions]. */
    public class Builder {
        private var port: Int = 0
        private var requiredToken: String? = null
        private var dopHint: Int = 4
        private var maxPageSize: Int = SERVICE_MAX_PAGE_SIZE
        private var concurrencyLimit: Int = DEFAULT_CONCURRENCY_LIMIT
        private var concurrencyRetryAfterSeconds: Int = 1
        private var faultSeed: Long? = null
        private var faults: List<FaultRule> = emptyList()
        private var bulkUnsupportedTables: Set<String> = emptySet()
        private var syntheticRows: Long = 0
        private var keyActivationDelayMillis: Long = DEFAULT_KEY_ACTIVATION_DELAY_MILLIS
        private var maxRequestBodyBytes: Long = DEFAULT_MAX_REQUEST_BODY_BYTES
        private var adminToken: String? = null
        private var tls: Boolean = false
        private var changeTrackingRetention: Duration = DEFAULT_CHANGE_TRACKING_RETENTION
        private var clock: Clock = Clock.systemUTC()
        private var serviceProtection: ServiceProtectionLimits? = null
        private var requestTimeout: Duration = DEFAULT_REQUEST_TIMEOUT
        private var solutions: Set<String> = emptySet()
        private var schema: Path? = null

        /** See [EmulatorOptions.port]. */
        public fun port(port: Int): Builder = apply { this.port = port }

        /** See [EmulatorOptions.requiredToken]. */
        public fun requiredToken(token: String?): Builder = apply { this.requiredToken = token }

        /** See [EmulatorOptions.dopHint]. */
        public fun dopHint(dopHint: Int): Builder = apply { this.dopHint = dopHint }

        /** See [EmulatorOptions.maxPageSize]. */
        public fun maxPageSize(maxPageSize: Int): Builder = apply { this.maxPageSize = maxPageSize }

        /** See [EmulatorOptions.concurrencyLimit]. */
        public fun concurrencyLimit(limit: Int): Builder = apply { this.concurrencyLimit = limit }

        /** See [EmulatorOptions.concurrencyRetryAfterSeconds]. */
        public fun concurrencyRetryAfterSeconds(seconds: Int): Builder = apply { this.concurrencyRetryAfterSeconds = seconds }

        /** See [EmulatorOptions.faultSeed]. */
        public fun faultSeed(seed: Long?): Builder = apply { this.faultSeed = seed }

        /** See [EmulatorOptions.faults]; replaces the rules set so far. */
        public fun faults(rules: List<FaultRule>): Builder = apply { this.faults = rules.toList() }

        /** Adds [rule] after the fault rules set so far. */
        public fun addFault(rule: FaultRule): Builder = apply { this.faults = faults + rule }

        /** See [EmulatorOptions.bulkUnsupportedTables]. */
        public fun bulkUnsupportedTables(tables: Set<String>): Builder = apply { this.bulkUnsupportedTables = tables.toSet() }

        /** See [EmulatorOptions.syntheticRows]. */
        public fun syntheticRows(rows: Long): Builder = apply { this.syntheticRows = rows }

        /** See [EmulatorOptions.keyActivationDelayMillis]. */
        public fun keyActivationDelayMillis(millis: Long): Builder = apply { this.keyActivationDelayMillis = millis }

        /** See [EmulatorOptions.maxRequestBodyBytes]. */
        public fun maxRequestBodyBytes(bytes: Long): Builder = apply { this.maxRequestBodyBytes = bytes }

        /** See [EmulatorOptions.adminToken]. */
        public fun adminToken(token: String?): Builder = apply { this.adminToken = token }

        /** See [EmulatorOptions.tls]. */
        public fun tls(enabled: Boolean): Builder = apply { this.tls = enabled }

        /** See [EmulatorOptions.changeTrackingRetention]. */
        public fun changeTrackingRetention(retention: Duration): Builder = apply { this.changeTrackingRetention = retention }

        /** See [EmulatorOptions.clock]. */
        public fun clock(clock: Clock): Builder = apply { this.clock = clock }

        /** See [EmulatorOptions.serviceProtection]; null turns the limits off. */
        public fun serviceProtection(limits: ServiceProtectionLimits?): Builder = apply { this.serviceProtection = limits }

        /** See [EmulatorOptions.requestTimeout]. */
        public fun requestTimeout(timeout: Duration): Builder = apply { this.requestTimeout = timeout }

        /** See [EmulatorOptions.solutions]; replaces the names set so far. */
        public fun solutions(uniqueNames: Set<String>): Builder = apply { this.solutions = uniqueNames.toSet() }

        /** See [EmulatorOptions.schema]; null for none. */
        public fun schema(file: Path?): Builder = apply { this.schema = file }

        /** The options; throws [IllegalArgumentException] when a value is out of range. */
        public fun build(): EmulatorOptions = EmulatorOptions(
            port, requiredToken, dopHint, maxPageSize, concurrencyLimit, concurrencyRetryAfterSeconds, faultSeed, faults,
            bulkUnsupportedTables, syntheticRows, keyActivationDelayMillis, maxRequestBodyBytes, adminToken, tls,
            changeTrackingRetention, clock, serviceProtection, requestTimeout, solutions, schema,
        )
    }

    /** Factory for the Java builder, and the defaults. */
    public companion object {
        private const val MAX_PORT = 65535
        private const val SERVICE_MAX_PAGE_SIZE = 5000

        /** The default [concurrencyLimit]: the service's default limit on concurrent requests per user. */
        public const val DEFAULT_CONCURRENCY_LIMIT: Int = 52

        /** The largest [syntheticRows]: row indexes are encoded in the last 48 bits of the row ids. */
        public const val MAX_SYNTHETIC_ROWS: Long = 1L shl 48

        /** The default [keyActivationDelayMillis]. */
        public const val DEFAULT_KEY_ACTIVATION_DELAY_MILLIS: Long = 1000

        /** The default [maxRequestBodyBytes]: 128 MiB. */
        public const val DEFAULT_MAX_REQUEST_BODY_BYTES: Long = 128L * 1024 * 1024

        /** The largest [maxRequestBodyBytes]: a body is held in one array. */
        public const val MAX_REQUEST_BODY_BYTES: Long = Int.MAX_VALUE - 8L

        /** The default [changeTrackingRetention]: 7 days, as the service. */
        @JvmField
        public val DEFAULT_CHANGE_TRACKING_RETENTION: Duration = Duration.ofDays(7)

        /** The default [requestTimeout]: 2 minutes, the service's limit on a message operation. */
        @JvmField
        public val DEFAULT_REQUEST_TIMEOUT: Duration = Duration.ofMinutes(2)

        /** The largest [requestTimeout]: one day. */
        @JvmField
        public val MAX_REQUEST_TIMEOUT: Duration = Duration.ofDays(1)

        /** A builder with the default options. */
        @JvmStatic
        public fun builder(): Builder = Builder()
    }
}
