package dev.dataverse.spring.internal

import dev.dataverse.DataverseClient
import dev.dataverse.DataverseException
import kotlinx.coroutines.TimeoutCancellationException
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import java.time.Clock
import java.time.Duration
import java.time.Instant
import java.util.concurrent.locks.ReentrantLock
import kotlin.concurrent.withLock

/** A health result in no Spring Boot version's types: the Boot 4 and Boot 3 indicators each turn it into their own. */
internal class HealthResult(val status: Status, val details: Map<String, Any>) {
    enum class Status { UP, DOWN }
}

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
 *
 * Probes wait on a [ReentrantLock], not a monitor: a virtual thread blocked in `synchronized` pins its carrier thread on
 * JDK 21 to 23.
 */
internal class DataverseHealthCheck(
    private val client: DataverseClient,
    private val timeout: Duration,
    private val cacheTtl: Duration,
    private val clock: Clock = Clock.systemUTC(),
    /** Values that must never appear in a health response: the configured static tokens. */
    private val secrets: List<String> = emptyList(),
) {
    private val lock = ReentrantLock()
    private var cached: HealthResult? = null
    private var checkedAt: Instant = Instant.MIN

    fun health(): HealthResult = lock.withLock {
        val now = clock.instant()
        cached?.takeIf { now.isBefore(checkedAt.plus(cacheTtl)) }?.let { return it }
        check().also {
            cached = it
            checkedAt = now
        }
    }

    private fun check(): HealthResult {
        val details = LinkedHashMap<String, Any>()
        return try {
            details["environment"] = client.environmentUrl
            val me = runBlocking { withTimeout(timeout.toMillis()) { client.whoAmI() } }
            details["userId"] = me.userId.toString()
            details["organizationId"] = me.organizationId.toString()
            HealthResult(HealthResult.Status.UP, details)
        } catch (e: TimeoutCancellationException) {
            details["error"] = "WhoAmI did not answer within $timeout"
            HealthResult(HealthResult.Status.DOWN, details)
        } catch (e: DataverseException) {
            details["error"] = e.javaClass.name
            if (e.statusCode > 0) details["status"] = e.statusCode
            e.errorCode?.let { details["errorCode"] = it }
            HealthResult(HealthResult.Status.DOWN, details)
        } catch (e: Throwable) {
            if (e is InterruptedException) Thread.currentThread().interrupt()
            details["error"] = e.javaClass.name
            Redaction.redact(e.message, secrets)?.let { details["message"] = it }
            HealthResult(HealthResult.Status.DOWN, details)
        }
    }
}
