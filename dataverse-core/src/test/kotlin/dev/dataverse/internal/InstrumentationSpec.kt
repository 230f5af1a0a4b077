package dev.dataverse.internal

import dev.dataverse.AttemptInfo
import dev.dataverse.AttemptObserver
import dev.dataverse.AuthenticationException
import dev.dataverse.ClientObserver
import dev.dataverse.DataverseClient
import dev.dataverse.DataverseException
import dev.dataverse.DataverseInstrumentation
import dev.dataverse.InstrumentedClient
import dev.dataverse.OperationInfo
import dev.dataverse.OperationObserver
import dev.dataverse.ThrottledException
import dev.dataverse.internal.MockDataverse.Companion.json
import dev.dataverse.internal.transport.HttpTransport
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeInstanceOf
import io.ktor.http.HttpStatusCode
import java.util.Collections
import java.util.concurrent.atomic.AtomicInteger

/** The core's side of instrumentation: what observers hear, exactly, and that a client without any pays nothing. */
class InstrumentationSpec : FunSpec({
    class Recorder : DataverseInstrumentation {
        val events: MutableList<String> = Collections.synchronizedList(mutableListOf())
        val retryErrors: MutableList<DataverseException> = Collections.synchronizedList(mutableListOf())
        lateinit var client: InstrumentedClient

        override fun bind(client: InstrumentedClient): ClientObserver {
            this.client = client
            events += "bind ${client.serverAddress}:${client.serverPort}"
            return object : ClientObserver {
                override fun operationStarted(operation: OperationInfo): OperationObserver {
                    events += "start ${operation.name} ${operation.table}"
                    return object : OperationObserver {
                        override fun attemptStarted(attempt: AttemptInfo): AttemptObserver {
                            events += "attempt ${attempt.attempt} ${attempt.method}"
                            return AttemptObserver { response, error -> events += "end ${response?.statusCode} ${error?.javaClass?.simpleName}" }
                        }

                        override fun retryScheduled(attempt: Int, delay: java.time.Duration, error: DataverseException) {
                            events += "retry $attempt after ${delay.toMillis()} ms"
                            retryErrors += error
                        }

                        override fun ended(error: Throwable?) {
                            events += "ended ${error?.javaClass?.simpleName}"
                        }
                    }
                }

                override fun tokenAcquired(elapsed: java.time.Duration, error: DataverseException?) {
                    events += "token ${error?.javaClass?.simpleName}"
                }

                override fun close() {
                    events += "close"
                }
            }
        }
    }

    test("a client without instrumentation has no telemetry stage and no observer") {
        val settings = DataverseClient.builder().environmentUrl(MockDataverse.BASE_URL).token("t").settings()
        HttpTransport(settings).use { it.instrumented shouldBe null }
    }

    test("a 401 is one retry, after a new token, and each attempt is heard with its number; close is heard once") {
        val recorder = Recorder()
        val tokens = AtomicInteger()
        val calls = AtomicInteger()
        MockDataverse({
            tokenProvider { dev.dataverse.AccessToken("token-${tokens.incrementAndGet()}", java.time.Instant.now().plusSeconds(3600)) }
            addInstrumentation(recorder)
        }) {
            if (calls.incrementAndGet() == 1) {
                json("""{"error":{"code":"0x80040220","message":"expired"}}""", HttpStatusCode.Unauthorized)
            } else {
                json("""{"UserId":"${java.util.UUID.randomUUID()}","BusinessUnitId":"${java.util.UUID.randomUUID()}","OrganizationId":"${java.util.UUID.randomUUID()}"}""")
            }
        }.use { it.client.whoAmI() }
        recorder.events shouldBe listOf(
            "bind contoso.crm.dynamics.com:443",
            "start whoAmI null",
            "token null", "attempt 1 GET", "end 401 AuthenticationException",
            "retry 1 after 0 ms",
            "token null", "attempt 2 GET", "end 200 null",
            "ended null",
            "close",
        )
        recorder.retryErrors.single().shouldBeInstanceOf<AuthenticationException>()
    }

    test("a throttle's retry is heard with the service's Retry-After, and a failure that ends the call with its error") {
        val recorder = Recorder()
        MockDataverse({ token("t"); retry(dev.dataverse.RetryOptions(maxAttempts = 2)); addInstrumentation(recorder) }) {
            json("""{"error":{"code":"0x80072322","message":"slow down"}}""", HttpStatusCode.TooManyRequests, "Retry-After" to "3")
        }.use { mock ->
            runCatching { mock.client.records.delete("account", java.util.UUID.randomUUID()) }.exceptionOrNull().shouldBeInstanceOf<ThrottledException>()
        }
        recorder.events.filter { it.startsWith("retry") || it.startsWith("ended") || it.startsWith("start") } shouldBe listOf(
            "start records.delete account", "retry 1 after 3000 ms", "ended ThrottledException",
        )
        recorder.client.concurrencyLimit shouldBe 52
        recorder.client.requestsInFlight shouldBe 0
    }
})
