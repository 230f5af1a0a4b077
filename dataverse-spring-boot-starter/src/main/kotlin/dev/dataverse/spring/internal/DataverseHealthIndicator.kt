package dev.dataverse.spring.internal

import dev.dataverse.DataverseClient
import dev.dataverse.DataverseException
import kotlinx.coroutines.TimeoutCancellationException
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.springframework.boot.health.contributor.Health
import org.springframework.boot.health.contributor.HealthIndicator
import java.time.Clock
import java.time.Duration
import java.time.Instant

/**
 * Health from a WhoAmI call: UP with the caller's user and organization ids, DOWN with the error's type, status and
 * Dataverse error code (never its message, which may quote data). A result is reused for [cacheTtl], so probes do not
 * call the service each time (and count against its limits), and a check waits at most [timeout]. Concurrent probes
 * share one check.
 *
 * Any other failure — an unexpected exception, or a JVM `Error` such as the `NoSuchMethodError` of a kotlinx-coroutines
 * older than the client needs — is DOWN too, with its class and a message cleared of [secrets] and of anything shaped
 * like a bearer token or JWT, rather than escaping to the health endpoint as a 500 (a liveness probe would restart the
 * application in a loop, and the cause would be lost in a stack trace).
 */
internal class DataverseHealthIndicator(
    private val client: DataverseClient,
    private val timeout: Duration,
    private val cacheTtl: Duration,
    private val clock: Clock = Clock.systemUTC(),
    /** Values that must never appear in a health response: the configured static tokens. */
    private val secrets: List<String> = emptyList(),
) : HealthIndicator {
    private val lock = Any()
    private var cached: Health? = null
    private var checkedAt: Instant = Instant.MIN

    override fun health(): Health = synchronized(lock) {
        val now = clock.instant()
        cached?.takeIf { now.isBefore(checkedAt.plus(cacheTtl)) }?.let { return it }
        check().also {
            cached = it
            checkedAt = now
        }
    }

    private fun check(): Health {
        val details = Health.unknown()
        return try {
            details.withDetail("environment", client.environmentUrl)
            val me = runBlocking { withTimeout(timeout.toMillis()) { client.whoAmI() } }
            details.up().withDetail("userId", me.userId.toString()).withDetail("organizationId", me.organizationId.toString()).build()
        } catch (e: TimeoutCancellationException) {
            details.down().withDetail("error", "WhoAmI did not answer within $timeout").build()
        } catch (e: DataverseException) {
            details.down().withDetail("error", e.javaClass.name).apply {
                if (e.statusCode > 0) withDetail("status", e.statusCode)
                e.errorCode?.let { withDetail("errorCode", it) }
            }.build()
        } catch (e: Throwable) {
            if (e is InterruptedException) Thread.currentThread().interrupt()
            details.down().withDetail("error", e.javaClass.name).apply {
                HealthMessages.redact(e.message, secrets)?.let { withDetail("message", it) }
            }.build()
        }
    }
}
