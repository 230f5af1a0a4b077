package dev.dataverse.java

import dev.dataverse.Response
import dev.dataverse.BatchRequest
import dev.dataverse.BatchResult
import dev.dataverse.DataverseClient
import dev.dataverse.RequestOptions
import dev.dataverse.WhoAmI
import dev.dataverse.java.internal.SharedClient
import java.time.Duration
import java.util.concurrent.CompletableFuture

/**
 * A non-blocking client for one Dataverse environment's Web API, for Java code that composes `CompletableFuture`s.
 *
 * It is a thin view over the Kotlin [DataverseClient]: every method starts the core's suspending operation as a
 * coroutine and returns a [CompletableFuture] of its result at once, so both share one behaviour — retries, token
 * caching, error mapping, escaping. Create one client per environment with [DataverseClientBuilder] and share it: it
 * owns a connection pool and a token cache. Close it when done.
 *
 * ```java
 * DataverseAsyncClient client = new DataverseClientBuilder()
 *     .environmentUrl("https://contoso.crm.dynamics.com")
 *     .credential(new DefaultAzureCredentialBuilder().build())
 *     .buildAsyncClient();
 * client.whoAmI()
 *     .thenCompose(me -> client.records().create("account", Map.of("name", "Contoso")))
 *     .thenAccept(id -> System.out.println("created " + id))
 *     .whenComplete((ignored, error) -> client.close());
 * ```
 * The same client is available as a blocking API through [blocking], and Kotlin code holding a [DataverseClient] hands
 * an async view of it to Java code with [wrap].
 *
 * ## Batches
 * [batch] sends many operations in one `$batch` request; see [DataverseBlockingClient.batch] for how batches behave.
 * ```java
 * BatchRequest.Builder batch = BatchRequest.builder().continueOnError(true);
 * batch.update("account", id1, Map.of("telephone1", "555-0100"));
 * batch.delete("account", id2);
 * client.batch(batch.build()).thenAccept(result -> result.getFailures().forEach(failure ->
 *     log.warn("operation #{} failed: {}", failure.getIndex(), failure.getError().getMessage())));
 * ```
 *
 * ## Exceptions
 * Every failure completes the returned future exceptionally, invalid input included (its future is already failed when
 * returned, and nothing was sent); no method throws except for `null` arguments. `future.get()` throws
 * [java.util.concurrent.ExecutionException] and `future.join()` [java.util.concurrent.CompletionException], both with
 * the [dev.dataverse.DataverseException] as cause. After [close], futures fail with [dev.dataverse.ClientClosedException]
 * and nothing is sent.
 *
 * ## Cancellation
 * Cancelling a returned future (`cancel(true)` or `cancel(false)`) cancels the operation's coroutine and so its HTTP
 * exchange, closing that connection; the future reports `isCancelled()`. [close] cancels every call in flight: those
 * waiting for the service fail with [dev.dataverse.ClientClosedException]. See [AsyncRecords] for threads and publishers.
 */
public class DataverseAsyncClient private constructor(private val client: SharedClient) : AutoCloseable {

    /** Record operations: create, get, update, upsert, delete, list. */
    @get:JvmName("records")
    public val records: AsyncRecords = AsyncRecords(client)

    /** FetchXML, SQL and counting. */
    @get:JvmName("query")
    public val query: AsyncQuery = AsyncQuery(client)

    /** The schema: tables, columns, choices, relationships and alternate keys. */
    @get:JvmName("tables")
    public val tables: AsyncTables = AsyncTables(client)

    /** Content of file and image columns: chunked upload, download and delete. */
    @get:JvmName("files")
    public val files: AsyncFileColumns = AsyncFileColumns(client)

    /** Actions and functions: standard messages and your own custom APIs. */
    @get:JvmName("messages")
    public val messages: AsyncMessages = AsyncMessages(client)

    /** Dataverse search: relevance search across tables, suggestions and autocomplete. */
    @get:JvmName("search")
    public val search: AsyncSearch = AsyncSearch(client)

    /** The environment's URL, e.g. `https://contoso.crm.dynamics.com`. */
    @get:JvmName("environmentUrl")
    public val environmentUrl: String get() = client.core.environmentUrl

    /** The Web API root, e.g. `https://contoso.crm.dynamics.com/api/data/v9.2`. */
    @get:JvmName("apiUrl")
    public val apiUrl: String get() = client.core.apiUrl

    /** Whether the client (through this view or another view of it) was closed. */
    public val isClosed: Boolean get() = client.isClosed

    /** The Kotlin client this view runs on, for code that mixes Kotlin coroutines and Java. */
    @get:JvmName("core")
    public val core: DataverseClient get() = client.core

    /**
     * Calls the `WhoAmI` function: who the client acts as. A cheap way to check URL and credentials. Fails with
     * [dev.dataverse.AuthenticationException] when the credentials are rejected.
     */
    public fun whoAmI(): CompletableFuture<WhoAmI> = client.future { client.core.whoAmI() }

    /**
     * Sends the operations of [request] as a `$batch`; completes with what happened to each, in the order they were added.
     * Failures of single operations do not fail the future: each is reported in its [dev.dataverse.BatchOperationResult]
     * (use [BatchResult.throwIfFailed] in a later stage to turn them into a [dev.dataverse.BatchFailedException]). See
     * [DataverseBlockingClient.batch] for ordering, change sets and splitting. Fails with
     * [dev.dataverse.ClientClosedException] when the client is closed.
     */
    public fun batch(request: BatchRequest): CompletableFuture<BatchResult> = client.future { client.core.batch(request) }

    /**
     * [batch] with the HTTP answer of the `$batch` request (status, headers, request and correlation ids); see
     * [dev.dataverse.DataverseClient.batchWithResponse]. Fails like [batch].
     */
    public fun batchWithResponse(request: BatchRequest): CompletableFuture<Response<BatchResult>> =
        client.future { client.core.batchWithResponse(request) }

    /**
     * A view of this client whose every request carries [options] over the client's defaults; see
     * [DataverseBlockingClient.withOptions].
     */
    public fun withOptions(options: RequestOptions): DataverseAsyncClient = SharedClient(client.core.withOptions(options)).async

    /**
     * A view of this client whose every call must complete within [timeout], or its future fails with
     * [dev.dataverse.RequestTimeoutException] after the call's HTTP exchange was cancelled; see
     * [DataverseBlockingClient.withTimeout]. Unlike `CompletableFuture.orTimeout`, which only completes the future, the
     * timeout cancels the call itself, and the exception carries the call's request ids.
     * ```java
     * client.withTimeout(Duration.ofSeconds(5)).records().get("account", id).thenAccept(this::show);
     * ```
     *
     * @throws dev.dataverse.InvalidInputException when [timeout] is zero or negative.
     */
    public fun withTimeout(timeout: Duration): DataverseAsyncClient = SharedClient(client.core.withTimeout(timeout)).async

    /**
     * The blocking view of this same client: it shares the connection pool, token and metadata caches, and closing
     * either view closes both. Always the same instance.
     */
    public fun blocking(): DataverseBlockingClient = client.blocking

    /**
     * Closes the client: cancels calls in flight and releases the connections. Also closes the [blocking] view and the
     * [core] client. Idempotent.
     */
    override fun close(): Unit = client.close()

    override fun toString(): String = "DataverseAsyncClient($client)"

    /** Factory for views of existing Kotlin clients. */
    public companion object {
        /**
         * An async view of [client], a Kotlin [DataverseClient], for Java code in a mixed code base. The view shares
         * [client] (closing one closes the other) and adds no resources of its own but a small coroutine scope.
         */
        @JvmStatic
        public fun wrap(client: DataverseClient): DataverseAsyncClient = SharedClient(client).async

        // Java sees no constructor taking the internal SharedClient: the module builds facades through `DataverseAsyncClient(client)`.
        @JvmSynthetic
        internal operator fun invoke(client: SharedClient): DataverseAsyncClient = DataverseAsyncClient(client)
    }
}
