package dev.dataverse.emulator

import io.kotest.assertions.throwables.shouldThrowAny
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContain
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldStartWith
import io.kotest.matchers.types.shouldBeInstanceOf
import kotlinx.serialization.SerializationException
import java.io.ByteArrayOutputStream
import java.net.Socket

class FaultsSpec : FunSpec({
    val emulator = DataverseEmulator.start(EmulatorOptions(faultSeed = 7))
    val client = TestClient(emulator)
    afterSpec {
        client.close()
        emulator.close()
    }
    beforeTest { emulator.reset() }

    fun fault(kind: FaultKind, path: String? = "accounts.*", retryAfter: Int = 1) =
        emulator.faults().add(FaultRule(kind, pathPattern = path, retryAfterSeconds = retryAfter))

    test("the three throttling faults answer 429 with the service's codes and the rule's Retry-After") {
        val expected = mapOf(
            FaultKind.THROTTLE_REQUESTS to ("0x80072322" to "Number of requests exceeded the limit of 6000 over time window of 300 seconds."),
            FaultKind.THROTTLE_EXECUTION_TIME to ("0x80072321" to "Combined execution time of incoming requests exceeded limit of 1,200,000"),
            FaultKind.THROTTLE_CONCURRENCY to ("0x80072326" to "Number of concurrent requests exceeded the limit of 52."),
        )
        for ((kind, codeAndMessage) in expected) {
            emulator.faults().clear()
            fault(kind, retryAfter = 3)
            val response = client.get("accounts")
            response.status shouldBe 429
            response.headers["Retry-After"] shouldBe "3"
            response.errorCode shouldBe codeAndMessage.first
            response.errorMessage shouldStartWith codeAndMessage.second
            emulator.stats.faultsInjected(kind) shouldBe 1
        }
        emulator.stats.faultsInjected shouldBe 3
        emulator.stats.throttled shouldBe 0
    }

    test("503 and 504 are answered without applying the request") {
        fault(FaultKind.SERVICE_UNAVAILABLE, retryAfter = 2)
        val unavailable = client.post("accounts", """{"name":"Not created"}""")
        unavailable.status shouldBe 503
        unavailable.headers["Retry-After"] shouldBe "2"
        emulator.faults().clear()
        fault(FaultKind.GATEWAY_TIMEOUT)
        client.post("accounts", """{"name":"Not created either"}""").status shouldBe 504
        emulator.faults().clear()
        emulator.recordCount("account") shouldBe 0
        client.get("accounts").status shouldBe 200
    }

    // Learn: reference/web-service-error-codes: RequestLengthTooLarge (413, 0x8004418a); gateway errors often carry an
    // HTML or empty body instead of Dataverse error JSON.
    test("web-service-error-codes: REQUEST_TOO_LARGE answers 413 0x8004418a; gateway faults answer HTML or nothing; none applies") {
        fault(FaultKind.REQUEST_TOO_LARGE)
        val tooLarge = client.post("accounts", """{"name":"Too large"}""")
        tooLarge.status shouldBe 413
        tooLarge.errorCode shouldBe "0x8004418a"
        emulator.faults().clear()
        for ((kind, status, body) in listOf(
            Triple(FaultKind.BAD_GATEWAY_HTML, 502, "<html>"),
            Triple(FaultKind.SERVICE_UNAVAILABLE_HTML, 503, "<html>"),
            Triple(FaultKind.GATEWAY_TIMEOUT_EMPTY, 504, ""),
        )) {
            fault(kind)
            val answer = client.post("accounts", """{"name":"$kind"}""")
            answer.status shouldBe status
            if (body.isEmpty()) answer.text shouldBe "" else answer.text shouldContain body
            emulator.faults().clear()
        }
        emulator.recordCount("account") shouldBe 0
        emulator.stats.faultsInjected(FaultKind.REQUEST_TOO_LARGE) shouldBe 1
    }

    test("a fault applies only to the methods and paths its rule names") {
        emulator.faults().add(FaultRule(FaultKind.SERVICE_UNAVAILABLE, methods = setOf("post"), pathPattern = "contacts"))
        client.post("accounts", """{"name":"Other path"}""").status shouldBe 204
        client.get("contacts").status shouldBe 200
        client.post("contacts", """{"lastname":"Hit"}""").status shouldBe 503
        client.post("contacts?x=1", """{"lastname":"Query ignored"}""").status shouldBe 503
        emulator.stats.faultsInjected(FaultKind.SERVICE_UNAVAILABLE) shouldBe 2
    }

    test("RESET_BEFORE_APPLY drops the connection without answering or applying; the client sees an I/O error, not a status") {
        fault(FaultKind.RESET_BEFORE_APPLY)
        shouldThrowAny { client.post("accounts", """{"name":"Lost"}""") }
        emulator.recordCount("account") shouldBe 0
        emulator.stats.faultsInjected(FaultKind.RESET_BEFORE_APPLY) shouldBe 1
        emulator.stats.disconnects shouldBe 0
        emulator.stats.inFlight shouldBe 0
    }

    test("RESET_AFTER_APPLY applies the request, then drops the connection the same way") {
        fault(FaultKind.RESET_AFTER_APPLY)
        shouldThrowAny { client.post("accounts", """{"name":"Applied"}""") }
        emulator.faults().clear()
        emulator.recordCount("account") shouldBe 1
        client.get("accounts?\$select=name").values.single().text("name") shouldBe "Applied"
    }

    test("on the wire a dropped connection carries no byte of a response, before or after applying") {
        for (kind in listOf(FaultKind.RESET_BEFORE_APPLY, FaultKind.RESET_AFTER_APPLY)) {
            emulator.faults().clear()
            fault(kind)
            val body = """{"name":"Raw $kind"}"""
            Socket("127.0.0.1", emulator.port).use { socket ->
                val request = "POST /api/data/v9.2/accounts HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer t\r\n" +
                    "Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n$body"
                socket.getOutputStream().write(request.toByteArray())
                socket.getOutputStream().flush()
                val received = ByteArrayOutputStream()
                val failure = runCatching { socket.getInputStream().copyTo(received) }.exceptionOrNull()
                received.size() shouldBe 0
                // The socket ends either cleanly (EOF) or with a reset, depending on what the kernel still had buffered.
                if (failure != null) failure.shouldBeInstanceOf<java.net.SocketException>()
            }
        }
        emulator.faults().clear()
        client.get("accounts?\$select=name").values.map { it.text("name") } shouldBe listOf("Raw RESET_AFTER_APPLY")
    }

    test("MALFORMED_BODY answers 200 with half a JSON body to a GET and an HTML page to a write, applying nothing") {
        client.create("accounts", """{"name":"Visible"}""")
        fault(FaultKind.MALFORMED_BODY)
        val read = client.get("accounts")
        read.status shouldBe 200
        read.headers["Content-Type"]!! shouldStartWith "application/json"
        read.text shouldStartWith "{\"@odata.context\""
        shouldThrowAny { read.json }.shouldBeInstanceOfSerialization()
        val write = client.post("accounts", """{"name":"Not created"}""")
        write.status shouldBe 200
        write.headers["Content-Type"]!! shouldStartWith "text/html"
        write.text shouldContain "<html>"
        emulator.faults().clear()
        emulator.recordCount("account") shouldBe 1
    }

    test("EXPIRED_TOKEN answers 401 with the service's error body and an invalid_token challenge") {
        fault(FaultKind.EXPIRED_TOKEN, path = null)
        val response = client.get("WhoAmI")
        response.status shouldBe 401
        response.errorCode shouldBe "0x80072560"
        response.errorMessage shouldContain "expired"
        response.headers["WWW-Authenticate"]!! shouldContain "error=\"invalid_token\""
    }

    test("LATENCY serves the request normally after the delay, counting it in flight meanwhile") {
        emulator.faults().add(FaultRule(FaultKind.LATENCY, latencyMillis = 50))
        val response = client.post("accounts", """{"name":"Slow"}""")
        response.status shouldBe 204
        emulator.recordCount("account") shouldBe 1
        emulator.stats.faultsInjected(FaultKind.LATENCY) shouldBe 1
        emulator.stats.maxInFlight shouldBe 1
    }

    test("the first matching rule whose dice hits applies; a rule with probability 0 never does") {
        emulator.faults().add(FaultRule(FaultKind.GATEWAY_TIMEOUT, probability = 0.0))
        emulator.faults().add(FaultRule(FaultKind.SERVICE_UNAVAILABLE, pathPattern = "WhoAmI"))
        emulator.faults().add(FaultRule(FaultKind.THROTTLE_REQUESTS))
        client.get("WhoAmI").status shouldBe 503
        client.get("accounts").status shouldBe 429
        emulator.stats.faultsInjected(FaultKind.GATEWAY_TIMEOUT) shouldBe 0
    }

    test("the same seed and the same request sequence inject the same faults") {
        fun sequence(seed: Long): List<Int> = DataverseEmulator.start(EmulatorOptions(faultSeed = seed)).use { seeded ->
            seeded.faults().add(FaultRule(FaultKind.SERVICE_UNAVAILABLE, probability = 0.5, pathPattern = "WhoAmI"))
            seeded.faults().add(FaultRule(FaultKind.THROTTLE_REQUESTS, probability = 0.3))
            TestClient(seeded).use { seededClient ->
                kotlinx.coroutines.runBlocking { (1..60).map { seededClient.get(if (it % 2 == 0) "WhoAmI" else "accounts").status } }
            }
        }
        val first = sequence(42)
        first shouldBe sequence(42)
        first shouldContain 200
        first shouldContain 503
        first shouldContain 429
        sequence(43) shouldNotBe first
    }

    test("reset restarts the dice from the seed, so a test can replay a sequence in one emulator") {
        fun statuses(): List<Int> {
            emulator.faults().add(FaultRule(FaultKind.SERVICE_UNAVAILABLE, probability = 0.5))
            return kotlinx.coroutines.runBlocking { (1..30).map { client.get("WhoAmI").status } }
        }
        val first = statuses()
        emulator.reset()
        statuses() shouldBe first
        emulator.stats.faultsInjected shouldBe first.count { it == 503 }.toLong()
    }
})

private fun Throwable.shouldBeInstanceOfSerialization() {
    (this is SerializationException || this is IllegalArgumentException) shouldBe true
}
