package dev.dataverse.internal

import dev.dataverse.ConnectionFailedException
import dev.dataverse.DataverseException
import dev.dataverse.HttpPolicy
import dev.dataverse.InvalidInputException
import dev.dataverse.RequestTimeoutException
import dev.dataverse.RetryOptions
import dev.dataverse.internal.MockDataverse.Companion.json
import dev.dataverse.internal.protocol.EnvironmentUrl
import dev.dataverse.internal.transport.OriginGuard
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.longs.shouldBeLessThan
import io.kotest.matchers.longs.shouldBeLessThanOrEqual
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.ktor.client.plugins.HttpTimeoutCapability
import io.ktor.http.HttpStatusCode
import java.util.Collections
import java.util.UUID
import java.util.concurrent.atomic.AtomicInteger
import kotlin.time.Duration.Companion.minutes
import kotlin.time.Duration.Companion.seconds
import kotlin.time.TestTimeSource

class PipelineSpec : FunSpec({
    val whoAmI = """{"UserId":"${UUID.randomUUID()}","BusinessUnitId":"${UUID.randomUUID()}","OrganizationId":"${UUID.randomUUID()}"}"""

    test("policies run in the order added, once per attempt, after the standard headers and without seeing the token") {
        val seen = Collections.synchronizedList(mutableListOf<String>())
        val calls = AtomicInteger()
        MockDataverse({
            token("secret-token")
            addPolicy { request ->
                seen += "first ${request.attempt} ${request.header("x-ms-client-request-id") == request.clientRequestId} ${request.header("Authorization")}"
                request.setHeader("x-trace", "a")
            }
            addPolicy(object : HttpPolicy {
                override fun onRequest(request: HttpPolicy.Request) {
                    seen += "second ${request.header("x-trace")}"
                    request.setHeader("x-trace", "b")
                }

                override fun onResponse(request: HttpPolicy.Request, response: HttpPolicy.Response) {
                    seen += "response ${response.statusCode} ${response.header("Content-Type")}"
                }
            })
        }) { if (calls.incrementAndGet() == 1) json("""{"error":{"code":"0x0","message":"busy"}}""", HttpStatusCode.ServiceUnavailable) else json(whoAmI) }
            .use { mock ->
                mock.client.whoAmI()
                seen shouldContainExactly listOf(
                    "first 1 true null", "second a", "response 503 application/json",
                    "first 2 true null", "second a", "response 200 application/json",
                )
                mock.requests.map { it.headers["x-trace"] } shouldBe listOf("b", "b")
                mock.requests.map { it.headers["Authorization"] } shouldBe listOf("Bearer secret-token", "Bearer secret-token")
            }
    }

    test("a policy cannot set the token, headers the HTTP layer owns, or values that would break the header block") {
        for ((name, value) in listOf("Authorization" to "Bearer x", "host" to "evil.example", "Content-Length" to "1", "x-ok" to "a\r\nX: y", "bad name" to "v")) {
            MockDataverse({ token("t"); addPolicy { it.setHeader(name, value) } }) { json(whoAmI) }.use { mock ->
                shouldThrow<InvalidInputException> { mock.client.whoAmI() }
                mock.requests.size shouldBe 0
            }
        }
    }

    test("a policy's own failure fails the call as a DataverseException; onFailure sees transport failures") {
        MockDataverse({ token("t"); addPolicy { error("boom") } }) { json(whoAmI) }.use { mock ->
            shouldThrow<DataverseException> { mock.client.whoAmI() }.message shouldContain "boom"
        }
        val failures = AtomicInteger()
        MockDataverse({
            token("t")
            retry(RetryOptions.NONE)
            addPolicy(object : HttpPolicy {
                override fun onRequest(request: HttpPolicy.Request) = Unit
                override fun onFailure(request: HttpPolicy.Request, error: DataverseException) {
                    if (error is ConnectionFailedException) failures.incrementAndGet()
                }
            })
        }) { throw java.io.IOException("reset") }.use { mock ->
            shouldThrow<ConnectionFailedException> { mock.client.whoAmI() }
            failures.get() shouldBe 1
        }
    }

    test("a silent server ends inside the retry budget: the last attempt's timeout is cut to the budget left") {
        val time = TestTimeSource()
        val timeouts = Collections.synchronizedList(mutableListOf<Long>())
        MockDataverse({
            token("t")
            timeSource = time
            delay = { time += it }
        }) { request ->
            val timeout = request.getCapabilityOrNull(HttpTimeoutCapability)!!.requestTimeoutMillis!!
            timeouts += timeout
            time += timeout.let { kotlin.time.Duration.parse("${it}ms") }
            throw java.net.SocketTimeoutException("read timed out")
        }.use { mock ->
            val started = time.markNow()
            val error = shouldThrow<RequestTimeoutException> { mock.client.whoAmI() }
            // Defaults: 2-minute request timeout, 5-minute budget.
            started.elapsedNow().inWholeMilliseconds shouldBeLessThanOrEqual 5.minutes.inWholeMilliseconds
            timeouts.take(2) shouldBe listOf(120_000L, 120_000L)
            timeouts.size shouldBe 3
            timeouts[2] shouldBeLessThan 60_000L
            error.attempts shouldBe 3
        }
    }

    test("no attempt starts when less than a second of the budget would be left") {
        val time = TestTimeSource()
        val attempts = AtomicInteger()
        MockDataverse({
            token("t")
            timeSource = time
            delay = { time += it }
            requestTimeout(java.time.Duration.ofSeconds(10))
            retry(RetryOptions(maxAttempts = 10, maxElapsed = 20.seconds, baseDelay = kotlin.time.Duration.ZERO))
        }) {
            attempts.incrementAndGet()
            time += 9.5.seconds
            throw java.io.IOException("reset")
        }.use { mock ->
            shouldThrow<ConnectionFailedException> { mock.client.whoAmI() }
            // 0 → 9.5 → 19 s: a third attempt would have 1 s left, the minimum; a fourth is never started.
            attempts.get() shouldBe 3
        }
    }

    test("the final URL check refuses control characters and whitespace whatever built the URL, and foreign origins") {
        val guard = OriginGuard(EnvironmentUrl.parse("https://contoso.crm.dynamics.com"), "https://contoso.crm.dynamics.com/api/data/v9.2")
        guard.resolve("accounts?\$top=1") shouldBe "https://contoso.crm.dynamics.com/api/data/v9.2/accounts?\$top=1"
        val bad = listOf(
            "accounts(1) HTTP/1.1\r\nX-Injected: 1\r\n\r\nDELETE /api/data/v9.2/accounts(2)", "accounts?\$filter=a eq 1", "accounts\t",
            "accounts\u0000", "accounts\u0085", "accounts\u2028", "https://contoso.crm.dynamics.com/api/data/v9.2/accounts?x=\n",
            "https://evil.example/api/data/v9.2/accounts", "https://contoso.crm.dynamics.com/other",
        )
        for (target in bad) shouldThrow<InvalidInputException> { guard.resolve(target) }.message shouldContain "Refusing"
    }
})
