package dev.dataverse.emulator

import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.atomic.AtomicLong

/**
 * Live request counters of a [DataverseEmulator], for tests and benchmarks that check how a client uses the
 * service (how many calls, how much parallelism). Each read returns the current value; counters restart at
 * [DataverseEmulator.reset].
 */
public class EmulatorStats internal constructor() {
    private val requestCount = AtomicLong()
    private val inFlightCount = AtomicInteger()
    private val maxInFlightCount = AtomicInteger()

    /** Requests received since start or the last reset (counted when a request arrives). */
    public val requests: Long get() = requestCount.get()

    /** Requests being handled right now. */
    public val inFlight: Int get() = inFlightCount.get()

    /** The largest number of requests handled at the same time since start or the last reset. */
    public val maxInFlight: Int get() = maxInFlightCount.get()

    internal fun requestStarted() {
        requestCount.incrementAndGet()
        val current = inFlightCount.incrementAndGet()
        maxInFlightCount.accumulateAndGet(current, ::maxOf)
    }

    internal fun requestFinished() {
        inFlightCount.decrementAndGet()
    }

    internal fun reset() {
        requestCount.set(0)
        maxInFlightCount.set(inFlightCount.get())
    }

    override fun toString(): String = "EmulatorStats(requests=$requests, inFlight=$inFlight, maxInFlight=$maxInFlight)"
}
