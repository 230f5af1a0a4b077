package dev.dataverse.emulator

import java.time.Duration

/**
 * The service-protection API limits the emulator enforces per user when [EmulatorOptions.serviceProtection] is set, as
 * Microsoft Learn's "Service protection API limits" page (learn.microsoft.com/power-apps/developer/data-platform/api-limits)
 * describes them: per user, in a sliding [window] of 5 minutes, at most [requestsPerWindow] (6,000) requests and
 * [executionTimePerWindow] (20 minutes) of their combined execution time, and at most [concurrentRequests] (52) requests
 * at once. A request over a limit is answered 429 Too Many Requests with a `Retry-After` header (whole seconds) and the
 * limit's error code: `0x80072322` (requests), `0x80072321` (execution time), `0x80072326` (concurrent requests).
 *
 * [timeScale] compresses time for benchmarks and tests: with a factor of 10 the window lasts 30 s and allows a tenth of
 * the requests and of the execution time, so the sustained rates (20 requests and 4 seconds of execution per second)
 * stay the service's while a throttled client waits seconds instead of minutes. 1 (the default) is the service's own
 * scale. The user is the request's bearer token (the service identifies the user from the token; the emulator accepts
 * any token, so each distinct token is one user).
 *
 * Kotlin: `ServiceProtectionLimits(timeScale = 10)`; Java: `ServiceProtectionLimits.builder().timeScale(10).build()`.
 */
public class ServiceProtectionLimits @JvmOverloads constructor(
    /** Requests one user may start in one [window] at the service's scale. Default 6000. */
    public val requestsPerWindow: Int = DEFAULT_REQUESTS_PER_WINDOW,
    /** Combined execution time of one user's requests in one [window] at the service's scale. Default 20 minutes. */
    public val executionTimePerWindow: Duration = DEFAULT_EXECUTION_TIME_PER_WINDOW,
    /** Requests of one user handled at the same time; one more is refused at once. Default 52; not scaled. */
    public val concurrentRequests: Int = DEFAULT_CONCURRENT_REQUESTS,
    /** The sliding window at the service's scale. Default 5 minutes. */
    public val window: Duration = DEFAULT_WINDOW,
    /** How many times faster than the service's the emulator's clock runs for these limits (see the class). Default 1. */
    public val timeScale: Int = 1,
) {
    init {
        require(requestsPerWindow >= 1) { "requestsPerWindow must be at least 1, was $requestsPerWindow" }
        require(!executionTimePerWindow.isNegative && !executionTimePerWindow.isZero) { "executionTimePerWindow must be positive, was $executionTimePerWindow" }
        require(concurrentRequests >= 1) { "concurrentRequests must be at least 1, was $concurrentRequests" }
        require(!window.isNegative && !window.isZero) { "window must be positive, was $window" }
        require(timeScale >= 1) { "timeScale must be at least 1, was $timeScale" }
        require(window.dividedBy(timeScale.toLong()).toMillis() >= 1) { "window / timeScale must be at least 1 ms" }
    }

    /** The window the emulator applies: [window] / [timeScale]. */
    public val scaledWindow: Duration get() = window.dividedBy(timeScale.toLong())

    /** The requests allowed per [scaledWindow]: [requestsPerWindow] / [timeScale], rounded up. */
    public val scaledRequestsPerWindow: Int get() = (requestsPerWindow + timeScale - 1) / timeScale

    /** The execution time allowed per [scaledWindow]: [executionTimePerWindow] / [timeScale]. */
    public val scaledExecutionTimePerWindow: Duration get() = executionTimePerWindow.dividedBy(timeScale.toLong())

    /** A builder starting from these limits. */
    public fun toBuilder(): Builder = Builder().requestsPerWindow(requestsPerWindow).executionTimePerWindow(executionTimePerWindow)
        .concurrentRequests(concurrentRequests).window(window).timeScale(timeScale)

    private fun values(): List<Any> = listOf(requestsPerWindow, executionTimePerWindow, concurrentRequests, window, timeScale)

    override fun equals(other: Any?): Boolean = other is ServiceProtectionLimits && other.values() == values()

    override fun hashCode(): Int = values().hashCode()

    override fun toString(): String =
        "ServiceProtectionLimits(requestsPerWindow=$requestsPerWindow, executionTimePerWindow=$executionTimePerWindow, " +
            "concurrentRequests=$concurrentRequests, window=$window, timeScale=$timeScale)"

    /** A Java-friendly builder; defaults as in [ServiceProtectionLimits]. */
    public class Builder {
        private var requestsPerWindow = DEFAULT_REQUESTS_PER_WINDOW
        private var executionTimePerWindow = DEFAULT_EXECUTION_TIME_PER_WINDOW
        private var concurrentRequests = DEFAULT_CONCURRENT_REQUESTS
        private var window = DEFAULT_WINDOW
        private var timeScale = 1

        /** See [ServiceProtectionLimits.requestsPerWindow]. */
        public fun requestsPerWindow(requests: Int): Builder = apply { requestsPerWindow = requests }

        /** See [ServiceProtectionLimits.executionTimePerWindow]. */
        public fun executionTimePerWindow(time: Duration): Builder = apply { executionTimePerWindow = time }

        /** See [ServiceProtectionLimits.concurrentRequests]. */
        public fun concurrentRequests(requests: Int): Builder = apply { concurrentRequests = requests }

        /** See [ServiceProtectionLimits.window]. */
        public fun window(window: Duration): Builder = apply { this.window = window }

        /** See [ServiceProtectionLimits.timeScale]. */
        public fun timeScale(factor: Int): Builder = apply { timeScale = factor }

        /** The limits; throws [IllegalArgumentException] when a value is out of range. */
        public fun build(): ServiceProtectionLimits =
            ServiceProtectionLimits(requestsPerWindow, executionTimePerWindow, concurrentRequests, window, timeScale)
    }

    /** The service's defaults and the Java builder. */
    public companion object {
        /** Learn: 6,000 requests per user in the 5-minute window. */
        public const val DEFAULT_REQUESTS_PER_WINDOW: Int = 6000

        /** Learn: 52 concurrent requests per user. */
        public const val DEFAULT_CONCURRENT_REQUESTS: Int = 52

        /** Learn: 20 minutes (1,200,000 ms) of combined execution time per user in the window. */
        @JvmField
        public val DEFAULT_EXECUTION_TIME_PER_WINDOW: Duration = Duration.ofMinutes(20)

        /** Learn: a 5-minute (300 s) sliding window. */
        @JvmField
        public val DEFAULT_WINDOW: Duration = Duration.ofMinutes(5)

        /** A builder with the service's defaults. */
        @JvmStatic
        public fun builder(): Builder = Builder()
    }
}
