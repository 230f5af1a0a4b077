package dev.dataverse

/**
 * Observes what a client does — its public operations, every HTTP attempt, retries, bulk chunks and token acquisitions —
 * so that tracing and metrics can be added without the core depending on a telemetry library.
 *
 * The `dataverse-telemetry` module implements it for OpenTelemetry and Micrometer; most applications use those:
 *
 * ```kotlin
 * val client = DataverseClient {
 *     environmentUrl("https://contoso.crm.dynamics.com")
 *     credential(credential)
 *     addInstrumentation(DataverseOpenTelemetry.create(openTelemetry))
 *     addInstrumentation(DataverseMicrometer.create(meterRegistry))
 * }
 * ```
 * ```java
 * DataverseBlockingClient client = new DataverseClientBuilder()
 *     .environmentUrl("https://contoso.crm.dynamics.com")
 *     .credential(credential)
 *     .addInstrumentation(DataverseOpenTelemetry.create(openTelemetry))
 *     .buildClient();
 * ```
 *
 * ## Cost
 * A client built without instrumentation makes none of these calls and allocates nothing for them. With
 * instrumentation, the callbacks run on the request's path: they must be quick and must not block.
 *
 * ## What observers see
 * Names, ids, URLs, status codes, sizes and error types; never a request or response body and never the token. The URL
 * of an attempt holds the query (filter values) and alternate-key values: an observer that exports it should redact it,
 * as the `dataverse-telemetry` module does.
 *
 * ## Threads
 * Callbacks come from whatever thread runs the call; the attempts of one operation may run at once (bulk chunks in
 * parallel), so observers must be thread-safe. An exception thrown by a callback is logged and ignored: telemetry never
 * fails a call.
 */
public fun interface DataverseInstrumentation {
    /** Called once, when a client is built; the returned observer receives everything that client does until closed. */
    public fun bind(client: InstrumentedClient): ClientObserver
}

/** What an instrumentation can read about the client it observes, at any time (for gauges). */
public interface InstrumentedClient {
    /** The environment's origin, e.g. `https://contoso.crm.dynamics.com`. */
    public val environmentUrl: String

    /** The host of [environmentUrl]. */
    public val serverAddress: String

    /** The port of [environmentUrl], explicit or implied by its scheme. */
    public val serverPort: Int

    /** The current adaptive limit of requests in flight (see `maxConcurrentRequests`). */
    public val concurrencyLimit: Int

    /** The HTTP requests in flight right now. */
    public val requestsInFlight: Int
}

/** Receives the events of one client. */
public interface ClientObserver : AutoCloseable {
    /**
     * A public operation (e.g. `records.create`) started; the returned observer receives its attempts and its end. A
     * listing (`records.list`, `query.sql`...) is one operation from the start of its collection to its end.
     */
    public fun operationStarted(operation: OperationInfo): OperationObserver

    /**
     * The client acquired a token from its credential, because none was cached or the cached one expired or was refused;
     * [error] is set when that failed. Calls that found a cached token are not reported.
     */
    public fun tokenAcquired(elapsed: java.time.Duration, error: DataverseException?) {}

    /** The client was closed; release what was registered for it (gauges). */
    override fun close() {}
}

/** The identity of one public operation. */
public interface OperationInfo {
    /** The operation, namespace and method: `records.create`, `records.createMany`, `batch`, `files.upload`... */
    public val name: String

    /** The table's logical name when the operation addresses one table, else null. */
    public val table: String?

    /** The `x-ms-correlation-id` every request of this operation sends. */
    public val correlationId: String
}

/** Receives the events of one operation. */
public interface OperationObserver {
    /** An HTTP attempt is about to go to the wire; headers set through [attempt] are sent (e.g. `traceparent`). */
    public fun attemptStarted(attempt: AttemptInfo): AttemptObserver

    /** The attempt numbered [attempt] failed with [error] and the client retries after [delay]. */
    public fun retryScheduled(attempt: Int, delay: java.time.Duration, error: DataverseException) {}

    /**
     * A chunk of a bulk operation completed: [size] inputs, of which [succeeded] succeeded and [failed] failed; inputs a
     * `createMany` with [BulkOptions.skipExisting] found existing are in neither count.
     */
    public fun bulkChunkCompleted(size: Int, succeeded: Int, failed: Int) {}

    /**
     * The operation ended: [error] is null on success, the [DataverseException] it threw, or a
     * `java.util.concurrent.CancellationException` when it was cancelled (or its collector stopped early).
     */
    public fun ended(error: Throwable?)
}

/** One HTTP attempt, as a telemetry observer sees it: a policy's view of the request plus what it carries. */
public interface AttemptInfo : HttpPolicy.Request {
    /** The number of records of a bulk chunk this request carries, or 0 when it is not a bulk chunk. */
    public val bulkChunkSize: Int

    /** The bytes of file content this request uploads, or 0. */
    public val fileBytesSent: Long

    /** Whether this request downloads file content, whose size the response's `bodySize` then gives. */
    public val isFileDownload: Boolean
}

/** Receives the end of one HTTP attempt. */
public fun interface AttemptObserver {
    /**
     * The attempt ended, with the service's [response] (any status, including errors) or without one ([response] null:
     * connection failure, timeout, cancellation). [error] is the typed error of a failed attempt, whether or not it had
     * a response.
     */
    public fun ended(response: HttpPolicy.Response?, error: DataverseException?)
}
