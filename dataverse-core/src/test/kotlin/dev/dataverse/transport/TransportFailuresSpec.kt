package dev.dataverse.transport

import dev.dataverse.AccessToken
import dev.dataverse.AuthenticationException
import dev.dataverse.ConnectionFailedException
import dev.dataverse.DataverseClient
import dev.dataverse.DataverseException
import dev.dataverse.HttpEngine
import dev.dataverse.MalformedResponseException
import dev.dataverse.RequestTimeoutException
import dev.dataverse.RetryOptions
import dev.dataverse.TlsHandshakeException
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.ints.shouldBeGreaterThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldNotContain
import java.net.InetAddress
import java.net.ServerSocket
import java.time.Instant
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicBoolean
import kotlin.time.Duration.Companion.milliseconds

/**
 * The client against servers that fail below HTTP or answer with hostile content, on every engine: each failure ends as
 * its typed exception, is retried only where replaying is safe, and never carries the token anywhere but the origin.
 */
class TransportFailuresSpec : FunSpec({
    val token = "secret-token-4c3f2a"

    fun client(url: String, engine: HttpEngine, configure: DataverseClient.Builder.() -> Unit = {}) = DataverseClient {
        environmentUrl(url)
        token(token)
        httpEngine(engine)
        retry(RetryOptions(maxAttempts = 3, baseDelay = 1.milliseconds, maxDelay = 5.milliseconds))
        configure()
    }

    fun url(server: RawServer) = "http://127.0.0.1:${server.port}"

    for (engine in HttpEngine.entries) {
        context("on the $engine engine") {
            test("a refused connection is a transient ConnectionFailedException, retried, with nothing sent") {
                val port = ServerSocket(0, 1, InetAddress.getLoopbackAddress()).use { it.localPort }
                client("http://127.0.0.1:$port", engine).use { client ->
                    val error = shouldThrow<ConnectionFailedException> { client.whoAmI() }
                    error.isTransient shouldBe true
                    error.mayHaveBeenApplied shouldBe false
                    error.attempts shouldBe 3
                }
            }

            test("an unknown host is a ConnectionFailedException") {
                client("https://no-such-host.invalid", engine) { retry(RetryOptions.NONE); connectTimeout(java.time.Duration.ofSeconds(5)) }.use { client ->
                    shouldThrow<ConnectionFailedException> { client.whoAmI() }.mayHaveBeenApplied shouldBe false
                }
            }

            test("a redirect is not followed: its status is the answer and the other host is never contacted") {
                RawServer { it.respond(200, RawExchange.WHO_AM_I); true }.use { elsewhere ->
                    RawServer { it.respond(307, "", "Location" to "${url(elsewhere)}/api/data/v9.2/WhoAmI"); true }.use { server ->
                        client(url(server), engine).use { client ->
                            shouldThrow<DataverseException> { client.whoAmI() }.statusCode shouldBe 307
                        }
                        elsewhere.connections.get() shouldBe 0
                    }
                }
            }

            test("a response cut short is a ConnectionFailedException; a read is retried, and each attempt was sent") {
                RawServer {
                    it.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"UserId\":")
                    false
                }.use { server ->
                    client(url(server), engine).use { client ->
                        val error = shouldThrow<ConnectionFailedException> { client.whoAmI() }
                        error.mayHaveBeenApplied shouldBe true
                        error.attempts shouldBe 3
                    }
                    server.requests.size shouldBe 3
                }
            }

            test("a server that never answers ends in a RequestTimeoutException after the request timeout") {
                val release = CountDownLatch(1)
                RawServer { release.await(30, TimeUnit.SECONDS); false }.use { server ->
                    client(url(server), engine) { retry(RetryOptions.NONE); requestTimeout(java.time.Duration.ofMillis(300)) }.use { client ->
                        shouldThrow<RequestTimeoutException> { client.whoAmI() }.mayHaveBeenApplied shouldBe true
                    }
                    release.countDown()
                }
            }

            test("a body that trickles in slower than the request timeout allows is cut off by it") {
                RawServer {
                    it.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n")
                    repeat(1000) { _ -> it.write(" "); Thread.sleep(50) }
                    false
                }.use { server ->
                    client(url(server), engine) { retry(RetryOptions.NONE); requestTimeout(java.time.Duration.ofMillis(500)) }.use { client ->
                        shouldThrow<RequestTimeoutException> { client.whoAmI() }
                    }
                }
            }

            test("an endless body stops at maxResponseBytes with a MalformedResponseException, and the connection is dropped") {
                val hungUp = AtomicBoolean()
                RawServer {
                    it.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                    val chunk = "4000\r\n" + " ".repeat(0x4000) + "\r\n"
                    try {
                        while (true) it.write(chunk)
                    } catch (e: java.io.IOException) {
                        hungUp.set(true)
                    }
                    false
                }.use { server ->
                    client(url(server), engine) { maxResponseBytes(256L * 1024) }.use { client ->
                        val error = shouldThrow<MalformedResponseException> { client.whoAmI() }
                        error.message shouldContain "limit of 262144 bytes"
                        error.attempts shouldBe 1
                    }
                    eventually { hungUp.get() }
                    server.requests.size shouldBe 1
                }
            }

            test("a declared length over maxResponseBytes is refused before the body is read") {
                RawServer { it.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 999999999\r\n\r\n{"); false }.use { server ->
                    client(url(server), engine) { maxResponseBytes(1024L * 1024) }.use { client ->
                        shouldThrow<MalformedResponseException> { client.whoAmI() }.message shouldContain "declares 999999999 bytes"
                    }
                }
            }

            test("a server that closes each connection after answering: reads go on through fresh connections") {
                RawServer {
                    it.respond(200, RawExchange.WHO_AM_I)
                    Thread.sleep(5)
                    false
                }.use { server ->
                    client(url(server), engine).use { client -> repeat(20) { client.whoAmI() } }
                    server.connections.get() shouldBeGreaterThan 19
                }
            }

            test("a POST that cannot be made replay-safe is not sent again after its connection broke") {
                RawServer {
                    if (it.requestLine.startsWith("POST")) {
                        false // read, then the connection closes without an answer: the service may have applied it
                    } else {
                        it.respond(404, """{"error":{"code":"0x80040217","message":"Could not find an entity"}}""")
                        true
                    }
                }.use { server ->
                    client(url(server), engine).use { client ->
                        val error = shouldThrow<ConnectionFailedException> { client.tables.create(dev.dataverse.TableSpec("new_Product", "Product")) }
                        error.mayHaveBeenApplied shouldBe true
                        error.attempts shouldBe 1
                    }
                    server.requests.count { it.startsWith("POST") } shouldBe 1
                }
            }

            test("a server that echoes the token gets it redacted from the exception message") {
                RawServer {
                    val echoed = it.header("Authorization")
                    it.respond(400, """{"error":{"code":"0x80040203","message":"bad header $echoed, token ${echoed?.removePrefix("Bearer ")}"}}""")
                    true
                }.use { server ->
                    client(url(server), engine).use { client ->
                        val error = shouldThrow<DataverseException> { client.whoAmI() }
                        generateSequence<Throwable>(error) { it.cause }.forEach { (it.message ?: "") shouldNotContain token }
                        error.message shouldContain "<redacted>"
                    }
                }
            }

            test("a token with a control character is invalid credentials: not retried, nothing sent, not quoted") {
                RawServer { it.respond(200, RawExchange.WHO_AM_I); true }.use { server ->
                    DataverseClient {
                        environmentUrl(url(server))
                        httpEngine(engine)
                        tokenProvider { AccessToken("abc\u0001X-Injected: 1", Instant.MAX) }
                    }.use { client ->
                        val error = shouldThrow<AuthenticationException> { client.whoAmI() }
                        error.attempts shouldBe 1
                        error.isTransient shouldBe false
                        error.message shouldNotContain "X-Injected"
                    }
                    server.requests.shouldBeEmpty()
                }
            }

            test("an untrusted certificate fails with TlsHandshakeException, once, before the token is sent") {
                RawServer(TestTls.serverContext.serverSocketFactory) { it.respond(200, RawExchange.WHO_AM_I); true }.use { server ->
                    client("https://127.0.0.1:${server.port}", engine).use { client ->
                        val error = shouldThrow<TlsHandshakeException> { client.whoAmI() }
                        error.isTransient shouldBe false
                        error.attempts shouldBe 1
                    }
                    server.requests.shouldBeEmpty()
                }
            }

            test("a certificate trusted through sslContext is accepted") {
                RawServer(TestTls.serverContext.serverSocketFactory) {
                    it.respond(200, RawExchange.WHO_AM_I)
                    true
                }.use { server ->
                    client("https://127.0.0.1:${server.port}", engine) { sslContext(TestTls.clientContext, TestTls.trustManager) }.use { client ->
                        client.whoAmI().userId.toString() shouldBe "11111111-2222-3333-4444-555555555555"
                    }
                    // Checked here, not in the handler: a failed assertion there would only drop the connection.
                    server.requests.single().lowercase() shouldContain "authorization: bearer ${token.lowercase()}"
                }
            }
        }
    }

    test("CIO with an SSLContext but no trust manager is refused at build, naming the way out") {
        shouldThrow<dev.dataverse.InvalidInputException> {
            DataverseClient { environmentUrl("https://contoso.crm.dynamics.com"); token(token); httpEngine(HttpEngine.CIO); sslContext(TestTls.clientContext) }
        }.message shouldContain "sslContext(context, trustManager)"
    }
})

/** Polls [condition] until it holds; a guard against a hang, not a timing assertion. */
internal suspend fun eventually(condition: () -> Boolean) {
    repeat(3000) {
        if (condition()) return
        kotlinx.coroutines.delay(10)
    }
    throw AssertionError("The condition did not hold within 30 seconds")
}
