package dev.dataverse.emulator

import dev.dataverse.emulator.internal.http.ApiRouter
import dev.dataverse.emulator.internal.messages.CustomApis
import dev.dataverse.emulator.internal.messages.TypedValues
import dev.dataverse.emulator.internal.http.EmulatorContext
import dev.dataverse.emulator.internal.http.EmulatorServer
import dev.dataverse.emulator.internal.model.MetadataCatalog
import dev.dataverse.emulator.internal.model.StandardTables
import dev.dataverse.emulator.internal.messages.CustomApiRecords
import dev.dataverse.emulator.internal.schema.SnapshotLoader
import dev.dataverse.emulator.internal.store.RecordStore
import dev.dataverse.emulator.internal.tls.SelfSignedCertificate
import java.security.cert.X509Certificate
import java.util.concurrent.atomic.AtomicBoolean
import javax.net.ssl.SSLContext
import javax.net.ssl.X509TrustManager

/**
 * An in-memory Dataverse Web API on localhost. Any Dataverse client (this library, the Python SDK, curl) can
 * use it as an environment: it answers like the real service on the wire, so tests, samples and benchmarks
 * run without a tenant, a secret or a network. It starts with the standard `account` and `contact` tables
 * and no records (plus the generated `dv_syntheticrow` table when [EmulatorOptions.syntheticRows] asks for it).
 *
 * ```
 * DataverseEmulator.start().use { emulator ->
 *     val client = /* any client configured with */ emulator.baseUrl
 * }
 * ```
 *
 * ## What it serves
 * Records (create, retrieve, update, upsert, delete, by id or alternate key), queries with paging, metadata
 * (`EntityDefinitions`), the bulk actions `CreateMultiple`, `UpdateMultiple` and `UpsertMultiple` (all-or-nothing, as on
 * standard tables), `BulkDelete`, and `$batch` with atomic change sets, Content-ID references and continue-on-error.
 *
 * File and image columns: uploads in one `PATCH`, in chunks (`x-ms-transfer-mode: chunked`, then `Content-Range`
 * chunks to the session's `Location`; only the chunk that completes the file commits it) or through the block actions
 * (`InitializeFileBlocksUpload`, `UploadBlock`, `CommitFileBlocksUpload`); `GET .../$value` with or without `Range`;
 * `DELETE` of the column and `DeleteFile`. Content is kept on disk (see [storedFileCount]) and limited by the column's
 * `MaxSizeInKB` (400 `0x80044a02`); `If-None-Match: null` is no condition (a cache override, as on every request), while
 * `If-None-Match: *` refuses to replace a stored file (412). The stored MIME type is
 * the upload's `Content-Type` (or the block commit's `MimeType`), except that `application/octet-stream` is replaced by
 * the type the file name suggests.
 *
 * Queries: OData (`$select`, `$filter` with the string functions and the `In`/`NotIn`/`Between`/`NotBetween` query
 * functions, `$orderby`, `$top`, `$count`, `$expand` with nested options, formatted-value and lookup annotations);
 * FetchXML (`?fetchXml=`: attributes, filters with the common condition operators, orders, inner and outer
 * link-entities, `distinct`, paging by page number or paging cookie, aggregates `count`, `countcolumn`, `sum`, `avg`,
 * `min`, `max` with `groupby`); and a read-only SQL subset (`?sql=SELECT ...`: columns, `*`, `TOP`, `DISTINCT`, one
 * `INNER` or `LEFT` join, `WHERE`, `ORDER BY`, `COUNT(*)` with `GROUP BY`). What a query language offers beyond those
 * subsets is refused with a 400 that says so rather than guessed at.
 *
 * ## Snapshots
 * [snapshot] takes the emulator's whole state (schema, records, files, fault rules, limits, custom APIs and the other
 * runtime controls) and [restore] puts it back, safely with requests in flight: a test fixture takes one after its
 * setup and restores it after each test, so every test starts from the same baseline whatever the previous one did
 * (the JUnit extension of `dataverse-junit` does this by default). See [EmulatorSnapshot].
 *
 * ## Misbehaving on demand
 * Like the service, it refuses a request with 429 (error code `0x80072326`, `Retry-After`) while
 * [concurrencyLimit] requests are in flight. [faults] injects throttling, 503s, 504s, latency, dropped connections
 * (before or after the request is applied), unreadable bodies and expired tokens, by route and probability, from a
 * seeded random sequence ([EmulatorOptions.faultSeed]). [stats] counts what happened.
 *
 * ## https
 * With [EmulatorOptions.tls] it serves https with a certificate generated at start ([certificate]); clients trust it
 * through [clientSslContext] with [clientTrustManager] (or the PEM from the admin API). [stats] counts accepted connections and TLS handshakes,
 * so tests can assert that a client reuses its connections.
 *
 * ## Admin API
 * The same controls are available over HTTP, for clients in any language and for the standalone emulator, under
 * `/_emulator` (outside the API root; these requests are never throttled, faulted or counted). Because a web page
 * the developer opens could otherwise reach it from the browser, a request is refused unless its `Host` is the
 * emulator's own `127.0.0.1:<port>` (or `localhost:<port>`), its `Origin` (if any) is that same address, a `POST`
 * carries `Content-Type: application/json`, and, when [EmulatorOptions.adminToken] or else
 * [EmulatorOptions.requiredToken] is set, it carries `Authorization: Bearer <that token>`:
 *
 * | request | effect |
 * |---|---|
 * | `GET /_emulator/faults` | `{"faults":[<rule>...]}`: the fault rules, in the order they are tried |
 * | `POST /_emulator/faults` | adds the rule in the body; 201 with the rule as stored |
 * | `DELETE /_emulator/faults` | removes every rule; 204 |
 * | `GET /_emulator/stats` | `{"requests":..,"inFlight":..,"maxInFlight":..,"throttled":..,"faultsInjected":..,"faultsInjectedByKind":{"LATENCY":..,...},"disconnects":..,"connectionsAccepted":..,"tlsHandshakes":..}` |
 * | `GET /_emulator/certificate` | the https certificate as PEM (`application/x-pem-file`); 404 over plain http |
 * | `POST /_emulator/reset` | as [reset]; 204 |
 * | `POST /_emulator/snapshots` | as [snapshot]; 201 `{"id":"1","records":3}` |
 * | `GET /_emulator/snapshots` | `{"snapshots":["1",...]}`: the snapshots taken over HTTP and not yet deleted |
 * | `POST /_emulator/snapshots/<id>/restore` | as [restore]; 204, or 404 when unknown |
 * | `DELETE /_emulator/snapshots/<id>` | closes the snapshot ([EmulatorSnapshot.close]); 204, or 404 when unknown |
 * | `GET /_emulator/concurrency-limit` | `{"limit":52}` |
 * | `PUT /_emulator/concurrency-limit` | sets the limit from `{"limit":N}` (or a bare `N`; 0 = unlimited); 200 with the new value |
 * | `GET /_emulator/custom-apis` | `{"customApis":["sample_X",...]}`: the registered custom APIs |
 * | `POST /_emulator/custom-apis` | registers a custom API with a canned response: `{"uniqueName":..,"isFunction":false,"bindingType":"Global","boundEntityLogicalName":null,"requestParameters":[{"uniqueName":..,"type":"String","isOptional":false}],"response":{..}}` (no `requestParameters`: any accepted; no `response`: 204); 201 |
 * | `DELETE /_emulator/custom-apis/<name>` | unregisters it; 204, or 404 when unknown |
 * | `POST /_emulator/duplicate-rules` | adds a duplicate-detection rule `{"table":"account","columns":["name"]}`; see [addDuplicateDetectionRule]; 204 |
 * | `GET /_emulator/solutions` | `{"<solution>":["table:new_x",...]}`: schema created with `MSCRM.SolutionUniqueName`; see [solutionComponents] |
 *
 * A rule is `{"kind":"SERVICE_UNAVAILABLE","probability":0.05,"pathPattern":"accounts.*","methods":["POST"],
 * "retryAfterSeconds":1,"latencyMillis":0}`; only `kind` (a [FaultKind] name) is required, the rest default as in
 * [FaultRule]. Invalid requests answer 400 `{"error":{"message":"..."}}`.
 */
public class DataverseEmulator private constructor(
    @get:JvmSynthetic
    internal val context: EmulatorContext,
    private val server: EmulatorServer,
    private val tls: SelfSignedCertificate?,
) : AutoCloseable {
    private val closed = AtomicBoolean()

    /** The port the emulator listens on (the free port chosen when the options asked for port 0). */
    public val port: Int get() = server.port

    /**
     * The environment URL clients are configured with, `http://127.0.0.1:<port>`, or `https://127.0.0.1:<port>` with
     * [EmulatorOptions.tls] (no trailing slash).
     */
    public val baseUrl: String get() = context.baseUrl

    /** The Web API root, `<baseUrl>/api/data/v9.2`. */
    public val apiUrl: String get() = context.apiUrl

    /**
     * The self-signed certificate served with [EmulatorOptions.tls], generated at start for `127.0.0.1` and `localhost`;
     * null over plain http. Add it to a trust store, or use [clientSslContext].
     */
    public val certificate: X509Certificate? get() = tls?.certificate

    /**
     * A client `SSLContext` that trusts this emulator's [certificate] (and nothing else), for
     * `DataverseClient.builder().sslContext(emulator.clientSslContext(), emulator.clientTrustManager())` or a bare
     * `java.net.http.HttpClient`. A new context on each call, always built on [clientTrustManager]. Throws
     * [IllegalStateException] when the emulator serves plain http.
     */
    public fun clientSslContext(): SSLContext = serving().clientContext()

    /**
     * The trust manager [clientSslContext] is built with: it trusts this emulator's [certificate] and nothing else. An
     * `SSLContext` does not expose its trust manager, and Ktor's CIO engine runs its own TLS on a trust manager rather
     * than a context, so a client that may run on `HttpEngine.CIO` needs the pair:
     * `sslContext(emulator.clientSslContext(), emulator.clientTrustManager())` works on every engine. The same instance
     * on each call. Throws [IllegalStateException] when the emulator serves plain http.
     */
    public fun clientTrustManager(): X509TrustManager = serving().clientTrustManager

    private fun serving(): SelfSignedCertificate =
        checkNotNull(tls) { "The emulator serves plain http; start it with EmulatorOptions(tls = true) to get a certificate." }

    /** Live request counters. */
    public val stats: EmulatorStats get() = context.stats

    /**
     * The service-protection limit on concurrent API requests now in force: a request arriving while this many are in
     * flight gets 429 at once. 0 means unlimited. Starts at [EmulatorOptions.concurrencyLimit] (52 by default); setting
     * it takes effect for requests that arrive afterwards. Throws [IllegalArgumentException] for a negative value.
     */
    public var concurrencyLimit: Int
        get() = context.concurrencyLimit
        set(value) {
            context.concurrencyLimit = value
        }

    /**
     * Whether Dataverse search (`/api/search/v2.0/query`, `suggest`, `autocomplete`) is on, as the organization's
     * `isexternalsearchindexenabled`. Default true; when false every search call is answered 400 with the service's
     * `0x80048d0b` "Dataverse Search feature is disabled for this organization." Stays across [reset].
     */
    public var searchEnabled: Boolean
        get() = context.search.settings.enabled
        set(value) {
            context.search.settings.enabled = value
        }

    /**
     * The logical names of the tables Dataverse search covers (those whose `SyncToExternalSearchIndex` is on in the
     * service), or null (the default) for every table. A search naming another table in its entities is answered 400.
     * Stays across [reset].
     */
    public var searchableTables: Set<String>?
        get() = context.search.settings.tables
        set(value) {
            context.search.settings.tables = value
        }

    /** The fault rules, to add or remove while the emulator runs (`emulator.faults().add(rule)`). */
    public fun faults(): EmulatorFaults = context.faults

    /**
     * The number of records in the table with logical name [table] (e.g. `account`); for `dv_syntheticrow`, its
     * generated row count (capped at [Int.MAX_VALUE]). Throws [IllegalArgumentException] for a table the emulator does not have.
     */
    public fun recordCount(table: String): Int {
        val synthetic = context.synthetic
        if (synthetic != null && synthetic.table.logicalName.equals(table, ignoreCase = true)) {
            return synthetic.count.coerceAtMost(Int.MAX_VALUE.toLong()).toInt()
        }
        val store = requireNotNull(context.store.table(table)) { "The emulator has no table named '$table'" }
        return store.size
    }

    /**
     * Deletes every record of every table, restarts the [stats] counters and removes every fault rule (also those from
     * [EmulatorOptions.faults]), restarting the seeded random sequence. Tables, their metadata and the
     * [concurrencyLimit] stay. To go back to a state of your choosing instead (seed records and the options' fault rules
     * included), [restore] a [snapshot]. Waits for the requests being handled, like [restore], and like it throws
     * [IllegalStateException] when called while this thread handles a request (from a custom API's handler).
     */
    public fun reset() {
        context.reset()
    }

    /**
     * Takes a snapshot of the emulator's state now, to [restore] later as often as needed; see [EmulatorSnapshot] for
     * what it holds. Waits for the requests being handled to finish and holds new ones back meanwhile, so it never holds
     * half of a change set or bulk action. Close the snapshot when done with it to release the file content it keeps.
     * Throws [IllegalStateException] when called while this thread handles a request (from a custom API's handler).
     */
    public fun snapshot(): EmulatorSnapshot = EmulatorSnapshot.take(context)

    /**
     * Puts the emulator back in the state [snapshot] holds: schema, records (at their versions, so their ETags match
     * again), files, fault rules (with the seeded random sequence restarted), concurrency limit, search settings,
     * custom APIs, duplicate rules, solutions and their components; restarts the [stats] counters and ends upload sessions in
     * progress. Change-tracking tokens issued after the snapshot was taken expire (they describe records that are gone);
     * those issued before it stay good.
     *
     * Safe with requests in flight: it waits for the requests being handled to finish (their changes are then undone
     * with the rest) and holds new ones back until it is done, so every request sees the state entirely before or after
     * it. Throws [IllegalArgumentException] for a snapshot of another emulator, and [IllegalStateException] for a closed
     * snapshot or when called while this thread handles a request (from a custom API's handler).
     */
    public fun restore(snapshot: EmulatorSnapshot) {
        snapshot.restoreInto(context)
    }

    /**
     * Serves [api], a custom API of your own, from now on (replacing one of the same name), so that code calling it can
     * be tested against the emulator; see [CustomApi]. Custom APIs stay registered across [reset]. Throws
     * [IllegalArgumentException] for the name of a standard message the emulator serves itself (e.g. `WhoAmI`).
     */
    public fun registerCustomApi(api: CustomApi) {
        context.messages.register(CustomApis.definition(api, TypedValues(context.catalog)))
    }

    /** Stops serving the custom API [uniqueName]; returns whether it was registered. */
    public fun unregisterCustomApi(uniqueName: String): Boolean = context.messages.unregister(uniqueName)

    /** The unique names of the registered custom APIs, sorted. */
    public val customApis: List<String> get() = context.messages.customNames()

    /**
     * Adds a duplicate-detection rule: records of [table] whose [columns] all hold equal values (text compared
     * case-insensitively) are duplicates. Creates and updates that turn detection on (`MSCRM.SuppressDuplicateDetection:
     * false`) fail when they would make one, as the service does (HTTP 500, `0x80040333`); others are not checked.
     * Rules stay across [reset].
     */
    public fun addDuplicateDetectionRule(table: String, vararg columns: String) {
        context.duplicateRules.add(table, columns.toList())
    }

    /**
     * The solution components schema requests created with `MSCRM.SolutionUniqueName: [solutionUniqueName]`, in order, as
     * `<kind>:<name>` (`table:new_product`, `column:new_product.new_price`, `relationship:<schema name>`,
     * `key:<table>.<schema name>`). Empty when none went into that solution.
     */
    public fun solutionComponents(solutionUniqueName: String): List<String> = context.solutions.components(solutionUniqueName)

    /**
     * Adds the unmanaged solution [uniqueName], so that schema requests may name it in `MSCRM.SolutionUniqueName` (a
     * name the emulator lacks is refused, as the service refuses a solution that does not exist); returns false when the
     * emulator already has it. Solutions stay across [reset] and are part of [snapshot]s. Throws
     * [IllegalArgumentException] for a name the service would refuse (letters, digits and `_`, not starting with a digit,
     * at most 65 characters).
     */
    public fun addSolution(uniqueName: String): Boolean = context.solutions.add(uniqueName)

    /** The unique names of the solutions the emulator has: `Default`, those of [EmulatorOptions.solutions] and those added. */
    public val solutions: List<String> get() = context.solutions.names()

    /**
     * The number of files stored in file and image columns. Their content is kept on disk, in a temporary directory
     * of this emulator's own that [close] deletes (or the JVM's exit, for an emulator never closed); content no record refers to any more (its record, column or table was
     * deleted, or a newer upload replaced it) is removed after the request that released it.
     */
    public val storedFileCount: Int get() = context.files.fileCount

    /** Stops the server promptly (requests in flight may be cut off) and deletes the stored files. Calling it again does nothing. */
    override fun close() {
        if (closed.compareAndSet(false, true)) {
            server.stop()
            context.files.close()
        }
    }

    override fun toString(): String = "DataverseEmulator($baseUrl)"

    /** Starting emulators. */
    public companion object {
        /**
         * Starts an emulator on 127.0.0.1 with [options] (by default on a free port) and returns once it accepts
         * connections. Close it when done. Throws [java.io.IOException] when the port cannot be bound, and
         * [EmulatorSchemaException] when [EmulatorOptions.schema] names a snapshot that cannot be read or used.
         */
        @JvmStatic
        @JvmOverloads
        public fun start(options: EmulatorOptions = EmulatorOptions()): DataverseEmulator {
            val catalog = MetadataCatalog(StandardTables.all() + CustomApiRecords.tables())
            val context = EmulatorContext(options, catalog, RecordStore(catalog, options.clock::instant))
            // Before the server listens: a bad snapshot fails the start with nothing bound.
            options.schema?.let { SnapshotLoader(it).load(catalog, context.store, context.messages) }
            context.syncCustomApiRecords()
            val tls = if (options.tls) SelfSignedCertificate.generate() else null
            val server = EmulatorServer(context, ApiRouter(context), options.port, tls?.serverContext())
            val port = server.start()
            context.baseUrl = "${if (tls == null) "http" else "https"}://${EmulatorContext.HOST}:$port"
            context.certificatePem = tls?.pem()
            return DataverseEmulator(context, server, tls)
        }
    }
}
