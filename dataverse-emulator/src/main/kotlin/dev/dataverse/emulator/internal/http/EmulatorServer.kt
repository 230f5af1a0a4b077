package dev.dataverse.emulator.internal.http

import dev.dataverse.emulator.FaultKind
import dev.dataverse.emulator.FaultRule
import dev.dataverse.emulator.internal.ApiException
import dev.dataverse.emulator.internal.odata.PercentCoding
import io.ktor.http.ContentType
import io.ktor.http.HttpStatusCode
import io.ktor.server.application.ApplicationCall
import io.ktor.server.application.ApplicationCallPipeline
import io.ktor.server.application.call
import io.ktor.server.engine.EmbeddedServer
import io.ktor.server.engine.connector
import io.ktor.server.engine.embeddedServer
import io.ktor.server.netty.Netty
import io.ktor.server.netty.NettyApplicationEngine
import io.ktor.server.request.httpMethod
import io.ktor.server.request.receiveChannel
import io.ktor.server.request.uri
import io.ktor.server.response.respond
import io.ktor.server.response.respondBytes
import io.ktor.http.content.OutgoingContent
import io.ktor.utils.io.ByteWriteChannel
import io.ktor.utils.io.writeFully
import dev.dataverse.emulator.internal.ErrorCodes
import kotlinx.coroutines.Dispatchers
import java.nio.ByteBuffer
import java.nio.channels.FileChannel
import java.nio.file.NoSuchFileException
import java.nio.file.StandardOpenOption
import io.ktor.util.toMap
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.delay
import kotlinx.coroutines.job
import kotlinx.coroutines.Job
import kotlinx.coroutines.joinAll
import kotlinx.coroutines.withTimeoutOrNull
import io.ktor.server.netty.EventLoopGroupProxy
import java.util.concurrent.ConcurrentHashMap
import io.netty.channel.ChannelOption
import io.netty.channel.group.DefaultChannelGroup
import io.netty.util.concurrent.GlobalEventExecutor
import io.netty.handler.codec.http.HttpServerKeepAliveHandler
import kotlinx.coroutines.withContext
import kotlinx.coroutines.runBlocking
import org.slf4j.LoggerFactory
import java.io.IOException
import java.net.InetSocketAddress
import java.net.ServerSocket
import javax.net.ssl.SSLContext
import dev.dataverse.emulator.internal.tls.TlsFront
import dev.dataverse.emulator.internal.work.HeapLimits
import dev.dataverse.emulator.internal.work.MemoryBudget
import dev.dataverse.emulator.internal.work.RequestDeadline
import dev.dataverse.emulator.internal.work.RequestMemory
import kotlin.coroutines.cancellation.CancellationException

/**
 * The Ktor server (Netty engine) in front of the [ApiRouter]. Each API request is counted, refused with 429 when the
 * concurrency limit is reached, checked against the fault rules, and then served, delayed, answered with a fault, or cut
 * off by dropping its connection. Requests to `/_emulator/...` go to the [AdminHandler] instead, untouched by all that.
 *
 * Netty, not CIO: request heads up to the service's limits must get through ([RequestHeadLimits]: 32 KB URLs), and
 * CIO's request-line limit is a fixed 8 KB. The engine runs HTTP/1.1 only, over plain TCP; https is the [TlsFront]'s.
 * Every accepted socket gets TCP_NODELAY, so responses are never held back by Nagle's algorithm and delayed ACKs.
 *
 * A request's coroutine is cancelled when its client closes the connection ([ClientDisconnects]), so a client that
 * gives up on a slow request is noticed and counted; answers are written without cancellation, so a client that
 * closes the connection right after reading a complete answer is not counted.
 *
 * The event loops only read requests and write answers: handling runs on [RequestWorkers], within the request timeout,
 * so a request that takes long holds up neither the other connections of its loop nor the server's stop.
 */
internal class EmulatorServer(
    private val context: EmulatorContext,
    private val router: ApiRouter,
    private val requestedPort: Int,
    /** With TLS, the server listens on a free loopback port behind a [TlsFront] that takes [requestedPort]. */
    private val tls: SSLContext? = null,
) {
    private val admin = AdminHandler(context)

    /** Admin bodies are small JSON documents: fault rules and limits. */
    private val adminBodies = RequestBodies(ADMIN_MAX_BODY_BYTES)
    // Room for the JSON tree of one body at the admin size cap (about 3 MiB for one of only tiny values), as BoundedJson holds it.
    private val adminMemory = MemoryBudget(ADMIN_MAX_BODY_BYTES * 64)
    private val adminGuard = AdminGuard(context)
    private val stats = context.stats

    /**
     * API request bodies: capped per request at the configured maximum or an eighth of the heap, whichever is less, and
     * held with the JSON parsed from them in a budget of half the heap for all requests in flight ([HeapLimits]).
     */
    private val maxBodyBytes = HeapLimits.maxBodyBytes(context.options.maxRequestBodyBytes)
    private val bodies = RequestBodies(
        maxBodyBytes,
        if (maxBodyBytes < context.options.maxRequestBodyBytes) {
            " (the emulator's limit for its heap of ${HeapLimits.heapMebibytes} MiB; give it more heap to accept up to " +
                "EmulatorOptions.maxRequestBodyBytes, ${context.options.maxRequestBodyBytes} bytes)"
        } else {
            ""
        },
    )
    private val memory = MemoryBudget(HeapLimits.budgetBytes(maxBodyBytes))

    private val front = tls?.let { TlsFront(it, stats) }

    /** Handles requests off the event loops, each within the request timeout. */
    private val workers = RequestWorkers(context.options.requestTimeout.toMillis())

    /** The open client connections, closed by [stop] before the engine's event loops stop. */
    private val connections = DefaultChannelGroup("dataverse-emulator-connections", GlobalEventExecutor.INSTANCE, true)

    /** The coroutines of the calls being served: [stop] lets them end before the engine's event loops stop. */
    private val calls: MutableSet<Job> = ConcurrentHashMap.newKeySet()

    @Volatile
    private var stopping = false

    private val server: EmbeddedServer<NettyApplicationEngine, NettyApplicationEngine.Configuration> =
        embeddedServer(Netty, configure = ::configureEngine) {
            intercept(ApplicationCallPipeline.Call) {
                track(currentCoroutineContext().job)
                serve(call)
                finish()
            }
        }

    private fun configureEngine(engine: NettyApplicationEngine.Configuration) = with(engine) {
        connector {
            host = EmulatorContext.HOST
            port = if (tls == null) requestedPort else 0
        }
        maxInitialLineLength = RequestHeadLimits.MAX_REQUEST_LINE_BYTES
        maxHeaderSize = RequestHeadLimits.MAX_HEADER_BYTES
        // Bodies reach the handler in pieces of up to this size (Netty's default is 8 KB): fewer, larger pieces for uploads.
        maxChunkSize = BODY_PIECE_BYTES
        // HTTP/1.1 only, as the TlsFront offers no ALPN; the connection counts and drops assume one request stream per connection.
        enableHttp2 = false
        // No write deadline, as before: a client that reads a large answer slowly (a streaming test) must not lose it.
        responseWriteTimeoutSeconds = 0
        // One thread accepts; the defaults (one per two cores, plus one) suit the I/O and call groups.
        connectionGroupSize = 1
        // Calls run on the event loop of their connection, without a hop to a separate call group (their handling then
        // hops to the RequestWorkers). It also orders the engine's stop: with a call group of its own, the engine stops
        // that group before the connections' loops, whose last close events the stopped group then refuses, which Netty
        // logs as warnings.
        shareWorkGroup = true
        configureBootstrap = {
            // The engine's own groups (which it also stops), with each connection's call handler kept on its loop: see ConnectionLoops.
            group(
                EventLoopGroupProxy.create(engine.connectionGroupSize),
                ConnectionLoops(EventLoopGroupProxy.create(engine.workerGroupSize + engine.callGroupSize)),
            )
            childOption(ChannelOption.TCP_NODELAY, true)
        }
        channelPipelineConfig = {
            connections.add(channel())
            // Behind the TlsFront every connection is one of the front's, which counted it when it accepted it.
            if (front == null) stats.connectionAccepted()
            addBefore(HTTP1_HANDLER, "dataverse-emulator-head-limits", RequestHeadLimits.OversizedHeads)
            // Closes the connection after an answer that says `Connection: close` (Ktor's engine alone closes only
            // when the request asked for it): answers given before a request body was read rely on that.
            addBefore(HTTP1_HANDLER, "dataverse-emulator-keep-alive", HttpServerKeepAliveHandler())
        }
    }

    /** The bound port, once [start] returned. */
    @Volatile
    var port: Int = requestedPort
        private set

    /** Binds and starts serving; returns the bound port. Throws the [IOException] (e.g. a bind failure) that prevented it. */
    fun start(): Int {
        try {
            if (port != 0 && front == null) ensurePortFree(port)
            server.start(wait = false)
            val httpPort = runBlocking { server.engine.resolvedConnectors().first().port }
            port = front?.start(EmulatorContext.HOST, requestedPort, httpPort) ?: httpPort
            return port
        } catch (e: Exception) {
            front?.stop()
            server.stop(gracePeriodMillis = 0, timeoutMillis = 0)
            throw generateSequence<Throwable>(e) { it.cause }.filterIsInstance<IOException>().firstOrNull() ?: e
        }
    }

    /** Fails fast with a [java.net.BindException] when [port] is taken, before the engine logs its own failure. */
    private fun ensurePortFree(port: Int) {
        ServerSocket().use { socket ->
            socket.reuseAddress = false
            socket.bind(InetSocketAddress(EmulatorContext.HOST, port))
        }
    }

    /**
     * Stops at once: no grace period, at most [STOP_TIMEOUT_MILLIS] to close connections. Open connections are closed
     * first, while the event loops that handle their close still run; stopping the engine with connections open has its
     * loops refuse those close events, which Netty logs as warnings. Requests being handled are abandoned, not waited for:
     * their work ends at its next deadline check (a custom API's handler that never returns keeps its daemon thread).
     * Their coroutines, cancelled, end before the engine stops: one still running then writes to its closed connection,
     * whose loop has ended and refuses to report the failed write, which Netty logs as an error.
     */
    fun stop() {
        stopping = true
        front?.stop()
        connections.close().awaitUninterruptibly(STOP_TIMEOUT_MILLIS)
        // After the connections: the requests' coroutines are cancelled by then, so work that ends now answers no one.
        workers.stop()
        endCalls()
        server.stop(gracePeriodMillis = 0, timeoutMillis = STOP_TIMEOUT_MILLIS)
    }

    private fun track(call: Job) {
        calls += call
        call.invokeOnCompletion { calls -= call }
    }

    /**
     * Cancels the calls still running (those of API requests already are, their connections closed; admin requests are
     * not watched) and waits, at most [STOP_TIMEOUT_MILLIS], for them to end: cancelled, they end at once.
     */
    private fun endCalls() {
        val running = calls.toList()
        running.forEach { it.cancel(CancellationException("The emulator is stopping")) }
        runBlocking { withTimeoutOrNull(STOP_TIMEOUT_MILLIS) { running.joinAll() } }
    }

    private suspend fun serve(call: ApplicationCall) {
        if (urlTooLong(call)) {
            // Refused before reading: a body that follows is not wanted, and only closing the connection skips it.
            respond(call, RequestHeadLimits.uriTooLong().let { if (hasBody(call)) it.withHeaders(CLOSE) else it })
            return
        }
        if (AdminHandler.owns(RequestTargets.originForm(call.request.uri))) {
            val answer = try {
                adminGuard.check(requestHead(call))
                val held = RequestMemory(adminMemory)
                try {
                    val request = readRequest(call, adminBodies, held)
                    onWorker(held) { admin.handle(request) }
                } finally {
                    held.release()
                }
            } catch (e: ApiException) {
                ApiResponse.error(e).withHeaders(CLOSE)
            }
            respond(call, answer)
            return
        }
        stats.requestReceived()
        ClientDisconnects.watch(call, currentCoroutineContext().job)
        val exchange = Exchange(call)
        try {
            val limit = context.concurrencyLimit
            if (!stats.tryAdmit(limit)) {
                stats.throttledByLimit()
                exchange.answer(router.decorate(FaultResponses.concurrencyLimit(limit, context.options.concurrencyRetryAfterSeconds)))
                return
            }
            val protection = context.serviceProtection
            val ticket = when (val admission = protection?.admit(user(exchange.call))) {
                null -> null
                is ServiceProtection.Admission.Admitted -> admission.ticket
                is ServiceProtection.Admission.Refused -> {
                    stats.requestFinished()
                    stats.refusedByServiceProtection()
                    exchange.answer(router.decorate(ApiResponse.error(admission.error)))
                    return
                }
            }
            try {
                serveAdmitted(exchange)
            } finally {
                ticket?.finish()
                stats.requestFinished()
            }
        } catch (e: CancellationException) {
            exchange.noteFailure(e)
            throw e
        } catch (e: IOException) {
            exchange.noteFailure(e)
        }
    }

    /**
     * Serves an admitted request: normally, or as the fault rule that hits it says. The token is checked before a byte
     * of the body is read, and the body is read within [bodies]' limits; a request refused before its body was read
     * has its connection closed after the answer, as the rest of that body is not wanted.
     */
    private suspend fun serveAdmitted(exchange: Exchange) {
        val held = RequestMemory(memory)
        try {
            serveAdmitted(exchange, held)
        } finally {
            held.release()
        }
    }

    private suspend fun serveAdmitted(exchange: Exchange, held: RequestMemory) {
        val request = try {
            Authentication.check(exchange.call.request.headers["Authorization"], context.options.requiredToken, context.baseUrl)
            readRequest(exchange.call, bodies, held)
        } catch (e: ApiException) {
            exchange.answer(router.decorate(ApiResponse.error(e)).withHeaders(CLOSE))
            return
        }
        val fault = context.faults.pick(request.method, pathAfterRoot(request.rawTarget))
        if (fault == null) {
            exchange.answer(onWorker(held) { router.serve(request) })
            return
        }
        stats.faultInjected(fault.kind)
        if (fault.latencyMillis > 0) delay(fault.latencyMillis)
        when (fault.kind) {
            FaultKind.LATENCY -> exchange.answer(onWorker(held) { router.serve(request) })
            FaultKind.RESET_BEFORE_APPLY -> exchange.drop(fault)
            FaultKind.RESET_AFTER_APPLY -> {
                onWorker(held) { router.serve(request) }
                exchange.drop(fault)
            }
            else -> exchange.answer(router.decorate(onWorker(held) { faultAnswer(fault, request) }))
        }
    }

    /**
     * [work] (which handles a request synchronously) on a worker thread within the request timeout, holding its memory in
     * [held]; the timeout's error once it passed. A failure of [work] itself is answered as the service's unexpected error.
     */
    private suspend fun onWorker(held: RequestMemory, work: () -> ApiResponse): ApiResponse =
        workers.run(timedOut = { router.decorate(ApiResponse.error(RequestDeadline.timedOut(context.options.requestTimeout.toMillis()))) }) {
            try {
                RequestMemory.within(held, work)
            } catch (e: ApiException) {
                router.decorate(ApiResponse.error(e))
            } catch (e: Throwable) {
                logger.error("Unexpected failure handling a request", e)
                router.decorate(ApiResponse.error(ApiException(500, ErrorCodes.UNEXPECTED, "An unexpected error occurred: ${e.message ?: e.javaClass.name}")))
            }
        }

    /** One API request and how it ended, to tell a client that went away from the emulator's own doing. */
    private inner class Exchange(val call: ApplicationCall) {
        private var answered = false
        private var dropped = false

        /** Writes [response] completely even if the client closes meanwhile: it may have read it all already. */
        suspend fun answer(response: ApiResponse) = withContext(NonCancellable) {
            respond(call, response)
            answered = true
        }

        /** Cuts the connection off without a response; the request's coroutine ends with the cancellation. */
        suspend fun drop(fault: FaultRule) {
            dropped = true
            if (!ConnectionAbort.abort(call)) {
                logger.error("Cannot find the connection to drop for the {} fault; answering 500 instead", fault.kind)
                throw IllegalStateException("The ${fault.kind} fault could not drop the connection")
            }
            throw CancellationException("Connection dropped by a ${fault.kind} fault")
        }

        /** Counts [failure] as a disconnect unless the answer was written, the connection was dropped on purpose, or the server stops. */
        fun noteFailure(failure: Throwable) {
            if (answered || dropped || stopping) return
            stats.disconnectSeen()
            logger.debug("The client of {} {} went away before its answer was written", call.request.httpMethod.value, call.request.uri, failure)
        }
    }

    /**
     * The user whom the service-protection limits count a request against: its bearer token (the service takes the user
     * from the token; the emulator accepts any token, so each token is one user). Requests without one share a user.
     */
    private fun user(call: ApplicationCall): String =
        call.request.headers["Authorization"]?.trim()?.takeIf { it.startsWith("Bearer ", ignoreCase = true) }?.substring(7)?.trim() ?: ""

    /** Whether the URL the client addressed, from `Host` (or the absolute-form target), is longer than the service accepts. */
    private fun urlTooLong(call: ApplicationCall): Boolean {
        val target = call.request.uri
        val baseUrl = RequestTargets.baseUrlFor(call.request.headers["Host"], context.baseUrl.substringBefore("://")) ?: context.baseUrl
        return RequestHeadLimits.urlTooLong(target, baseUrl)
    }

    private fun faultAnswer(fault: FaultRule, request: ApiRequest): ApiResponse =
        FaultResponses.answer(fault, request, context.concurrencyLimit, context.baseUrl, router::handle)

    /** The request line and headers, with no body read yet. */
    private fun requestHead(call: ApplicationCall): ApiRequest = request(call, EMPTY)

    private suspend fun readRequest(call: ApplicationCall, limits: RequestBodies, held: RequestMemory): ApiRequest =
        request(call, if (hasBody(call)) limits.read(call.receiveChannel(), contentLength(call), held) else EMPTY)

    private fun contentLength(call: ApplicationCall): Long? = call.request.headers["Content-Length"]?.trim()?.toLongOrNull()

    /** Without a length or a transfer coding a request has no body (RFC 9112 §6.3): no buffer for most GETs. */
    private fun hasBody(call: ApplicationCall): Boolean {
        val length = contentLength(call)
        return !(length == 0L || (length == null && call.request.headers["Transfer-Encoding"] == null))
    }

    /** The request in origin form; an absolute-form target's authority replaces `Host` (RFC 9112 §3.2.2). */
    private fun request(call: ApplicationCall, body: ByteArray): ApiRequest {
        val uri = call.request.uri
        val headers = call.request.headers.toMap()
        val authority = RequestTargets.authorityOf(uri)
        return ApiRequest(
            method = call.request.httpMethod.value,
            rawTarget = RequestTargets.originForm(uri),
            headers = if (authority == null) headers else headers.filterKeys { !it.equals("Host", ignoreCase = true) } + ("Host" to listOf(authority)),
            body = body,
        )
    }

    private suspend fun respond(call: ApplicationCall, response: ApiResponse) {
        val file = response.file?.let { body ->
            // Opened before anything is written, so content removed meanwhile still gets a proper error answer.
            try {
                FileChannel.open(body.path, StandardOpenOption.READ) to body
            } catch (e: NoSuchFileException) {
                respond(call, router.decorate(ApiResponse.error(ApiException(404, ErrorCodes.RECORD_NOT_FOUND, "The file no longer exists."))))
                return
            }
        }
        for ((name, value) in response.headers) call.response.headers.append(name, wireValue(value), safeOnly = false)
        val contentType = response.contentType?.let(ContentType::parse)
        if (file != null) {
            val (channel, body) = file
            channel.use { call.respond(FileRegionContent(channel, body.offset, body.length, contentType, HttpStatusCode.fromValue(response.status))) }
            return
        }
        call.respondBytes(response.body ?: EMPTY, contentType, HttpStatusCode.fromValue(response.status))
    }

    /** Streams [length] bytes of [channel] from [offset] in small pieces, so a download costs no more heap than one piece. */
    private class FileRegionContent(
        private val channel: FileChannel,
        private val offset: Long,
        private val length: Long,
        override val contentType: ContentType?,
        override val status: HttpStatusCode,
    ) : OutgoingContent.WriteChannelContent() {
        override val contentLength: Long get() = length

        override suspend fun writeTo(channel: ByteWriteChannel) {
            val buffer = ByteBuffer.allocate(STREAM_PIECE)
            var position = offset
            val end = offset + length
            while (position < end) {
                buffer.clear()
                buffer.limit(minOf(STREAM_PIECE.toLong(), end - position).toInt())
                val read = withContext(Dispatchers.IO) { this@FileRegionContent.channel.read(buffer, position) }
                if (read < 0) throw IOException("The file ended at byte $position, before byte $end.")
                buffer.flip()
                channel.writeFully(buffer.array(), 0, read)
                position += read
            }
            channel.flush()
        }
    }

    private companion object {
        const val STOP_TIMEOUT_MILLIS = 2_000L

        /** The name of the Ktor engine's HTTP/1.1 handler in each connection's Netty pipeline. */
        const val HTTP1_HANDLER = "http1"
        const val STREAM_PIECE = 64 * 1024
        const val BODY_PIECE_BYTES = 64 * 1024
        val EMPTY = ByteArray(0)
        val CLOSE = listOf("Connection" to "close")

        const val ADMIN_MAX_BODY_BYTES = 64L * 1024
        val logger = LoggerFactory.getLogger(EmulatorServer::class.java)

        /**
         * [value] as the engine must be given it to send its UTF-8 bytes: Netty writes one byte a character
         * (ISO-8859-1, `?` beyond it), while servers send a non-ASCII value (a file name in `x-ms-file-name`) as UTF-8.
         */
        fun wireValue(value: String): String =
            if (value.all { it.code < 0x80 }) value else String(value.toByteArray(Charsets.UTF_8), Charsets.ISO_8859_1)

        /** The decoded path after the API root (`accounts(1)/name`, `$batch`), which fault rules match; other paths as they are. */
        fun pathAfterRoot(rawTarget: String): String {
            val path = rawTarget.substringBefore('?')
            val relative = when {
                path == EmulatorContext.API_ROOT_PATH -> ""
                path.startsWith(EmulatorContext.API_ROOT_PATH + "/") -> path.substring(EmulatorContext.API_ROOT_PATH.length + 1)
                else -> path.removePrefix("/")
            }
            return try {
                PercentCoding.decodePath(relative)
            } catch (e: ApiException) {
                relative
            }
        }
    }
}
