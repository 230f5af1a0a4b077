package dev.dataverse.emulator.internal.http

import io.ktor.server.application.ApplicationCall
import io.ktor.server.http.HttpRequestCloseHandlerKey
import io.ktor.server.request.httpVersion
import io.ktor.utils.io.InternalAPI
import kotlinx.coroutines.Job
import java.util.Locale
import kotlin.coroutines.cancellation.CancellationException

/**
 * Cancels a request's coroutine when its client closes the connection while the request is handled, so that a
 * client giving up on a slow request is noticed (and counted) at the handler's next suspension point.
 *
 * Ktor's `HttpRequestLifecycle` plugin does this through the same engine hook, but in Ktor 3.5.2 the CIO engine also
 * calls that hook when it simply stops reading a connection the client asked to close after this request
 * (`Connection: close`, HTTP/1.0): the plugin then cancels a healthy request and its answer is lost. Later Ktor
 * versions fix that in the engine; until then the hook is installed here only for persistent connections.
 */
internal object ClientDisconnects {

    /** Arranges for [job] (the call's coroutine) to be cancelled if the client of [call] closes its connection. */
    @OptIn(InternalAPI::class)
    fun watch(call: ApplicationCall, job: Job) {
        if (!isPersistent(call)) return
        call.attributes.put(HttpRequestCloseHandlerKey) { job.cancel(CancellationException("The client closed the connection")) }
    }

    /** Whether the connection stays open after this request: HTTP/1.1 unless `Connection: close`, HTTP/1.0 only with keep-alive. */
    private fun isPersistent(call: ApplicationCall): Boolean {
        val options = call.request.headers.getAll("Connection").orEmpty()
            .flatMap { it.split(',') }.map { it.trim().lowercase(Locale.ROOT) }
        return when (call.request.httpVersion) {
            "HTTP/1.1" -> "close" !in options
            "HTTP/1.0" -> "keep-alive" in options
            else -> false
        }
    }
}
