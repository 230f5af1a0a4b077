package dev.dataverse.emulator.internal.http

import kotlinx.coroutines.CoroutineName
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.Job
import kotlin.coroutines.CoroutineContext
import kotlin.coroutines.cancellation.CancellationException

/**
 * Drops the TCP connection of the request being handled without writing a response. Ktor's CIO engine has no API
 * for that; an exception from a handler becomes a 500. But every connection is served by one coroutine (named
 * `http-pipeline`) whose completion closes the socket, and the request handler runs as its descendant. Cancelling that
 * coroutine stops its response writer before anything of the response is written, and closes the socket: the client
 * sees the connection end (EOF or reset) without a status line. Tests check this with real clients.
 */
internal object ConnectionAbort {
    private const val PIPELINE_COROUTINE = "http-pipeline"

    /** Cancels the connection that the coroutine with [context] serves; false when no such connection was found. */
    fun abort(context: CoroutineContext): Boolean {
        val connection = connectionJob(context) ?: return false
        connection.cancel(CancellationException("Connection dropped by a fault rule"))
        return true
    }

    /** The coroutine serving the connection that the coroutine with [context] handles a request of; null if none. */
    @OptIn(ExperimentalCoroutinesApi::class)
    fun connectionJob(context: CoroutineContext): Job? {
        var job: Job? = context[Job]
        while (job != null) {
            if ((job as? CoroutineScope)?.coroutineContext?.get(CoroutineName)?.name == PIPELINE_COROUTINE) return job
            job = job.parent
        }
        return null
    }
}
