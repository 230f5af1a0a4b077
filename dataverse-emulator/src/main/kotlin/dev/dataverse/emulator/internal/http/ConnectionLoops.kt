package dev.dataverse.emulator.internal.http

import io.netty.channel.EventLoop
import io.netty.channel.EventLoopGroup

/**
 * The engine's event loops, handing out the calling thread's own loop when asked on one of them. Ktor gives each
 * connection's call handler an executor of its call group (here the same loops) with `next()`, asked on the connection's
 * loop; with a plain group that is the next loop in turn, so every event of the connection crosses to another loop and
 * back. When the server stops, the loops end independently: the last events of a connection closed just before (its
 * channel going inactive, its pipeline torn down) then cross to a loop that has already ended, which refuses them and
 * Netty logs each refusal as a warning with a stack trace. Kept on the connection's own loop, those events run before
 * that loop ends, and a request no longer hops between two threads.
 *
 * Other uses of [next] (registering an accepted connection, dispatching a coroutine from a worker) come from threads
 * outside these loops and take the next loop in turn, as before.
 */
internal class ConnectionLoops(private val loops: EventLoopGroup) : EventLoopGroup by loops {
    override fun next(): EventLoop = loops.firstOrNull { it.inEventLoop() } as? EventLoop ?: loops.next()
}
