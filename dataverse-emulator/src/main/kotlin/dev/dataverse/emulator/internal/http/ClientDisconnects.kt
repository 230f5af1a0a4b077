package dev.dataverse.emulator.internal.http

import io.ktor.server.application.ApplicationCall
import io.ktor.server.netty.NettyApplicationCall
import io.netty.channel.ChannelFuture
import io.netty.channel.ChannelFutureListener
import kotlinx.coroutines.Job
import kotlin.coroutines.cancellation.CancellationException

/**
 * Cancels a request's coroutine when its client closes the connection while the request is handled, so that a
 * client giving up on a slow request is noticed (and counted) at the handler's next suspension point.
 *
 * It listens to the close of the request's Netty channel, which happens only when the connection really closed (a
 * request with `Connection: close` or over HTTP/1.0 keeps its channel until its answer is written). The listener is
 * removed when the request ends, so a keep-alive connection does not gather one listener per request it served.
 */
internal object ClientDisconnects {

    /**
     * Arranges for [job] (the call's coroutine) to be cancelled if the client of [call] closes its connection before
     * [job] completes. Calls of other engines are not watched.
     */
    fun watch(call: ApplicationCall, job: Job) {
        val closed: ChannelFuture = (call as? NettyApplicationCall)?.context?.channel()?.closeFuture() ?: return
        val listener = ChannelFutureListener { job.cancel(CancellationException("The client closed the connection")) }
        closed.addListener(listener)
        job.invokeOnCompletion { closed.removeListener(listener) }
    }
}
