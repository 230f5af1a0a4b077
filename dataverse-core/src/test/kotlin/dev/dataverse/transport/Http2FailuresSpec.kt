package dev.dataverse.transport

import dev.dataverse.ConnectionFailedException
import dev.dataverse.DataverseClient
import dev.dataverse.RetryOptions
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlin.time.Duration.Companion.milliseconds

/**
 * HTTP/2 over TLS on the default transport: negotiated by ALPN, and a stream the server resets or a connection it ends
 * with GOAWAY is retried like a dropped connection — for requests that are safe to replay.
 */
class Http2FailuresSpec : FunSpec({
    fun client(server: Http2Server, retry: RetryOptions = RetryOptions(maxAttempts = 3, baseDelay = 1.milliseconds, maxDelay = 5.milliseconds)) =
        DataverseClient {
            environmentUrl("https://127.0.0.1:${server.port}")
            token("h2-token")
            sslContext(TestTls.clientContext)
            retry(retry)
        }

    test("a reset stream is retried like a dropped connection, on the same HTTP/2 connection") {
        Http2Server { stream -> if (stream.id == 1) stream.reset() else stream.ok(RawExchange.WHO_AM_I) }.use { server ->
            client(server).use { client -> client.whoAmI().userId.toString() shouldBe "11111111-2222-3333-4444-555555555555" }
            server.requests.get() shouldBe 2
            server.connections.get() shouldBe 1
        }
    }

    test("GOAWAY mid-request is retried on a new connection") {
        Http2Server { stream -> if (stream.connection == 1) stream.goAwayAndClose() else stream.ok(RawExchange.WHO_AM_I) }.use { server ->
            client(server).use { client -> client.whoAmI().userId.toString() shouldBe "11111111-2222-3333-4444-555555555555" }
            server.requests.get() shouldBe 2
            server.connections.get() shouldBe 2
        }
    }

    test("without retries, a reset stream is a ConnectionFailedException that may have been applied") {
        Http2Server { stream -> stream.reset() }.use { server ->
            client(server, RetryOptions.NONE).use { client ->
                val error = shouldThrow<ConnectionFailedException> { client.whoAmI() }
                error.mayHaveBeenApplied shouldBe true
                error.isTransient shouldBe true
            }
        }
    }
})
