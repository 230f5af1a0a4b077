package dev.dataverse.emulator

import dev.dataverse.emulator.internal.http.ServiceProtection
import dev.dataverse.emulator.internal.http.ServiceProtection.Admission
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeInstanceOf
import java.time.Duration

/**
 * The per-user service-protection limits, against Microsoft Learn's "Service protection API limits"
 * (learn.microsoft.com/power-apps/developer/data-platform/api-limits): evaluated per user in a 5-minute sliding window,
 * 6,000 requests, 20 minutes (1,200,000 ms) of combined execution time, 52 concurrent requests; over a limit, 429 Too
 * Many Requests with `Retry-After` and the error codes 0x80072322 (requests), 0x80072321 (execution time) and
 * 0x80072326 (concurrent requests). The enforcement runs on a fake clock here; over HTTP at the end.
 */
class ServiceProtectionLimitsSpec : FunSpec({

    /** A clock in nanoseconds the test moves. */
    class FakeClock {
        var nanos = 1_000_000_000L
        fun advance(duration: Duration) { nanos += duration.toNanos() }
    }

    fun admitted(admission: Admission): ServiceProtection.Ticket = admission.shouldBeInstanceOf<Admission.Admitted>().ticket

    fun refused(admission: Admission) = admission.shouldBeInstanceOf<Admission.Refused>().error

    test("the defaults are Learn's: 6000 requests and 20 minutes of execution per 5-minute window, 52 at once, off by default") {
        val limits = ServiceProtectionLimits()
        limits.requestsPerWindow shouldBe 6000
        limits.executionTimePerWindow shouldBe Duration.ofMillis(1_200_000)
        limits.concurrentRequests shouldBe 52
        limits.window shouldBe Duration.ofSeconds(300)
        EmulatorOptions().serviceProtection shouldBe null
    }

    test("a time scale shrinks the window and its budgets alike, so the sustained rates stay the service's") {
        val limits = ServiceProtectionLimits(timeScale = 10)
        limits.scaledWindow shouldBe Duration.ofSeconds(30)
        limits.scaledRequestsPerWindow shouldBe 600
        limits.scaledExecutionTimePerWindow shouldBe Duration.ofMinutes(2)
        shouldThrow<IllegalArgumentException> { ServiceProtectionLimits(timeScale = 0) }
        ServiceProtectionLimits.builder().timeScale(10).build() shouldBe limits
    }

    test("the request after the limit in the window gets 429 0x80072322 with Retry-After until the oldest leaves; then it passes") {
        val clock = FakeClock()
        val protection = ServiceProtection(ServiceProtectionLimits(requestsPerWindow = 3), clock::nanos)
        repeat(3) {
            admitted(protection.admit("alice")).finish()
            clock.advance(Duration.ofSeconds(10))
        }
        val error = refused(protection.admit("alice"))
        error.status shouldBe 429
        error.code shouldBe "0x80072322"
        error.message shouldBe "Number of requests exceeded the limit of 3 over time window of 300 seconds."
        // The oldest started 30 s ago, so it leaves the 300 s window in 270 s.
        error.headers.toMap()["Retry-After"] shouldBe "270"
        clock.advance(Duration.ofSeconds(269))
        refused(protection.admit("alice")).code shouldBe "0x80072322"
        clock.advance(Duration.ofSeconds(1))
        admitted(protection.admit("alice")).finish()
    }

    test("every user has a window of their own") {
        val clock = FakeClock()
        val protection = ServiceProtection(ServiceProtectionLimits(requestsPerWindow = 2), clock::nanos)
        repeat(2) { admitted(protection.admit("alice")).finish() }
        refused(protection.admit("alice")).code shouldBe "0x80072322"
        repeat(2) { admitted(protection.admit("bob")).finish() }
        refused(protection.admit("bob")).code shouldBe "0x80072322"
    }

    test("combined execution time over the limit gets 429 0x80072321 with Retry-After until enough of it leaves the window") {
        val clock = FakeClock()
        val protection = ServiceProtection(ServiceProtectionLimits(executionTimePerWindow = Duration.ofSeconds(60)), clock::nanos)
        // Two requests of 40 s each, running at the same time: 80 s of execution in the window.
        val first = admitted(protection.admit("alice"))
        val second = admitted(protection.admit("alice"))
        clock.advance(Duration.ofSeconds(40))
        first.finish()
        second.finish()
        val error = refused(protection.admit("alice"))
        error.code shouldBe "0x80072321"
        error.message shouldBe "Combined execution time of incoming requests exceeded limit of 60,000  milliseconds over time window of 300 seconds. " +
            "Decrease number of concurrent requests or reduce the duration of requests and try again later."
        // Once the first 40 s leave (300 s after they ended), 40 s remain: under the limit.
        error.headers.toMap()["Retry-After"] shouldBe "300"
        admitted(protection.admit("bob")).finish()
        refused(protection.admit("alice")).code shouldBe "0x80072321"
        clock.advance(Duration.ofSeconds(300))
        admitted(protection.admit("alice")).finish()
    }

    test("the request past the concurrent limit is refused at once with 0x80072326; a finished one frees its slot") {
        val clock = FakeClock()
        val protection = ServiceProtection(ServiceProtectionLimits(concurrentRequests = 2), clock::nanos)
        val running = listOf(admitted(protection.admit("alice")), admitted(protection.admit("alice")))
        val error = refused(protection.admit("alice"))
        error.code shouldBe "0x80072326"
        error.message shouldBe "Number of concurrent requests exceeded the limit of 2."
        error.headers.toMap()["Retry-After"] shouldBe "1"
        admitted(protection.admit("bob")).finish()
        running[0].finish()
        running[0].finish() // finishing twice frees one slot only
        admitted(protection.admit("alice"))
        refused(protection.admit("alice")).code shouldBe "0x80072326"
    }

    test("over HTTP: per token, 429 with Retry-After and the typed code, x-ms-dop-hint on every answer, counted in the stats") {
        val limits = ServiceProtectionLimits(requestsPerWindow = 3, window = Duration.ofMinutes(5))
        DataverseEmulator.start(EmulatorOptions(serviceProtection = limits, dopHint = 7)).use { emulator ->
            TestClient(emulator, token = "user-a").use { a ->
                TestClient(emulator, token = "user-b").use { b ->
                    repeat(3) { a.get("WhoAmI").status shouldBe 200 }
                    val refused = a.get("WhoAmI")
                    refused.status shouldBe 429
                    refused.errorCode shouldBe "0x80072322"
                    (refused.headers["Retry-After"]!!.toInt() in 1..300) shouldBe true
                    refused.headers["x-ms-dop-hint"] shouldBe "7"
                    b.get("WhoAmI").status shouldBe 200
                    emulator.stats.serviceProtectionRefusals shouldBe 1
                }
            }
        }
    }
})
