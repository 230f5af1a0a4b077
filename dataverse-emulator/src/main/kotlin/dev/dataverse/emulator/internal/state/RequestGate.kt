package dev.dataverse.emulator.internal.state

import java.util.concurrent.locks.ReentrantReadWriteLock
import kotlin.concurrent.read
import kotlin.concurrent.write

/**
 * Lets API requests be handled together, but never while the emulator's whole state is read or replaced (a snapshot, its
 * restore, a reset): those wait for the requests being handled to finish, and requests arriving meanwhile wait for them.
 * So a request sees the state entirely before or entirely after a restore, and a snapshot never holds half of a change
 * set. Only the handling itself is inside the gate, which runs on one thread without suspending: reading a request body,
 * a fault's latency and writing the answer are outside, so a slow client never holds a restore up.
 */
internal class RequestGate {
    private val lock = ReentrantReadWriteLock()

    /** Handles a request: [block] runs on this thread alongside other requests. Requests nested in a `$batch` re-enter. */
    fun <T> serving(block: () -> T): T = lock.read(block)

    /**
     * Runs [block] with no request being handled. Refused with [IllegalStateException] on a thread that is handling a
     * request (e.g. a custom API's handler), which would otherwise wait for itself forever; [operation] names the call.
     */
    fun <T> exclusive(operation: String, block: () -> T): T {
        check(lock.readHoldCount == 0) {
            "$operation cannot be called while the emulator handles a request on this thread (e.g. from a custom API's handler): it waits for requests to finish."
        }
        return lock.write(block)
    }
}
