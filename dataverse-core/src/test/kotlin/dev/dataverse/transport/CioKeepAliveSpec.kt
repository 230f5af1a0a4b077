package dev.dataverse.transport

import dev.dataverse.ConnectionFailedException
import dev.dataverse.DataverseClient
import dev.dataverse.HttpEngine
import dev.dataverse.MessageRequest
import dev.dataverse.RetryOptions
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldStartWith
import java.net.Socket
import java.util.Collections
import java.util.IdentityHashMap
import java.util.UUID

/**
 * The keep-alive of `httpEngine(HttpEngine.CIO)` against a server that frames and closes as it is told (RFC 9112 §6.3,
 * §7.1 and §9.6): a connection is reused only after a response read to its exact end and not marked `Connection: close`;
 * a chunked answer is decoded whole; a GET that meets a pooled connection the server had closed goes out again on a new
 * one, a POST does not (the server may have applied it). Connections are counted by the server; nothing is timed.
 */
class CioKeepAliveSpec : FunSpec({
    val user = UUID.fromString("11111111-2222-3333-4444-555555555555")

    fun client(server: RawServer) = DataverseClient {
        environmentUrl("http://127.0.0.1:${server.port}")
        token("t")
        httpEngine(HttpEngine.CIO)
        retry(RetryOptions(maxAttempts = 1))
    }

    test("answers with a Content-Length are read to their end and the connection carries the next request") {
        RawServer { it.respond(200, RawExchange.WHO_AM_I); true }.use { server ->
            client(server).use { client -> repeat(5) { client.whoAmI().userId shouldBe user } }
            server.connections.get() shouldBe 1
            server.requests shouldHaveSize 5
        }
    }

    test("a chunked answer with an extension and a trailer is decoded whole, and the connection reused") {
        val body = RawExchange.WHO_AM_I
        val chunked = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" +
            "a;name=value\r\n${body.take(10)}\r\n" + "${(body.length - 10).toString(16)}\r\n${body.drop(10)}\r\n" +
            "0\r\nX-Trailer: t\r\n\r\n"
        RawServer { it.write(chunked); true }.use { server ->
            client(server).use { client -> repeat(3) { client.whoAmI().userId shouldBe user } }
            server.connections.get() shouldBe 1
        }
    }

    test("an answer with Connection: close is read, and the next request opens a new connection") {
        RawServer { it.respond(200, RawExchange.WHO_AM_I, "Connection" to "close"); false }.use { server ->
            client(server).use { client -> repeat(3) { client.whoAmI().userId shouldBe user } }
            server.connections.get() shouldBe 3
        }
    }

    test("a body that ends when the server closes (no length, not chunked) is read whole, and its connection not reused") {
        RawServer {
            it.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n${RawExchange.WHO_AM_I}")
            false
        }.use { server ->
            client(server).use { client -> repeat(2) { client.whoAmI().userId shouldBe user } }
            server.connections.get() shouldBe 2
        }
    }

    test("an HTTP/1.0 answer without keep-alive is not reused") {
        RawServer {
            val bytes = RawExchange.WHO_AM_I.toByteArray()
            it.write("HTTP/1.0 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${bytes.size}\r\n\r\n${RawExchange.WHO_AM_I}")
            true
        }.use { server ->
            client(server).use { client -> repeat(2) { client.whoAmI().userId shouldBe user } }
            server.connections.get() shouldBe 2
        }
    }

    test("a malformed chunk size fails the call as a broken connection, and the next call opens a new connection") {
        var first = true
        RawServer {
            if (first) {
                first = false
                it.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n")
            } else {
                it.respond(200, RawExchange.WHO_AM_I)
            }
            true
        }.use { server ->
            client(server).use { client ->
                shouldThrow<ConnectionFailedException> { client.whoAmI() }.message!! shouldStartWith "GET"
                client.whoAmI().userId shouldBe user
            }
            server.connections.get() shouldBe 2
        }
    }

    context("a pooled connection that the server closes when the next request arrives, without answering it") {
        /** Answers the first request of each connection; closes the connection at its second. */
        fun closingAtSecondRequest(): RawServer {
            val answered = Collections.synchronizedSet(Collections.newSetFromMap(IdentityHashMap<Socket, Boolean>()))
            return RawServer { exchange ->
                if (answered.add(exchange.socket)) {
                    exchange.respond(200, RawExchange.WHO_AM_I)
                    true
                } else {
                    false
                }
            }
        }

        test("a GET goes out again on a new connection, once") {
            closingAtSecondRequest().use { server ->
                client(server).use { client -> repeat(2) { client.whoAmI().userId shouldBe user } }
                server.connections.get() shouldBe 2
                server.requests shouldHaveSize 3
            }
        }

        test("a POST is not sent again: it fails as a broken connection") {
            closingAtSecondRequest().use { server ->
                client(server).use { client ->
                    client.whoAmI().userId shouldBe user
                    shouldThrow<ConnectionFailedException> { client.messages.execute(MessageRequest.action("sample_Do") { parameter("X", 1) }) }
                }
                server.requests.map { it.substringBefore(' ') } shouldBe listOf("GET", "POST")
                server.connections.get() shouldBe 1
            }
        }
    }
})
