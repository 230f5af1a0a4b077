package dev.dataverse

import kotlin.time.Duration
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.minutes
import kotlin.time.Duration.Companion.seconds
import kotlin.time.toJavaDuration
import kotlin.time.toKotlinDuration

/**
 * When and how the client retries a failed request.
 *
 * Retried: throttling (HTTP 429 and the service-protection error codes `0x80072322`, `0x80072321`, `0x80072326`), which
 * waits exactly the `Retry-After` the service sent; HTTP 502, 503 and 504, timeouts and dropped connections, which wait an
 * exponential backoff with full jitter (a random delay between 0 and `baseDelay × 2^(retry − 1)`, at most [maxDelay]).
 * Never retried: 400, 403, 404, 412 and other answers about the request itself. A 401 refreshes the token and retries once.
 *
 * Writes are retried without risk of applying them twice: creates are sent with a client-assigned primary id, so a retry
 * that finds the record already created counts as success; updates and upserts write the same values again; a delete
 * retried after its first attempt went through counts its "not found" as success. A request whose outcome cannot be made
 * safe that way (a `$batch` whose connection broke after sending) is not retried, and fails with the transport error.
 *
 * Retries stop after [maxAttempts] attempts or when the next wait would end after [maxElapsed] since the first attempt,
 * whichever comes first; the last error is then thrown, with [DataverseException.attempts] telling how many were made.
 *
 * Kotlin: `retry(RetryOptions(maxAttempts = 8))`; Java: `RetryOptions.builder().maxAttempts(8).build()`, read back with
 * [getBaseDelay], [getMaxDelay] and [getMaxElapsed] (`java.time.Duration`), and derive with [toBuilder].
 */
public class RetryOptions(
    /** Attempts in total, the first included; 1 disables retries. The default is 5. */
    public val maxAttempts: Int = DEFAULT_MAX_ATTEMPTS,
    /** The backoff's starting delay. The default is 500 ms. */
    @get:JvmSynthetic
    public val baseDelay: Duration = 500.milliseconds,
    /** The longest backoff delay. The default is 30 seconds. */
    @get:JvmSynthetic
    public val maxDelay: Duration = 30.seconds,
    /** The time budget for all attempts of one request, waits included. The default is 5 minutes. */
    @get:JvmSynthetic
    public val maxElapsed: Duration = 5.minutes,
) {
    init {
        if (maxAttempts !in 1..100) throw InvalidInputException("'maxAttempts' must be between 1 and 100, but was $maxAttempts.")
        if (baseDelay.isNegative()) throw InvalidInputException("'baseDelay' cannot be negative, but was $baseDelay.")
        if (maxDelay < baseDelay) throw InvalidInputException("'maxDelay' ($maxDelay) cannot be shorter than 'baseDelay' ($baseDelay).")
        if (!maxElapsed.isPositive()) throw InvalidInputException("'maxElapsed' must be positive, but was $maxElapsed.")
    }

    /** [baseDelay] as a `java.time.Duration`, for Java callers. */
    public fun getBaseDelay(): java.time.Duration = baseDelay.toJavaDuration()

    /** [maxDelay] as a `java.time.Duration`, for Java callers. */
    public fun getMaxDelay(): java.time.Duration = maxDelay.toJavaDuration()

    /** [maxElapsed] as a `java.time.Duration`, for Java callers. */
    public fun getMaxElapsed(): java.time.Duration = maxElapsed.toJavaDuration()

    /** A builder holding these options, to derive changed ones: `options.toBuilder().maxAttempts(3).build()`. */
    public fun toBuilder(): Builder = Builder().maxAttempts(maxAttempts)
        .baseDelay(getBaseDelay()).maxDelay(getMaxDelay()).maxElapsed(getMaxElapsed())

    override fun toString(): String =
        "RetryOptions(maxAttempts=$maxAttempts, baseDelay=$baseDelay, maxDelay=$maxDelay, maxElapsed=$maxElapsed)"

    /** Fluent builder for Java callers. */
    public class Builder public constructor() {
        private var maxAttempts = DEFAULT_MAX_ATTEMPTS
        private var baseDelay = 500.milliseconds
        private var maxDelay = 30.seconds
        private var maxElapsed = 5.minutes

        /** @see RetryOptions.maxAttempts */
        public fun maxAttempts(attempts: Int): Builder = apply { maxAttempts = attempts }

        /** @see RetryOptions.baseDelay */
        public fun baseDelay(delay: java.time.Duration): Builder = apply { baseDelay = delay.toKotlinDuration() }

        /** @see RetryOptions.maxDelay */
        public fun maxDelay(delay: java.time.Duration): Builder = apply { maxDelay = delay.toKotlinDuration() }

        /** @see RetryOptions.maxElapsed */
        public fun maxElapsed(budget: java.time.Duration): Builder = apply { maxElapsed = budget.toKotlinDuration() }

        /** Validates and builds. @throws InvalidInputException naming the invalid option. */
        public fun build(): RetryOptions = RetryOptions(maxAttempts, baseDelay, maxDelay, maxElapsed)
    }

    public companion object {
        /** Default [maxAttempts]. */
        public const val DEFAULT_MAX_ATTEMPTS: Int = 5

        /**
         * The name of the SLF4J logger that reports retries: WARN when the service throttles the client (HTTP 429 or a
         * service-protection error) and the client waits before trying again, INFO when another transient failure is
         * retried. Rate-limited per client: at most one line every 10 seconds for each of the two, each line counting
         * the retries it stands for. Lines name the method, the URL without its query, the status, the Dataverse error
         * code, the attempt and the wait; never a token or a body. Silence it with the level `ERROR`.
         */
        public const val RETRY_LOGGER: String = "dev.dataverse.retry"

        /** Retries with the defaults above. */
        @JvmField
        public val DEFAULT: RetryOptions = RetryOptions()

        /** No retries at all (a 401 still refreshes the token once). */
        @JvmField
        public val NONE: RetryOptions = RetryOptions(maxAttempts = 1)

        /** A builder starting from the defaults. */
        @JvmStatic
        public fun builder(): Builder = Builder()
    }
}
