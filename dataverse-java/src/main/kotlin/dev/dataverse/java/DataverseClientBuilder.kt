package dev.dataverse.java

import com.azure.core.credential.TokenCredential
import dev.dataverse.AccessToken
import dev.dataverse.AuthenticationException
import dev.dataverse.DataverseClient
import dev.dataverse.HttpEngine
import dev.dataverse.DataverseInstrumentation
import dev.dataverse.HttpPolicy
import dev.dataverse.RetryOptions
import dev.dataverse.java.internal.SharedClient
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.future.await
import kotlinx.coroutines.runInterruptible
import java.time.Duration
import java.util.concurrent.CompletableFuture
import java.util.function.Function
import javax.net.ssl.SSLContext
import javax.net.ssl.X509TrustManager

/**
 * Configures and builds Dataverse clients for Java: [buildClient] for the blocking [DataverseBlockingClient],
 * [buildAsyncClient] for the `CompletableFuture`-based [DataverseAsyncClient]. In the style of the Azure SDK's builders.
 *
 * ```java
 * DataverseBlockingClient client = new DataverseClientBuilder()
 *     .environmentUrl("https://contoso.crm.dynamics.com")
 *     .credential(new DefaultAzureCredentialBuilder().build())
 *     .requestTimeout(Duration.ofSeconds(30))
 *     .buildClient();
 * ```
 *
 * Every setter validates its argument at once and throws [dev.dataverse.InvalidInputException] naming the setting (and
 * [NullPointerException] for `null`); the build methods check that the settings fit together. Nothing is sent before a
 * client's first call. The [environmentUrl] and exactly one of [credential], [token], [tokenProvider] and
 * [asyncTokenProvider] are required.
 *
 * Only [credential] needs azure-core (`com.azure:azure-identity` brings it); without it on the classpath, use the other
 * ways to authenticate.
 *
 * ## One builder
 * Every setter hands its value to the core's [DataverseClient.Builder], which validates it: the Java and Kotlin
 * builders cannot drift apart in defaults or rules. Only the token providers differ, adapted to `Function` and
 * `CompletableFuture` because Java cannot implement a suspending interface. A test fails when the core builder gains a
 * setting this builder lacks.
 *
 * A builder is not thread-safe. Each build method builds a new, independent client; the builder can be reused.
 */
public class DataverseClientBuilder {
    private val core = DataverseClient.builder()

    /**
     * The environment URL, e.g. `https://contoso.crm.dynamics.com`. Must be `https://`, except `http://` to a loopback
     * address (the emulator). No path, query or fragment. Required.
     */
    public fun environmentUrl(url: String): DataverseClientBuilder = apply { core.environmentUrl(url) }

    /** The Web API version, `v<major>.<minor>`. The default is `v9.2`. */
    public fun apiVersion(version: String): DataverseClientBuilder = apply { core.apiVersion(version) }

    /**
     * Authenticates with an azure-identity credential (e.g. `DefaultAzureCredential`, `ClientSecretCredential`), asking
     * for the scope `{environmentUrl}/.default`. The client caches its tokens until shortly before they expire.
     */
    public fun credential(credential: TokenCredential): DataverseClientBuilder = apply { core.credential(credential) }

    /** Authenticates with a fixed bearer token, e.g. one printed by `az account get-access-token`. */
    public fun token(token: String): DataverseClientBuilder = apply { core.token(token) }

    /**
     * Authenticates with tokens from [provider], a blocking function from the scope (`{environmentUrl}/.default`) to a
     * token. It is called on an I/O thread (never on the caller's thread of an async call), is interrupted if the call
     * that needs the token is cancelled, and is called once for any number of concurrent calls needing a token: the
     * client caches the token until shortly before [AccessToken.expiresAt]. Exceptions it throws (and a `null` result)
     * fail the call with [dev.dataverse.AuthenticationException].
     */
    public fun tokenProvider(provider: Function<String, AccessToken?>): DataverseClientBuilder = apply {
        core.tokenProvider { scope ->
            runInterruptible(Dispatchers.IO) { provider.apply(scope) }
                ?: throw AuthenticationException("The token provider returned null for scope '$scope'.", null)
        }
    }

    /**
     * Authenticates with tokens from [provider], a non-blocking function from the scope (`{environmentUrl}/.default`) to a
     * future token. It must return quickly; the future it returns is cancelled if the call that needs the token is
     * cancelled. Caching and failures as for [tokenProvider].
     */
    public fun asyncTokenProvider(provider: Function<String, CompletableFuture<AccessToken?>?>): DataverseClientBuilder = apply {
        core.tokenProvider { scope ->
            val future = provider.apply(scope)
                ?: throw AuthenticationException("The token provider returned no future for scope '$scope'.", null)
            future.await() ?: throw AuthenticationException("The token provider's future completed with null for scope '$scope'.", null)
        }
    }

    /**
     * How long one HTTP request may take, from sending to the last byte of the response. Must be positive. The default is
     * 2 minutes, the service's own limit for most operations.
     */
    public fun requestTimeout(timeout: Duration): DataverseClientBuilder = apply { core.requestTimeout(timeout) }

    /** How long establishing a connection may take. Must be positive. The default is 10 seconds. */
    public fun connectTimeout(timeout: Duration): DataverseClientBuilder = apply { core.connectTimeout(timeout) }

    /**
     * The most connections kept open to the environment, 1..1000. The default is 64, above the service's limit of 52
     * concurrent requests per user. The client never has more requests in flight than this; connections are kept alive
     * and reused.
     */
    public fun maxConnections(max: Int): DataverseClientBuilder = apply { core.maxConnections(max) }

    /** Names your application in the `User-Agent` header (`name/version`: letters, digits and `._-/`). Optional. */
    public fun applicationId(id: String): DataverseClientBuilder = apply { core.applicationId(id) }

    /**
     * When and how to retry failed requests, e.g. `RetryOptions.builder().maxAttempts(8).build()`, or
     * [RetryOptions.NONE]. The default is [RetryOptions.DEFAULT]: throttling and transient failures are retried, writes
     * only where replaying them is safe.
     */
    public fun retry(options: RetryOptions): DataverseClientBuilder = apply { core.retry(options) }

    /**
     * The most requests the client has in flight at once, across all its calls (bulk operations included), 1..1000. The
     * default is 52, the service's per-user limit. Below this ceiling the client adapts to the service: it starts at the
     * recommended degree of parallelism (`x-ms-dop-hint`), halves when told of too many concurrent requests, and grows
     * back slowly.
     */
    public fun maxConcurrentRequests(max: Int): DataverseClientBuilder = apply { core.maxConcurrentRequests(max) }

    /**
     * How long one call may take in total, retries, waits and metadata lookups included, before it fails with
     * [dev.dataverse.RequestTimeoutException]; for a listing, how long each page may take. Must be positive. The default
     * is none: each request is bounded by [requestTimeout], and its retries by [RetryOptions.maxElapsed].
     */
    public fun operationTimeout(timeout: Duration): DataverseClientBuilder = apply { core.operationTimeout(timeout) }

    /**
     * How long schema read from the service (entity sets, primary ids, column names, choice options) is reused before it
     * is read again; see [DataverseClient.Builder.metadataCacheTtl]. The default is 1 hour.
     */
    public fun metadataCacheTtl(ttl: Duration): DataverseClientBuilder = apply { core.metadataCacheTtl(ttl) }

    /**
     * The largest response body the client reads, in bytes, at least 1024; a larger one fails the call with
     * [dev.dataverse.MalformedResponseException] instead of exhausting the heap, and reading stops at the limit. The
     * default is 64 MiB ([DataverseClient.DEFAULT_MAX_RESPONSE_BYTES]).
     */
    public fun maxResponseBytes(max: Long): DataverseClientBuilder = apply { core.maxResponseBytes(max) }

    /**
     * The most bytes all responses being read at the same moment may hold together, at least 1024, so that many large
     * bodies in parallel cannot exhaust the heap. The default is a quarter of the JVM's maximum heap, and never less than
     * [maxResponseBytes].
     */
    public fun maxBufferedResponseBytes(max: Long): DataverseClientBuilder = apply { core.maxBufferedResponseBytes(max) }

    /**
     * The HTTP engine under the client: [HttpEngine.JDK] (the default, the JDK's `java.net.http.HttpClient` with pooled
     * keep-alive connections and HTTP/2 over TLS) or [HttpEngine.CIO] (Ktor's engine, which opens a connection per
     * request in Ktor 3.5.2). See [HttpEngine].
     */
    public fun httpEngine(engine: HttpEngine): DataverseClientBuilder = apply { core.httpEngine(engine) }

    /**
     * The TLS context to connect with instead of the JVM's default trust: for a self-signed emulator or test server, or
     * a TLS-inspecting proxy the JVM does not trust. A server the context does not trust fails every call with
     * [dev.dataverse.TlsHandshakeException] before anything, the token included, is sent. [HttpEngine.CIO] also needs the
     * context's trust manager: use the two-argument overload.
     */
    public fun sslContext(context: SSLContext): DataverseClientBuilder = apply { core.sslContext(context) }

    /** [sslContext] with the [trustManager] the context was initialised with, which [HttpEngine.CIO] needs. */
    public fun sslContext(context: SSLContext, trustManager: X509TrustManager): DataverseClientBuilder =
        apply { core.sslContext(context, trustManager) }

    /**
     * Adds [policy] to every request's pipeline, after the policies added before it: custom headers, telemetry,
     * auditing. A lambda implements [HttpPolicy.onRequest]:
     * `builder.addPolicy(request -> request.setHeader("x-trace", traceId()))`. See [HttpPolicy] for the order of the
     * pipeline and the rules (policies must not block).
     */
    public fun addPolicy(policy: HttpPolicy): DataverseClientBuilder = apply { core.addPolicy(policy) }

    /**
     * Adds tracing or metrics: `builder.addInstrumentation(DataverseOpenTelemetry.create(openTelemetry))` or
     * `DataverseMicrometer.create(meterRegistry)` from the `dataverse-telemetry` module. None by default, at no cost.
     * See [DataverseInstrumentation].
     */
    public fun addInstrumentation(instrumentation: DataverseInstrumentation): DataverseClientBuilder =
        apply { core.addInstrumentation(instrumentation) }

    /**
     * Whether to log request and response bodies (their first 4 KB, at DEBUG on the logger
     * `dev.dataverse.internal.transport.HttpTransport`), with bearer tokens and JWTs redacted. The default is `false`:
     * bodies hold your data.
     */
    public fun logBodies(enabled: Boolean): DataverseClientBuilder = apply { core.logBodies(enabled) }

    /**
     * Options every request of the client carries unless a view overrides them ([DataverseBlockingClient.withOptions]);
     * see [dev.dataverse.RequestOptions]. The default is none.
     */
    public fun defaultRequestOptions(options: dev.dataverse.RequestOptions): DataverseClientBuilder =
        apply { core.defaultRequestOptions(options) }

    /**
     * Builds a blocking client.
     *
     * @throws dev.dataverse.InvalidInputException when the environment URL or the credentials are missing or ambiguous.
     */
    public fun buildClient(): DataverseBlockingClient = SharedClient(core.build()).blocking

    /**
     * Builds a `CompletableFuture`-based client.
     *
     * @throws dev.dataverse.InvalidInputException when the environment URL or the credentials are missing or ambiguous.
     */
    public fun buildAsyncClient(): DataverseAsyncClient = SharedClient(core.build()).async

    override fun toString(): String = "DataverseClientBuilder"
}
