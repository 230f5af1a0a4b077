package dev.dataverse.emulator.internal.http

import dev.dataverse.emulator.EmulatorStats
import io.ktor.http.ContentType
import io.ktor.http.HttpStatusCode
import io.ktor.server.application.ApplicationCall
import io.ktor.server.application.ApplicationCallPipeline
import io.ktor.server.application.call
import io.ktor.server.cio.CIO
import io.ktor.server.cio.CIOApplicationEngine
import io.ktor.server.engine.EmbeddedServer
import io.ktor.server.engine.embeddedServer
import io.ktor.server.request.httpMethod
import io.ktor.server.request.receiveChannel
import io.ktor.server.request.uri
import io.ktor.server.response.respondBytes
import io.ktor.util.toMap
import io.ktor.utils.io.toByteArray
import kotlinx.coroutines.runBlocking
import java.io.IOException
import java.net.InetSocketAddress
import java.net.ServerSocket

/**
 * The Ktor CIO server in front of the [ApiRouter]: every request, whatever its path, goes to the router with
 * its raw request target. CIO's acceptor sets TCP_NODELAY on every accepted TCP socket (ktor-network's
 * `ServerSocketImpl`), so responses are never held back by Nagle's algorithm and delayed ACKs.
 */
internal class EmulatorServer(private val router: ApiRouter, private val stats: EmulatorStats, requestedPort: Int) {
    private val server: EmbeddedServer<CIOApplicationEngine, CIOApplicationEngine.Configuration> =
        embeddedServer(CIO, port = requestedPort, host = EmulatorContext.HOST) {
            intercept(ApplicationCallPipeline.Call) {
                serve(call)
                finish()
            }
        }

    /** The bound port, once [start] returned. */
    @Volatile
    var port: Int = requestedPort
        private set

    /** Binds and starts serving; returns the bound port. Throws the [IOException] (e.g. a bind failure) that prevented it. */
    fun start(): Int {
        try {
            if (port != 0) ensurePortFree(port)
            server.start(wait = false)
            port = runBlocking { server.engine.resolvedConnectors().first().port }
            return port
        } catch (e: Exception) {
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

    /** Stops at once: no grace period, at most [STOP_TIMEOUT_MILLIS] to close connections. */
    fun stop() {
        server.stop(gracePeriodMillis = 0, timeoutMillis = STOP_TIMEOUT_MILLIS)
    }

    private suspend fun serve(call: ApplicationCall) {
        stats.requestStarted()
        try {
            val request = ApiRequest(
                method = call.request.httpMethod.value,
                rawTarget = call.request.uri,
                headers = call.request.headers.toMap(),
                body = call.receiveChannel().toByteArray(),
            )
            respond(call, router.handle(request))
        } finally {
            stats.requestFinished()
        }
    }

    private suspend fun respond(call: ApplicationCall, response: ApiResponse) {
        for ((name, value) in response.headers) call.response.headers.append(name, value, safeOnly = false)
        val contentType = response.contentType?.let(ContentType::parse)
        call.respondBytes(response.body ?: EMPTY, contentType, HttpStatusCode.fromValue(response.status))
    }

    private companion object {
        const val STOP_TIMEOUT_MILLIS = 2_000L
        val EMPTY = ByteArray(0)
    }
}
