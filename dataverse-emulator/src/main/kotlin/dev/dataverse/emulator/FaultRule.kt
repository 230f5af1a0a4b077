package dev.dataverse.emulator

import dev.dataverse.emulator.internal.work.BoundedText
import java.util.Locale

/**
 * One way the emulator misbehaves on demand: for a request whose method is in [methods] and whose path matches
 * [pathPattern], a dice roll with [probability] decides whether the fault of [kind] applies. Rules are tried in the
 * order they were added; the first matching rule whose roll hits applies, and only one fault applies per request.
 * Rolls come from one random sequence seeded with `EmulatorOptions.faultSeed`, so the same seed and the same request
 * order give the same faults. Faults apply to HTTP requests as they arrive: a `$batch` is one request (match it with
 * `\$batch`); the requests inside it are not faulted one by one.
 *
 * ```
 * emulator.faults().add(FaultRule(FaultKind.SERVICE_UNAVAILABLE, probability = 0.05, pathPattern = "accounts.*"))
 * emulator.faults().add(FaultRule.builder(FaultKind.LATENCY).latencyMillis(200).build())   // Java
 * ```
 */
public class FaultRule @JvmOverloads constructor(
    /** What happens to a request the rule hits. */
    public val kind: FaultKind,
    /** The chance, from 0.0 to 1.0, that a matching request is hit. Default 1.0: every matching request. */
    public val probability: Double = 1.0,
    /** The HTTP methods (`GET`, `POST`, ...) the rule applies to, case-insensitive; empty (the default) means any. */
    methods: Set<String> = emptySet(),
    /**
     * A regular expression the whole request path after the API root must match, percent-decoded and without the
     * query, e.g. `accounts.*`, `\$batch` or `EntityDefinitions.*`; null (the default) matches every path. A pattern that
     * backtracks on a path for more than a million character reads is taken as not matching it, so that no pattern can
     * stop the server.
     */
    public val pathPattern: String? = null,
    /** The `Retry-After` seconds of the 429 and 503 answers. Default 1. */
    public val retryAfterSeconds: Int = 1,
    /**
     * Milliseconds to wait before the fault takes effect (the request counts as in flight meanwhile); for [FaultKind.LATENCY]
     * it is the whole fault and must be positive. Default 0.
     */
    public val latencyMillis: Long = 0,
) {
    /** The HTTP methods the rule applies to, upper-case; empty means any. */
    public val methods: Set<String> = methods.map { it.trim().uppercase(Locale.ROOT) }.toSet()

    private val regex: Regex? = pathPattern?.let {
        try {
            Regex(it)
        } catch (e: IllegalArgumentException) {
            throw IllegalArgumentException("pathPattern '$it' is not a valid regular expression: ${e.message}", e)
        }
    }

    init {
        require(probability in 0.0..1.0) { "probability must be between 0.0 and 1.0, was $probability" }
        require(this.methods.none { it.isEmpty() }) { "methods must not contain blank names" }
        require(retryAfterSeconds >= 0) { "retryAfterSeconds must not be negative, was $retryAfterSeconds" }
        require(latencyMillis >= 0) { "latencyMillis must not be negative, was $latencyMillis" }
        require(kind != FaultKind.LATENCY || latencyMillis > 0) { "a LATENCY rule needs latencyMillis > 0" }
    }

    /** Whether the rule applies to a request with [method] on [path] (after the API root, decoded, without query). */
    public fun matches(method: String, path: String): Boolean =
        (methods.isEmpty() || method.uppercase(Locale.ROOT) in methods) && (regex == null || pathMatches(regex, path))

    private fun pathMatches(regex: Regex, path: String): Boolean = try {
        regex.matches(BoundedText(path, MAX_PATH_READS))
    } catch (e: BoundedText.TooLong) {
        false
    }

    override fun equals(other: Any?): Boolean =
        other is FaultRule && other.kind == kind && other.probability == probability && other.methods == methods &&
            other.pathPattern == pathPattern && other.retryAfterSeconds == retryAfterSeconds && other.latencyMillis == latencyMillis

    override fun hashCode(): Int = listOf(kind, probability, methods, pathPattern, retryAfterSeconds, latencyMillis).hashCode()

    override fun toString(): String =
        "FaultRule(kind=$kind, probability=$probability, methods=$methods, pathPattern=$pathPattern, " +
            "retryAfterSeconds=$retryAfterSeconds, latencyMillis=$latencyMillis)"

    /** A Java-friendly builder of [FaultRule]; each setter returns the builder. Defaults as in [FaultRule]. */
    public class Builder public constructor(private val kind: FaultKind) {
        private var probability: Double = 1.0
        private var methods: Set<String> = emptySet()
        private var pathPattern: String? = null
        private var retryAfterSeconds: Int = 1
        private var latencyMillis: Long = 0

        /** See [FaultRule.probability]. */
        public fun probability(probability: Double): Builder = apply { this.probability = probability }

        /** See [FaultRule.methods]. */
        public fun methods(vararg methods: String): Builder = apply { this.methods = methods.toSet() }

        /** See [FaultRule.pathPattern]. */
        public fun pathPattern(pathPattern: String?): Builder = apply { this.pathPattern = pathPattern }

        /** See [FaultRule.retryAfterSeconds]. */
        public fun retryAfterSeconds(seconds: Int): Builder = apply { this.retryAfterSeconds = seconds }

        /** See [FaultRule.latencyMillis]. */
        public fun latencyMillis(millis: Long): Builder = apply { this.latencyMillis = millis }

        /** The rule; throws [IllegalArgumentException] when a value is out of range. */
        public fun build(): FaultRule = FaultRule(kind, probability, methods, pathPattern, retryAfterSeconds, latencyMillis)
    }

    /** Factory for the Java builder. */
    public companion object {
        private const val MAX_PATH_READS = 1_000_000L

        /** A builder of a rule of [kind]. */
        @JvmStatic
        public fun builder(kind: FaultKind): Builder = Builder(kind)
    }
}
