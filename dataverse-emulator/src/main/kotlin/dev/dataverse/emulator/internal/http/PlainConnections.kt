package dev.dataverse.emulator.internal.http

import dev.dataverse.emulator.EmulatorStats
import kotlinx.coroutines.Job
import java.util.concurrent.ConcurrentHashMap
import kotlin.coroutines.CoroutineContext

/**
 * Counts the connections of the plain-http server. Ktor's CIO server has no accept hook, but it serves each connection
 * with one coroutine (see [ConnectionAbort]) that every request of it descends from: a connection is counted when its
 * first request arrives, by remembering its coroutine until it completes. That costs a few pointer hops and one set
 * lookup per request, where an accept-counting proxy in front would copy every byte once more; a connection closed
 * before sending any request is not counted.
 */
internal class PlainConnections(private val stats: EmulatorStats) {
    private val open: MutableSet<Job> = ConcurrentHashMap.newKeySet()

    /** Notes a request handled in [context]; counts its connection if this is the connection's first request. */
    fun requestOn(context: CoroutineContext) {
        val connection = ConnectionAbort.connectionJob(context) ?: return
        if (open.add(connection)) {
            stats.connectionAccepted()
            connection.invokeOnCompletion { open.remove(connection) }
        }
    }
}
