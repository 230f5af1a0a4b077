// Kotlin-only top-level functions: a facade named so that Java code cannot see it (okio's convention).
@file:JvmName("-DataverseClient")

package dev.dataverse

import com.azure.core.credential.TokenCredential
import dev.dataverse.internal.ClientSettings
import dev.dataverse.internal.RealDataverseClient
import dev.dataverse.internal.protocol.EnvironmentUrl
import dev.dataverse.internal.transport.AzureCredentialTokenProvider
import java.time.Instant
import javax.net.ssl.SSLContext
import javax.net.ssl.X509TrustManager
import kotlin.time.TimeSource
import kotlin.time.Duration
import kotlin.time.Duration.Companion.hours
import kotlin.time.Duration.Companion.seconds
import kotlin.time.toJavaDuration
import kotlin.time.toKotlinDuration

/**
 * A client for one Dataverse environment's Web API.
 *
 * Create one per environment and share it: it owns a connection pool, a token cache and a table-metadata cache, and all
 * its functions are safe to call concurrently. Close it when done to release the connections; calls after [close] fail
 * with [ClientClosedException], and calls in flight at that moment are cancelled.
 *
 * ```kotlin
 * DataverseClient {
 *     environmentUrl("https://contoso.crm.dynamics.com")
 *     credential(DefaultAzureCredentialBuilder().build())
 * }.use { client ->
 *     val id = client.records.create("account", mapOf("name" to "Contoso"))
 *     client.records.list("account", ListOptions(select = listOf("name"))).collect { println(it.getString("name")) }
 * }
 * ```
 * Java callers use the blocking or `CompletableFuture` clients of the `dataverse-java` module, built on this one.
 */
public interface DataverseClient : AutoCloseable {
    /** The environment's URL, e.g. `https://contoso.crm.dynamics.com`. */
    public val environmentUrl: String

    /** The Web API root, e.g. `https://contoso.crm.dynamics.com/api/data/v9.2`. */
    public val apiUrl: String

    /** Record operations: create, get, update, upsert, delete, list, and their bulk forms. */
    public val records: Records

    /** FetchXML, SQL and counting. */
    public val query: Query

    /** The schema: tables, columns, choices, relationships and alternate keys. */
    public val tables: Tables

    /** Content of file and image columns: chunked upload, download and delete. */
    public val files: FileColumns

    /** Actions and functions: standard messages and your own custom APIs; see [Messages]. */
    public val messages: Messages

    /** Dataverse search (relevance search across tables, suggestions, autocomplete); see [Search]. */
    public val search: Search

    /** Whether [close] was called. */
    public val isClosed: Boolean

    /**
     * A view of this client whose every request carries [options] over the client's defaults: act as another user, skip
     * custom logic, turn on duplicate detection, pass a `tag` to plug-ins, or put new schema into a solution. The view
     * shares this client's connections, caches and limits and is cheap to create per call; closing it does nothing
     * (close this client instead), and it stops working when this client is closed.
     *
     * ```kotlin
     * client.withOptions(RequestOptions(callerId = userId)).records.create("account", mapOf("name" to "On behalf"))
     * ```
     */
    public fun withOptions(options: RequestOptions): DataverseClient

    /**
     * A view of this client whose every call must complete within [timeout] — retries, waits for `Retry-After`,
     * metadata lookups and token acquisition included — or fail with [RequestTimeoutException] (and the call's HTTP
     * exchange is cancelled). For listings ([Records.list], [Records.pager], [Query.fetchXml]...) it bounds each page.
     * It replaces the client's [Builder.operationTimeout] for the calls made through the view; it does not change
     * [Builder.requestTimeout], which still bounds each HTTP attempt. Like [withOptions], the view shares this client's
     * connections, caches and limits and is cheap to create per call; closing it does nothing. The two combine:
     * `withOptions(o).withTimeout(t)` carries both.
     *
     * ```kotlin
     * val account = client.withTimeout(5.seconds).records.get("account", id)
     * ```
     * ```java
     * DataverseRecord account = client.withTimeout(Duration.ofSeconds(5)).records().get("account", id);
     * ```
     *
     * @throws InvalidInputException when [timeout] is zero or negative.
     */
    @JvmSynthetic
    public fun withTimeout(timeout: Duration): DataverseClient

    /** [withTimeout] for Java callers. */
    public fun withTimeout(timeout: java.time.Duration): DataverseClient

    /**
     * Sends a `$batch`: many operations in as few HTTP requests as the service allows (1000 operations each), executed in
     * order, with atomic change sets. See [BatchRequest] for how to build one, and [batch] for the Kotlin DSL.
     *
     * Failures of single operations do not throw: they are reported per operation in the [BatchResult] (use
     * [BatchResult.throwIfFailed] to turn them into a [BatchFailedException]). Failures of a whole HTTP request (e.g.
     * authentication, throttling, a dropped connection) are reported as the failure of each of its operations.
     *
     * @throws ClientClosedException when the client is closed.
     */
    public suspend fun batch(request: BatchRequest): BatchResult

    /**
     * [batch] with the HTTP answer of the `$batch` request: its status (200 when the service answered the batch, whatever
     * its operations did), headers and request and correlation ids, e.g. to quote the service's request id to support.
     * A batch of more than 1000 operations goes as several requests: the answer is the last one sent (the one that
     * stopped the batch, or the final one). A request that failed as a whole (retries exhausted, a dropped connection)
     * is reported by its error's status and ids, without headers, as its operations' failures are in the [BatchResult].
     *
     * @throws ClientClosedException when the client is closed.
     */
    public suspend fun batchWithResponse(request: BatchRequest): Response<BatchResult>

    /**
     * Calls the `WhoAmI` function: who the client acts as. A cheap way to check URL and credentials.
     *
     * @throws AuthenticationException when the credentials are rejected.
     */
    public suspend fun whoAmI(): WhoAmI

    /** Cancels calls in flight, releases connections. Idempotent. */
    override fun close()

    /**
     * Configuration for a [DataverseClient]. Setters validate their argument at once and throw [InvalidInputException]
     * naming the setting; [build] checks that the settings fit together.
     *
     * Exactly one of [credential], [token] and [tokenProvider] must be set.
     */
    @DataverseDsl
    public class Builder {
        private var environmentUrl: EnvironmentUrl? = null
        private var apiVersion: String = DEFAULT_API_VERSION
        private var tokenProvider: TokenProvider? = null
        private var credentialKinds = 0
        private var requestTimeout: Duration = DEFAULT_REQUEST_TIMEOUT
        private var connectTimeout: Duration = DEFAULT_CONNECT_TIMEOUT
        private var maxConnections: Int = DEFAULT_MAX_CONNECTIONS
        private var applicationId: String? = null
        private var retry: RetryOptions = RetryOptions.DEFAULT
        private var maxConcurrentRequests: Int = DEFAULT_MAX_CONCURRENT_REQUESTS
        private var operationTimeout: Duration? = null
        private var logBodies: Boolean = false
        private var maxResponseBytes: Long = DEFAULT_MAX_RESPONSE_BYTES
        private var httpEngine: HttpEngine = HttpEngine.JDK
        private var metadataCacheTtl: Duration = DEFAULT_METADATA_CACHE_TTL
        private var maxBufferedResponseBytes: Long? = null
        private var sslContext: SSLContext? = null
        private var trustManager: X509TrustManager? = null
        private val policies = ArrayList<HttpPolicy>()
        private var requestOptions: RequestOptions = RequestOptions.NONE
        private val instrumentations = ArrayList<DataverseInstrumentation>()
        // Test seams: synthetic, so that Java code cannot reach them through their mangled names.
        @get:JvmSynthetic @set:JvmSynthetic
        internal var delay: suspend (Duration) -> Unit = { kotlinx.coroutines.delay(it) }

        @get:JvmSynthetic @set:JvmSynthetic
        internal var random: kotlin.random.Random = kotlin.random.Random.Default

        @get:JvmSynthetic @set:JvmSynthetic
        internal var timeSource: TimeSource = TimeSource.Monotonic

        /**
         * The environment URL, e.g. `https://contoso.crm.dynamics.com`. Must be `https://`, except `http://` to a
         * loopback address (the emulator). No path, query or fragment. Required.
         */
        public fun environmentUrl(url: String): Builder = apply { environmentUrl = EnvironmentUrl.parse(url) }

        /** The Web API version, `v<major>.<minor>`. The default is `v9.2`. */
        public fun apiVersion(version: String): Builder = apply {
            if (!API_VERSION.matches(version)) {
                throw InvalidInputException("'apiVersion' must look like v9.2, but was '$version'.")
            }
            apiVersion = version
        }

        /**
         * Authenticate with an azure-identity credential (e.g. `DefaultAzureCredential`, `ClientSecretCredential`),
         * asking for the scope `{environmentUrl}/.default`. Requires `com.azure:azure-identity` on the classpath.
         */
        public fun credential(credential: TokenCredential): Builder =
            setTokenProvider(AzureCredentialTokenProvider(credential))

        /** Authenticate with a fixed bearer token, e.g. one printed by `az account get-access-token`. */
        public fun token(token: String): Builder = AccessToken(token, Instant.MAX).let { fixed ->
            setTokenProvider { fixed }
        }

        /** Authenticate with tokens from [provider]; the client caches them until shortly before they expire. */
        public fun tokenProvider(provider: TokenProvider): Builder = setTokenProvider(provider)

        /**
         * How long one HTTP request may take, from sending to the last byte of the response. The default is 2 minutes,
         * the service's own limit for most operations.
         */
        @JvmSynthetic
        public fun requestTimeout(timeout: Duration): Builder = apply { requestTimeout = positive(timeout, "requestTimeout") }

        /** [requestTimeout] for Java callers. */
        public fun requestTimeout(timeout: java.time.Duration): Builder = requestTimeout(timeout.toKotlinDuration())

        /** How long establishing a connection may take. The default is 10 seconds. */
        @JvmSynthetic
        public fun connectTimeout(timeout: Duration): Builder = apply { connectTimeout = positive(timeout, "connectTimeout") }

        /** [connectTimeout] for Java callers. */
        public fun connectTimeout(timeout: java.time.Duration): Builder = connectTimeout(timeout.toKotlinDuration())

        /**
         * The most connections kept open to the environment, 1..1000. The default is 64, above the service's limit of
         * 52 concurrent requests per user, so that a client never queues below what the service allows. The client never
         * has more requests in flight than this (nor than [maxConcurrentRequests]); connections are kept alive and reused,
         * and over HTTP/2 requests share fewer of them.
         */
        public fun maxConnections(max: Int): Builder = apply {
            if (max !in 1..1000) throw InvalidInputException("'maxConnections' must be between 1 and 1000, but was $max.")
            maxConnections = max
        }

        /**
         * Names your application in the `User-Agent` header (`name/version`, letters, digits and `._-/`), which helps
         * when reading the service's telemetry. Optional.
         */
        public fun applicationId(id: String): Builder = apply {
            if (!APPLICATION_ID.matches(id)) {
                throw InvalidInputException("'applicationId' may only contain letters, digits and . _ - /, but was '$id'.")
            }
            applicationId = id
        }

        /** When and how to retry failed requests; see [RetryOptions]. The default is [RetryOptions.DEFAULT]. */
        public fun retry(options: RetryOptions): Builder = apply { retry = options }

        /**
         * The most requests this client has in flight at once, across all its calls, 1..1000. The default is 52, the
         * service's per-user limit. Below this ceiling the client adapts: it starts at the service's recommended degree of
         * parallelism (`x-ms-dop-hint`), halves when the service reports too many concurrent requests, and grows back
         * slowly after a quiet minute.
         */
        public fun maxConcurrentRequests(max: Int): Builder = apply {
            if (max !in 1..1000) throw InvalidInputException("'maxConcurrentRequests' must be between 1 and 1000, but was $max.")
            maxConcurrentRequests = max
        }

        /**
         * How long one public call may take in total — retries, waits and metadata lookups included — before it fails
         * with [RequestTimeoutException]. For list flows it applies to each page. The default is none: each request is
         * bounded by [requestTimeout] and retries by [RetryOptions.maxElapsed].
         */
        @JvmSynthetic
        public fun operationTimeout(timeout: Duration): Builder = apply { operationTimeout = positive(timeout, "operationTimeout") }

        /** [operationTimeout] for Java callers. */
        public fun operationTimeout(timeout: java.time.Duration): Builder = operationTimeout(timeout.toKotlinDuration())

        /**
         * How long schema read from the service (entity sets, primary ids, column names, choice options) is reused before
         * it is read again. Changes made through this client take effect at once regardless. The default is 1 hour.
         */
        @JvmSynthetic
        public fun metadataCacheTtl(ttl: Duration): Builder = apply { metadataCacheTtl = positive(ttl, "metadataCacheTtl") }

        /** [metadataCacheTtl] for Java callers. */
        public fun metadataCacheTtl(ttl: java.time.Duration): Builder = metadataCacheTtl(ttl.toKotlinDuration())

        /** The HTTP engine; see [HttpEngine]. The default is [HttpEngine.JDK]. */
        public fun httpEngine(engine: HttpEngine): Builder = apply { httpEngine = engine }

        /**
         * The largest response body the client reads, in bytes; a larger one fails with [MalformedResponseException]
         * instead of exhausting the heap. Reading stops at the limit: a runaway or endless body costs at most this much
         * memory. The default is 64 MiB, far above a page of 5000 records; file downloads read in ranges well below it.
         */
        public fun maxResponseBytes(max: Long): Builder = apply {
            if (max < 1024) throw InvalidInputException("'maxResponseBytes' must be at least 1024, but was $max.")
            maxResponseBytes = max
        }

        /**
         * The most bytes all responses being read at the same moment may hold together, at least 1024. Each response stays
         * under [maxResponseBytes]; this bounds their sum, so that many large (or hostile, endless) bodies in parallel
         * cannot exhaust the heap. A response that would go over it fails with [MalformedResponseException]. The default
         * is a quarter of the JVM's maximum heap (`Runtime.maxMemory()`), and never less than [maxResponseBytes].
         */
        public fun maxBufferedResponseBytes(max: Long): Builder = apply {
            if (max < 1024) throw InvalidInputException("'maxBufferedResponseBytes' must be at least 1024, but was $max.")
            maxBufferedResponseBytes = max
        }

        /**
         * The TLS context to connect with, instead of the JVM's default trust: for a self-signed emulator or test server,
         * or a TLS-inspecting proxy whose certificate the JVM does not trust. A server whose certificate the context does
         * not trust fails every call with [TlsHandshakeException] before anything (the token included) is sent.
         *
         * The default [HttpEngine.JDK] uses the context as it is. [HttpEngine.CIO] runs Ktor's own TLS, which takes a trust
         * manager rather than a context: give it with the two-argument overload.
         */
        public fun sslContext(context: SSLContext): Builder = apply {
            sslContext = context
            trustManager = null
        }

        /**
         * [sslContext], plus the [trustManager] the context was initialised with, which [HttpEngine.CIO] needs (an
         * SSLContext does not expose its trust manager; OkHttp asks for the pair for the same reason).
         */
        public fun sslContext(context: SSLContext, trustManager: X509TrustManager): Builder = apply {
            sslContext = context
            this.trustManager = trustManager
        }

        /**
         * Adds [policy] to every request's pipeline, after the policies added before it: custom headers, telemetry,
         * auditing. See [HttpPolicy] for where policies run and what they may do.
         */
        public fun addPolicy(policy: HttpPolicy): Builder = apply { policies += policy }

        /**
         * Options every request of the client carries unless a view overrides them ([DataverseClient.withOptions]); see
         * [RequestOptions]. The default is none.
         */
        public fun defaultRequestOptions(options: RequestOptions): Builder = apply { requestOptions = options }

        /**
         * Adds [instrumentation] (tracing, metrics) to the client: it hears of every operation, HTTP attempt, retry, bulk
         * chunk and token acquisition. The `dataverse-telemetry` module provides OpenTelemetry and Micrometer ones. None by
         * default, and a client without instrumentation pays nothing for it. See [DataverseInstrumentation].
         */
        public fun addInstrumentation(instrumentation: DataverseInstrumentation): Builder = apply { instrumentations += instrumentation }

        /**
         * Log request and response bodies (first 4 KB, at DEBUG on `dev.dataverse.internal.transport.HttpTransport`),
         * with bearer tokens and JWTs redacted. Off by default: bodies hold your data.
         */
        public fun logBodies(enabled: Boolean): Builder = apply { logBodies = enabled }

        /**
         * Builds the client.
         *
         * @throws InvalidInputException when the environment URL or the credentials are missing or ambiguous.
         */
        public fun build(): DataverseClient = RealDataverseClient(settings())

        @JvmSynthetic
        internal fun settings(): ClientSettings {
            val url = environmentUrl ?: throw InvalidInputException("'environmentUrl' is required.")
            if (credentialKinds > 1) {
                throw InvalidInputException("Set only one of 'credential', 'token' and 'tokenProvider'.")
            }
            val provider = tokenProvider
                ?: throw InvalidInputException("Credentials are required: set 'credential', 'token' or 'tokenProvider'.")
            if (httpEngine == HttpEngine.CIO && sslContext != null && trustManager == null) {
                throw InvalidInputException(
                    "The CIO engine needs the trust manager of 'sslContext': use sslContext(context, trustManager), or the default JDK engine.",
                )
            }
            val buffered = maxBufferedResponseBytes ?: maxOf(maxResponseBytes, Runtime.getRuntime().maxMemory() / 4)
            return ClientSettings(
                url, apiVersion, provider, requestTimeout, connectTimeout, maxConnections, applicationId, retry,
                maxConcurrentRequests, operationTimeout, logBodies, maxResponseBytes, httpEngine, metadataCacheTtl, delay, random,
                maxBufferedResponseBytes = buffered, sslContext = sslContext, trustManager = trustManager, policies = policies.toList(),
                timeSource = timeSource, requestOptions = requestOptions, instrumentations = instrumentations.toList(),
            )
        }

        private fun setTokenProvider(provider: TokenProvider): Builder = apply {
            tokenProvider = provider
            credentialKinds++
        }

        private fun positive(timeout: Duration, name: String): Duration {
            if (!timeout.isPositive()) throw InvalidInputException("'$name' must be positive, but was $timeout.")
            return timeout
        }
    }

    public companion object {
        /** The Web API version used unless [Builder.apiVersion] says otherwise. */
        public const val DEFAULT_API_VERSION: String = "v9.2"

        /** Default for [Builder.maxResponseBytes]: 64 MiB. */
        public const val DEFAULT_MAX_RESPONSE_BYTES: Long = 64L * 1024 * 1024

        /** Default ceiling of requests in flight; see [Builder.maxConcurrentRequests]. */
        public const val DEFAULT_MAX_CONCURRENT_REQUESTS: Int = 52

        /** Default connection-pool size; see [Builder.maxConnections]. */
        public const val DEFAULT_MAX_CONNECTIONS: Int = 64

        /** Default for [Builder.requestTimeout]. Java: [defaultRequestTimeout]. */
        @get:JvmSynthetic
        public val DEFAULT_REQUEST_TIMEOUT: Duration = 120.seconds

        /** Default for [Builder.connectTimeout]. Java: [defaultConnectTimeout]. */
        @get:JvmSynthetic
        public val DEFAULT_CONNECT_TIMEOUT: Duration = 10.seconds

        /** Default for [Builder.metadataCacheTtl]. Java: [defaultMetadataCacheTtl]. */
        @get:JvmSynthetic
        public val DEFAULT_METADATA_CACHE_TTL: Duration = 1.hours

        /** [DEFAULT_REQUEST_TIMEOUT] as a `java.time.Duration`. */
        @JvmStatic
        public fun defaultRequestTimeout(): java.time.Duration = DEFAULT_REQUEST_TIMEOUT.toJavaDuration()

        /** [DEFAULT_CONNECT_TIMEOUT] as a `java.time.Duration`. */
        @JvmStatic
        public fun defaultConnectTimeout(): java.time.Duration = DEFAULT_CONNECT_TIMEOUT.toJavaDuration()

        /** [DEFAULT_METADATA_CACHE_TTL] as a `java.time.Duration`. */
        @JvmStatic
        public fun defaultMetadataCacheTtl(): java.time.Duration = DEFAULT_METADATA_CACHE_TTL.toJavaDuration()

        /** A new builder: `DataverseClient.builder().environmentUrl(url).credential(credential).build()`. */
        @JvmStatic
        public fun builder(): Builder = Builder()

        private val API_VERSION = Regex("v\\d+\\.\\d+")
        private val APPLICATION_ID = Regex("[A-Za-z0-9._/-]{1,100}")
    }
}

/**
 * Builds a [DataverseClient] with the Kotlin builder DSL:
 * ```kotlin
 * val client = DataverseClient {
 *     environmentUrl("https://contoso.crm.dynamics.com")
 *     credential(DefaultAzureCredentialBuilder().build())
 *     requestTimeout(30.seconds)
 * }
 * ```
 */
@JvmSynthetic
public fun DataverseClient(configure: DataverseClient.Builder.() -> Unit): DataverseClient =
    DataverseClient.builder().apply(configure).build()

/**
 * Builds and sends a batch with the Kotlin DSL:
 * ```kotlin
 * val result = client.batch {
 *     changeSet {
 *         val account = create("account", mapOf("name" to "Contoso"))
 *         create("contact", mapOf("lastname" to "Doe", "parentcustomerid_account" to account))
 *     }
 * }
 * ```
 * See [DataverseClient.batch].
 */
@JvmSynthetic
public suspend inline fun DataverseClient.batch(
    continueOnError: Boolean = false,
    build: BatchRequest.Builder.() -> Unit,
): BatchResult = batch(batchRequest(continueOnError, build))
