package dev.dataverse.spring.internal

import dev.dataverse.AttemptInfo
import dev.dataverse.AttemptObserver
import dev.dataverse.ClientObserver
import dev.dataverse.OperationInfo
import dev.dataverse.OperationObserver
import java.time.Duration
import java.util.concurrent.locks.ReentrantLock
import kotlin.concurrent.withLock

/** Counts a client's public calls in flight, observing it as an instrumentation does, and waits for them to end. */
internal class CallsInFlight : ClientObserver, OperationObserver {
    private val lock = ReentrantLock()
    private val idle = lock.newCondition()
    private var running = 0

    val count: Int get() = lock.withLock { running }

    override fun operationStarted(operation: OperationInfo): OperationObserver {
        lock.withLock { running++ }
        return this
    }

    override fun attemptStarted(attempt: AttemptInfo): AttemptObserver = NOTHING

    override fun ended(error: Throwable?) {
        lock.withLock {
            running--
            if (running == 0) idle.signalAll()
        }
    }

    /** Waits up to [timeout] for the calls to end; returns the number still running. */
    fun awaitIdle(timeout: Duration): Int = lock.withLock {
        var left = timeout.toNanos()
        while (running > 0 && left > 0) left = idle.awaitNanos(left)
        running
    }

    private companion object {
        val NOTHING = AttemptObserver { _, _ -> }
    }
}
