package dev.dataverse.internal.transport

import dev.dataverse.internal.protocol.ApiResponse
import dev.dataverse.internal.protocol.ApiRequest
import dev.dataverse.ClientClosedException
import dev.dataverse.internal.BlockingCall
import dev.dataverse.internal.ClientSettings
import dev.dataverse.internal.RequestIdGenerator
import dev.dataverse.DataverseException
import dev.dataverse.HttpEngine
import dev.dataverse.internal.RequestIds
import dev.dataverse.RequestOptions
import dev.dataverse.internal.protocol.RequestOptionHeaders
import dev.dataverse.internal.transport.cio.CioWireTransport
import io.ktor.client.engine.HttpClientEngine
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.async
import kotlinx.coroutines.cancel
import kotlinx.coroutines.currentCoroutineContext
import kotlin.coroutines.cancellation.CancellationException
import kotlin.time.Duration
import kotlin.time.toJavaDuration

/**
 * The client's HTTP edge: every request passes the [OriginGuard] and the [RetryLoop], then, once per attempt, the
 * pipeline of stages — [StandardHeadersStage], [StatusStage], the user's policies ([UserPoliciesStage]), [AuthStage],
 * [ConcurrencyStage], [LoggingStage] — down to the [WireStage] and its [WireTransport]. The order is the one documented on
 * [dev.dataverse.HttpPolicy].
 *
 * Attempts run in the transport's own scope, so that [close] cancels them, and a cancelled caller cancels its exchange.
 */
internal class HttpTransport private constructor(
    private val settings: ClientSettings,
    customEngine: HttpClientEngine?,
    /** The transport this one is a view of ([withOptions]): it shares the parent's connections, limits and lifecycle. */
    private val parent: HttpTransport?,
    /** The options every request through this transport carries; see [dev.dataverse.RequestOptions]. */
    val requestOptions: RequestOptions?,
    /** How long each public call through this transport may take; see [dev.dataverse.DataverseClient.withTimeout]. */
    val operationTimeout: Duration?,
) : AutoCloseable {
    /** [customEngine]: an engine to use instead of the configured one, for tests that need exact control (Ktor's MockEngine). */
    constructor(settings: ClientSettings, customEngine: HttpClientEngine? = null) :
        this(settings, customEngine, null, settings.requestOptions.takeUnless { it.isEmpty }, settings.operationTimeout)

    /** A view of this transport whose requests carry [options] over this one's (see [RequestOptions.overriddenBy]). */
    fun withOptions(options: RequestOptions): HttpTransport = HttpTransport(
        settings, null, parent ?: this, (requestOptions ?: RequestOptions.NONE).overriddenBy(options).takeUnless { it.isEmpty },
        operationTimeout,
    )

    /** A view of this transport whose calls are bounded by [timeout] instead of this one's operation timeout. */
    fun withTimeout(timeout: Duration): HttpTransport = HttpTransport(settings, null, parent ?: this, requestOptions, timeout)

    /**
     * Unconfined: an attempt resumes on the thread that completed its exchange (for the default transport, the pooled
     * thread that waited in the JDK client's `send`) and runs the few non-blocking steps left (limits, logging, status
     * mapping) there, so the caller is resumed straight from it, without a dispatch in between. Nothing in the stages
     * blocks; token providers that may block run on Dispatchers.IO, and [dev.dataverse.HttpPolicy] documents that
     * policies must not block.
     */
    private val scope: CoroutineScope = parent?.scope ?: CoroutineScope(SupervisorJob() + Dispatchers.Unconfined)
    private val wire: WireTransport = parent?.wire ?: when {
        customEngine != null -> KtorWireTransport.of(customEngine, settings.connectTimeout.inWholeMilliseconds)
        settings.httpEngine == HttpEngine.CIO ->
            CioWireTransport(settings.maxConnections, settings.connectTimeout, settings.trustManager)
        else -> JdkWireTransport(settings.connectTimeout, http2 = settings.environmentUrl.scheme == "https", settings.sslContext, settings.maxConnections)
    }
    private val guard: OriginGuard = parent?.guard ?: OriginGuard(settings.environmentUrl, settings.apiUrl)
    private val retry: RetryLoop = parent?.retry ?: RetryLoop(settings.retry, settings.random, settings.requestTimeout, settings.timeSource, settings.delay)
    // The JDK client has no pool limit of its own: maxConnections bounds the requests in flight.
    private val concurrency: ConcurrencyStage =
        parent?.concurrency ?: ConcurrencyStage(AdaptiveConcurrency(minOf(settings.maxConcurrentRequests, settings.maxConnections)))

    /** The client's instrumentation, or null when it has none: then nothing is reported and nothing allocated for it. */
    val instrumented: Instrumented? = parent?.instrumented ?: settings.instrumentations.takeIf { it.isNotEmpty() }?.let {
        Instrumented(it, ClientView(settings, concurrency.concurrency))
    }
    private val tokens: TokenCache = parent?.tokens ?: TokenCache(settings.tokenProvider, settings.tokenScope, onAcquired = instrumented?.let { it::tokenAcquired })
    private val pipeline: Stage = parent?.pipeline ?: Stage.link(
        listOfNotNull(
            StandardHeadersStage(settings.applicationId),
            StatusStage(),
            settings.policies.takeIf { it.isNotEmpty() }?.let { UserPoliciesStage(it) },
            AuthStage(tokens),
            concurrency,
            instrumented?.let { TelemetryStage() },
            LoggingStage(settings.logBodies),
            WireStage(wire, settings.maxResponseBytes, ResponseBudget(settings.maxBufferedResponseBytes)),
        ),
    )

    @Volatile
    private var closed: Boolean = false

    /** Whether the client (this transport's root) was closed. */
    val isClosed: Boolean get() = parent?.isClosed ?: closed

    /** The service's latest recommended degree of parallelism (`x-ms-dop-hint`), once a response has carried one. */
    val dopHint: Int? get() = concurrency.dopHint

    /** The Web API root, e.g. `https://contoso.crm.dynamics.com/api/data/v9.2`. */
    val apiUrl: String get() = settings.apiUrl

    /**
     * The URL [target] is sent to, after the origin guard's checks (see [OriginGuard]). A caller that must know the URL
     * before sending (a read too long for a GET goes through `$batch`) checks it here and passes it to [send], so that
     * each request's URL is checked once.
     */
    fun resolve(target: String): CheckedUrl = CheckedUrl(guard.resolve(target))

    /** See [dev.dataverse.DataverseClient.Builder.maxResponseBytes]. */
    val maxResponseBytes: Long get() = settings.maxResponseBytes

    /**
     * Sends [request], retrying transient failures as [RetryPolicy] decides; returns a 2xx response (or any response, for
     * [ApiRequest.returnErrors]) or throws the matching [dev.dataverse.DataverseException] with the number of attempts.
     */
    suspend fun send(request: ApiRequest): ApiResponse {
        if (isClosed) throw ClientClosedException()
        return send(request, resolve(request.target))
    }

    /** [send] with the URL [resolve] already checked for [request]'s target. */
    suspend fun send(request: ApiRequest, checked: CheckedUrl): ApiResponse {
        if (isClosed) throw ClientClosedException()
        val options = requestOptions.takeIf { request.applyOptions }
        val url = RequestOptionHeaders.withTag(checked.url, options)
        val optionHeaders = RequestOptionHeaders.headers(options, request.method.value)
        val operation = currentCoroutineContext()[Operation]
        val correlationId = operation?.correlationId ?: RequestIdGenerator.next()
        // Without instrumentation there is no observer: no retry callback and no chunk lookup on the hot path.
        val observer = operation?.observer
        val chunkSize = if (observer == null) 0 else currentCoroutineContext()[BulkChunk]?.size ?: 0
        // Only an unbounded call may hold its thread: an operation timeout is a timer of the blocked thread's own loop.
        val blockingCall = currentCoroutineContext()[BlockingCall]
            ?.takeIf { operation?.timeBounded != true && it.mayWaitHere(currentCoroutineContext()[Job]) }
        val onRetry = observer?.let { heard ->
            { number: Int, delay: Duration, error: DataverseException ->
                Instrumented.guarded { heard.retryScheduled(number, delay.toJavaDuration(), error) }
                Unit
            }
        }
        return retry.run(request, { "${request.method.value} ${LoggingStage.describe(url)}" }, onRetry) { number, timeout ->
            val ids = RequestIds(RequestIdGenerator.next(), correlationId)
            operation?.latestClientRequestId = ids.clientRequestId
            sendAttempt(Attempt(request, url, ids, number, timeout, optionHeaders, observer, chunkSize, blockingCall))
        }
    }

    private suspend fun sendAttempt(attempt: Attempt): ApiResponse {
        if (isClosed) throw ClientClosedException()
        // In the client's scope, so that close() also ends an attempt waiting for a token or a permit. Undispatched: the
        // attempt starts on the caller's thread, saving a dispatch per request.
        val exchange = scope.async(start = CoroutineStart.UNDISPATCHED) { pipeline.send(attempt) }
        return try {
            exchange.await()
        } catch (e: CancellationException) {
            exchange.cancel()
            if (isClosed) throw ClientClosedException("The Dataverse client was closed while the request was in flight.")
            throw e
        }
    }

    /** Closes the client; a view ([withOptions]) leaves its parent open, so closing a view does nothing. */
    override fun close() {
        if (parent != null || closed) return
        closed = true
        scope.cancel(CancellationException("The Dataverse client was closed."))
        wire.close()
        tokens.close()
        instrumented?.close()
    }
}

/** A URL the origin guard has checked ([HttpTransport.resolve]): only the guard makes one. */
@JvmInline
internal value class CheckedUrl internal constructor(val url: String) {
    val length: Int get() = url.length
}
