package dev.dataverse.java

import dev.dataverse.Response
import dev.dataverse.BatchRequest
import dev.dataverse.BatchResult
import dev.dataverse.DataverseClient
import dev.dataverse.RequestOptions
import dev.dataverse.WhoAmI
import dev.dataverse.java.internal.SharedClient
import dev.dataverse.java.internal.blocking
import java.time.Duration

/**
 * A blocking client for one Dataverse environment's Web API, for Java code that simply waits for each answer.
 *
 * It is a thin view over the Kotlin [DataverseClient]: every method runs the core's suspending operation and blocks the
 * calling thread until it is done, so both share one behaviour — retries, token caching, error mapping, escaping. Create
 * one client per environment with [DataverseClientBuilder] and share it between threads: it owns a connection pool and a
 * token cache. Close it when done.
 *
 * ```java
 * try (DataverseBlockingClient client = new DataverseClientBuilder()
 *         .environmentUrl("https://contoso.crm.dynamics.com")
 *         .credential(new DefaultAzureCredentialBuilder().build())
 *         .buildClient()) {
 *     UUID id = client.records().create("account", Map.of("name", "Contoso"));
 *     DataverseRecord account = client.records().get("account", id);
 *     System.out.println(account.getString("name"));
 * }
 * ```
 * The same client is available as a `CompletableFuture` API through [async], and Kotlin code holding a
 * [DataverseClient] hands a blocking view of it to Java code with [wrap].
 *
 * ## Batches
 * [batch] sends many operations in one `$batch` request (split into several when it holds more than 1000), executed by
 * the service in order; the operations of a change set apply all or none, and a record created in a change set can be
 * referred to by later operations of the same change set through the [dev.dataverse.BatchReference] its `create`
 * returned.
 * ```java
 * BatchRequest.Builder batch = BatchRequest.builder();
 * BatchReference existing = batch.get("account", accountId, RetrieveOptions.builder().select("name").build());
 * ChangeSetBuilder changeSet = batch.changeSet();
 * BatchReference account = changeSet.create("account", Map.of("name", "Contoso"));
 * BatchReference contact = changeSet.create("contact", Map.of("lastname", "Doe", "parentcustomerid_account", account));
 *
 * BatchResult result = client.batch(batch.build()).throwIfFailed();   // or inspect result.getFailures()
 * UUID contactId = result.get(contact).getEntityId();
 * String name = result.get(existing).getRecord().getString("name");
 * ```
 *
 * ## Exceptions
 * Failures throw unchecked [dev.dataverse.DataverseException]s (see [BlockingRecords]); invalid input throws
 * [dev.dataverse.InvalidInputException] before anything is sent; calls on a closed client throw
 * [dev.dataverse.ClientClosedException] without sending anything.
 *
 * ## Interruption and cancellation
 * Interrupting a thread blocked in a call cancels the call's HTTP exchange (closing its connection) and waits for it to be
 * torn down; the call then throws [dev.dataverse.OperationInterruptedException] whose cause is the [InterruptedException],
 * and the thread's interrupt status is set again, so the code that owns the thread sees the interrupt. [close] from
 * another thread makes the calls in flight fail with [dev.dataverse.ClientClosedException].
 */
public class DataverseBlockingClient private constructor(private val client: SharedClient) : AutoCloseable {

    /** Record operations: create, get, update, upsert, delete, list. */
    @get:JvmName("records")
    public val records: BlockingRecords = BlockingRecords(client)

    /** FetchXML, SQL and counting. */
    @get:JvmName("query")
    public val query: BlockingQuery = BlockingQuery(client)

    /** The schema: tables, columns, choices, relationships and alternate keys. */
    @get:JvmName("tables")
    public val tables: BlockingTables = BlockingTables(client)

    /** Content of file and image columns: chunked upload, download and delete. */
    @get:JvmName("files")
    public val files: BlockingFileColumns = BlockingFileColumns(client)

    /** Actions and functions: standard messages and your own custom APIs. */
    @get:JvmName("messages")
    public val messages: BlockingMessages = BlockingMessages(client)

    /** Dataverse search: relevance search across tables, suggestions and autocomplete. */
    @get:JvmName("search")
    public val search: BlockingSearch = BlockingSearch(client)

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
     * Calls the `WhoAmI` function: who the client acts as. A cheap way to check URL and credentials.
     *
     * @throws dev.dataverse.AuthenticationException when the credentials are rejected.
     */
    public fun whoAmI(): WhoAmI = blocking { client.core.whoAmI() }

    /**
     * Sends the operations of [request] as a `$batch` and returns what happened to each, in the order they were added
     * ([BatchResult.operations]; find one with `result.get(reference)`). Build the request with `BatchRequest.builder()`;
     * see the class documentation for an example.
     *
     * Operations run in order. Without [BatchRequest.continueOnError] the service stops at the first failure: later
     * operations are [dev.dataverse.BatchOutcome.NOT_EXECUTED]. A change set applies all its operations or none: when one
     * fails, the others are [dev.dataverse.BatchOutcome.ROLLED_BACK]. A batch of more than 1000 operations is sent as
     * several requests, split between top-level entries (a change set is never split).
     *
     * Failures of single operations do not throw: each is reported in its [dev.dataverse.BatchOperationResult] with the
     * exception the operation would have raised alone. Call [BatchResult.throwIfFailed] to throw
     * [dev.dataverse.BatchFailedException] instead. A failure of a whole HTTP request (authentication, throttling beyond
     * the retries, a dropped connection) is reported as the failure of each of its operations.
     *
     * Invalid input ([dev.dataverse.InvalidInputException]: an empty batch or change set, a change set of more than 1000
     * operations, a reference from another batch or change set) is refused by `BatchRequest.Builder`, before anything is
     * sent.
     *
     * @throws dev.dataverse.ClientClosedException when the client is closed.
     */
    public fun batch(request: BatchRequest): BatchResult = blocking { client.core.batch(request) }

    /**
     * [batch] with the HTTP answer of the `$batch` request (status, headers, request and correlation ids); see
     * [dev.dataverse.DataverseClient.batchWithResponse] for a batch sent as several requests.
     *
     * @throws dev.dataverse.ClientClosedException when the client is closed.
     */
    public fun batchWithResponse(request: BatchRequest): Response<BatchResult> = blocking { client.core.batchWithResponse(request) }

    /**
     * A view of this client whose every request carries [options] (impersonation, bypassed logic, duplicate detection, a
     * `tag`, a solution) over the client's defaults; see [dev.dataverse.RequestOptions]. It shares this client's
     * connections and caches; closing the view does not close this client, and the view stops working when this client
     * is closed.
     * ```java
     * client.withOptions(RequestOptions.builder().callerId(userId).build()).records().create("account", Map.of("name", "On behalf"));
     * ```
     */
    public fun withOptions(options: RequestOptions): DataverseBlockingClient = SharedClient(client.core.withOptions(options)).blocking

    /**
     * A view of this client whose every call must complete within [timeout] — retries, waits for `Retry-After`, metadata
     * lookups and token acquisition included — or throw [dev.dataverse.RequestTimeoutException] after cancelling its HTTP
     * exchange; for a [PagedIterable] it bounds each page fetch. The per-call counterpart of
     * [DataverseClientBuilder.operationTimeout], which it replaces for the calls made through the view; each HTTP attempt
     * is still bounded by [DataverseClientBuilder.requestTimeout]. Like [withOptions], the view shares this client's
     * connections and caches, is cheap to create per call, and combines with it (`withOptions(o).withTimeout(t)`);
     * closing the view does not close this client.
     * ```java
     * DataverseRecord account = client.withTimeout(Duration.ofSeconds(5)).records().get("account", id);
     * ```
     *
     * @throws dev.dataverse.InvalidInputException when [timeout] is zero or negative.
     */
    public fun withTimeout(timeout: Duration): DataverseBlockingClient = SharedClient(client.core.withTimeout(timeout)).blocking

    /**
     * The `CompletableFuture` view of this same client: it shares the connection pool, token and metadata caches, and
     * closing either view closes both. Always the same instance.
     */
    public fun async(): DataverseAsyncClient = client.async

    /**
     * Closes the client: cancels calls in flight (they fail with [dev.dataverse.ClientClosedException]) and releases the
     * connections. Also closes the [async] view and the [core] client. Idempotent.
     */
    override fun close(): Unit = client.close()

    override fun toString(): String = "DataverseBlockingClient($client)"

    /** Factory for views of existing Kotlin clients. */
    public companion object {
        /**
         * A blocking view of [client], a Kotlin [DataverseClient], for Java code in a mixed code base. The view shares
         * [client] (closing one closes the other) and adds no resources of its own but a small coroutine scope.
         */
        @JvmStatic
        public fun wrap(client: DataverseClient): DataverseBlockingClient = SharedClient(client).blocking

        // Java sees no constructor taking the internal SharedClient: the module builds facades through `DataverseBlockingClient(client)`.
        @JvmSynthetic
        internal operator fun invoke(client: SharedClient): DataverseBlockingClient = DataverseBlockingClient(client)
    }
}
