package dev.dataverse.internal.transport

import dev.dataverse.internal.protocol.ApiResponse
import dev.dataverse.internal.protocol.ApiRequest
import dev.dataverse.AuthenticationException
import dev.dataverse.ClientClosedException
import dev.dataverse.DataverseException
import dev.dataverse.InvalidInputException
import dev.dataverse.RetryOptions
import kotlin.random.Random
import kotlin.time.Duration
import kotlin.time.TimeSource

/**
 * Runs the attempts of one request: retries what [RetryPolicy] allows, refreshes the token once after a 401, and keeps
 * every attempt inside the budget ([RetryOptions.maxElapsed]): an attempt's timeout is cut to the budget left, and no
 * attempt starts with less than [MIN_ATTEMPT] of it left, so a silent server cannot hold a call past its budget. Time is
 * read from [timeSource] and waits go through [delay], so tests drive both.
 */
internal class RetryLoop(
    private val options: RetryOptions,
    random: Random,
    private val requestTimeout: Duration,
    private val timeSource: TimeSource,
    private val delay: suspend (Duration) -> Unit,
) {
    private val policy = RetryPolicy(options, random)
    private val retryLog = RetryLog(timeSource)

    /**
     * Calls [attempt] with the attempt number and its timeout until it succeeds or must give up; [onRetry] hears of each
     * retry before its wait (for telemetry).
     */
    suspend fun run(
        request: ApiRequest,
        describe: () -> String,
        onRetry: ((number: Int, delay: Duration, error: DataverseException) -> Unit)? = null,
        attempt: suspend (number: Int, timeout: Duration) -> ApiResponse,
    ): ApiResponse {
        val started = timeSource.markNow()
        var number = 0
        var refreshedToken = false
        var ambiguous = false
        while (true) {
            number++
            val timeout = minOf(requestTimeout, options.maxElapsed - started.elapsedNow()).coerceAtLeast(SHORTEST_TIMEOUT)
            try {
                return attempt(number, timeout).also { it.afterAmbiguousAttempt = ambiguous }
            } catch (e: DataverseException) {
                if (e is ClientClosedException || e is InvalidInputException) throw e
                e.attempts = number
                e.afterAmbiguousAttempt = ambiguous
                if (e is AuthenticationException && e.statusCode == 401 && !refreshedToken) {
                    refreshedToken = true // The cached token was dropped; one more attempt with a fresh one.
                    LoggingStage.log.debug("{}: 401, retrying once with a new token", describe())
                    onRetry?.invoke(number, Duration.ZERO, e)
                    continue
                }
                val directive = policy.decide(e, number, started.elapsedNow(), request.idempotent)
                if (directive !is RetryDirective.RetryAfter) throw e
                val left = options.maxElapsed - started.elapsedNow() - directive.delay
                if (left < minOf(requestTimeout, MIN_ATTEMPT)) throw e
                if (e.mayHaveBeenApplied) ambiguous = true
                LoggingStage.log.debug("{}: attempt {} failed ({}), retrying in {}", describe(), number, directive.reason, directive.delay)
                retryLog.retrying(describe, number, directive.delay, e)
                onRetry?.invoke(number, directive.delay, e)
                delay(directive.delay)
            }
        }
    }

    companion object {
        /** The least budget worth starting another attempt with. */
        val MIN_ATTEMPT: Duration = Duration.parse("1s")

        // Only a 401 refresh can start an attempt this late; it still gets a moment to answer.
        private val SHORTEST_TIMEOUT: Duration = Duration.parse("100ms")
    }
}
