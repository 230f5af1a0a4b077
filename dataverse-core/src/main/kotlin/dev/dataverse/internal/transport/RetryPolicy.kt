package dev.dataverse.internal.transport

import dev.dataverse.AuthenticationException
import dev.dataverse.ConnectionFailedException
import dev.dataverse.DataverseException
import dev.dataverse.RequestTimeoutException
import dev.dataverse.RetryOptions
import dev.dataverse.ServiceUnavailableException
import dev.dataverse.ThrottledException
import kotlin.random.Random
import kotlin.time.Duration
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.toKotlinDuration

/** What to do after a failed attempt. */
internal sealed class RetryDirective {
    /** Give up and throw the error. */
    data object Stop : RetryDirective()

    /** Try again after [delay]; [reason] is for the log. */
    data class RetryAfter(val delay: Duration, val reason: String) : RetryDirective()
}

/**
 * Decides whether and when to retry, from the error, the attempt number and the time spent. Pure apart from [random]
 * (injectable, for tests that assert the computed delays).
 */
internal class RetryPolicy(private val options: RetryOptions, private val random: Random = Random.Default) {

    /**
     * @param attempt the number of the attempt that just failed, from 1.
     * @param elapsed time since the first attempt started.
     * @param idempotent whether sending the request again is safe even if the failed attempt was applied.
     */
    fun decide(error: DataverseException, attempt: Int, elapsed: Duration, idempotent: Boolean): RetryDirective {
        if (attempt >= options.maxAttempts) return RetryDirective.Stop
        val reason = retryableReason(error) ?: return RetryDirective.Stop
        if (error.mayHaveBeenApplied && !idempotent) return RetryDirective.Stop
        val delay = error.retryAfter?.toKotlinDuration() ?: backoff(attempt)
        if (elapsed + delay > options.maxElapsed) return RetryDirective.Stop
        return RetryDirective.RetryAfter(delay, reason)
    }

    /** Full jitter: uniform in [0, min(maxDelay, baseDelay × 2^(attempt − 1))]. */
    fun backoff(attempt: Int): Duration {
        val ceiling = options.baseDelay.inWholeMilliseconds.toDouble() * Math.pow(2.0, (attempt - 1).coerceAtMost(30).toDouble())
        val capped = minOf(ceiling, options.maxDelay.inWholeMilliseconds.toDouble()).toLong()
        return if (capped <= 0) Duration.ZERO else random.nextLong(capped + 1).milliseconds
    }

    private fun retryableReason(error: DataverseException): String? = when (error) {
        is ThrottledException -> "throttled (${error.errorCode ?: "HTTP ${error.statusCode}"})"
        is ServiceUnavailableException -> "HTTP ${error.statusCode}"
        is ConnectionFailedException -> "connection failed: ${error.cause?.javaClass?.simpleName ?: error.message}"
        is RequestTimeoutException -> "timed out"
        is AuthenticationException -> null
        else -> null
    }
}
