package dev.dataverse.internal.paging

import dev.dataverse.internal.transport.Operation
import java.lang.ref.Cleaner

/**
 * Ends the operation of a listing whose consumer let go of it half-way without closing it — a Java stream limited and
 * never closed (`list(...).stream().limit(50)`), an iterator dropped, a subscription abandoned — when the garbage
 * collector finds its cursor unreachable. Without this its span would stay open forever, and a graceful shutdown that
 * waits for open spans would wait its full timeout.
 *
 * One daemon thread for the whole library, started when the first instrumented listing runs.
 */
internal object AbandonedListings {
    private val cleaner: Cleaner by lazy {
        Cleaner.create { task -> Thread(task, "dataverse-abandoned-listings").apply { isDaemon = true } }
    }

    /**
     * Ends [operation] once [cursor] is unreachable, unless it has ended before (an operation ends once). The action
     * holds the operation only, never the cursor, which would keep it reachable.
     */
    fun watch(cursor: Any, operation: Operation) {
        cleaner.register(cursor) { operation.end(null) }
    }
}
