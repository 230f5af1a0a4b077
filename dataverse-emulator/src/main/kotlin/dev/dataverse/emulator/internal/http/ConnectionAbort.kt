package dev.dataverse.emulator.internal.http

import io.ktor.server.application.ApplicationCall
import io.ktor.server.netty.NettyApplicationCall

/**
 * Drops the TCP connection of a request without writing a response. Ktor has no API for that (an exception from a
 * handler becomes a 500), but a call of the Netty engine carries the channel it arrived on: closing it discards the
 * response before a byte of it is written, since writes reach the channel's event loop only after the close, and the
 * client sees the connection end (EOF or reset) without a status line. Tests check this with real clients.
 */
internal object ConnectionAbort {

    /** Closes the connection [call] arrived on; false when it did not come through the Netty engine. */
    fun abort(call: ApplicationCall): Boolean {
        val channel = (call as? NettyApplicationCall)?.context?.channel() ?: return false
        channel.close()
        return true
    }
}
