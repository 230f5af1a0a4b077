package dev.dataverse.emulator.internal.http

import io.ktor.server.application.ApplicationCall
import io.ktor.server.netty.NettyApplicationCall
import kotlinx.coroutines.suspendCancellableCoroutine
import kotlin.coroutines.resume

/**
 * Drops the TCP connection of a request without writing a response. Ktor has no API for that (an exception from a
 * handler becomes a 500), but a call of the Netty engine carries the channel it arrived on: closing it discards the
 * response before a byte of it is written, and the client sees the connection end (EOF or reset) without a status line.
 * Tests check this with real clients.
 *
 * The close is awaited before the handler goes on: called off the channel's event loop, `close()` only schedules it,
 * and the 500 Ktor writes for the handler's exception must find the channel already closed, not race it.
 */
internal object ConnectionAbort {

    /** Closes the connection [call] arrived on and waits until it is closed; false when it did not come through the Netty engine. */
    suspend fun abort(call: ApplicationCall): Boolean {
        val channel = (call as? NettyApplicationCall)?.context?.channel() ?: return false
        val closing = channel.close()
        if (!closing.isDone) {
            suspendCancellableCoroutine { continuation -> closing.addListener { continuation.resume(Unit) } }
        }
        return true
    }
}
