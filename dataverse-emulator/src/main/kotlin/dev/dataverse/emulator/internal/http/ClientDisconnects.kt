package dev.dataverse.emulator.internal.http

import io.ktor.server.application.ApplicationCall
import io.ktor.server.http.HttpRequestCloseHandlerKey
import io.ktor.utils.io.InternalAPI
import kotlinx.coroutines.Job
import kotlin.coroutines.cancellation.CancellationException

/**
 * Cancels a request's coroutine when its client closes the connection while the request is handled, so that a
 * client giving up on a slow request is noticed (and counted) at the handler's next suspension point.
 *
 * This is the engine hook Ktor's `HttpRequestLifecycle` plugin installs; the Netty engine calls it when the channel of
 * a request still in progress becomes inactive, which happens only when the connection really closed (a request with
 * `Connection: close` or over HTTP/1.0 keeps its channel until its answer is written).
 */
internal object ClientDisconnects {

    /** Arranges for [job] (the call's coroutine) to be cancelled if the client of [call] closes its connection. */
    @OptIn(InternalAPI::class)
    fun watch(call: ApplicationCall, job: Job) {
        call.attributes.put(HttpRequestCloseHandlerKey) { job.cancel(CancellationException("The client closed the connection")) }
    }
}
