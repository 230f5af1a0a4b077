package dev.dataverse.internal.transport

import dev.dataverse.DataverseException
import dev.dataverse.RetryOptions
import dev.dataverse.ThrottledException
import org.slf4j.Logger
import org.slf4j.LoggerFactory
import kotlin.time.Duration
import kotlin.time.Duration.Companion.seconds
import kotlin.time.TimeMark
import kotlin.time.TimeSource

/**
 * The public log of retries, [RetryOptions.RETRY_LOGGER] (documented in the README): WARN when the service throttles the
 * client (429, service-protection limits) and the client waits before trying again, INFO when another transient failure
 * (503, a timeout, a dropped connection) is retried. Operators see a throttling storm without turning on DEBUG.
 *
 * Rate-limited, one client at a time: for each of the two kinds, at most one line per [interval]; a line stands for the
 * retries since the previous one, which it counts, so a storm of thousands of retries logs a handful of lines that still
 * add up. Time comes from [timeSource], the client's seam, so tests drive the window without sleeping.
 */
internal class RetryLog(
    private val timeSource: TimeSource,
    private val interval: Duration = INTERVAL,
    private val log: Logger = LoggerFactory.getLogger(RetryOptions.RETRY_LOGGER),
) {
    private val throttled = Window()
    private val retried = Window()

    /** Reports that the failed attempt [number] of [describe] is retried after [delay]; logs it unless rate-limited. */
    fun retrying(describe: () -> String, number: Int, delay: Duration, error: DataverseException) {
        val throttling = error is ThrottledException
        if (throttling && !log.isWarnEnabled || !throttling && !log.isInfoEnabled) return
        val skipped = (if (throttling) throttled else retried).admit() ?: return
        val cause = buildString {
            append(if (error.statusCode == 0) error.javaClass.simpleName else "HTTP ${error.statusCode}")
            error.errorCode?.let { append(", ").append(it) }
        }
        val wait = if (error.retryAfter != null) "$delay (the service's Retry-After)" else "$delay"
        val more = if (skipped == 0) "" else "; $skipped more since the last such line"
        if (throttling) {
            log.warn("{}: throttled by the service ({}) on attempt {}, retrying in {}{}", describe(), cause, number, wait, more)
        } else {
            log.info("{}: attempt {} failed ({}), retrying in {}{}", describe(), number, cause, wait, more)
        }
    }

    /** One kind's rate limit: admits a line when [interval] has passed since the last admitted one. */
    private inner class Window {
        private var last: TimeMark? = null
        private var skipped = 0

        /** The number of events skipped since the last admitted line, or `null` when this one is skipped too. */
        @Synchronized
        fun admit(): Int? {
            val previous = last
            if (previous != null && previous.elapsedNow() < interval) {
                skipped++
                return null
            }
            last = timeSource.markNow()
            return skipped.also { skipped = 0 }
        }
    }

    companion object {
        /** At most one line per kind in this time, per client. */
        val INTERVAL: Duration = 10.seconds
    }
}
