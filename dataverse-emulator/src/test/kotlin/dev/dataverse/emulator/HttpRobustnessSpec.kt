package dev.dataverse.emulator

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldStartWith
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import java.net.Socket

class HttpRobustnessSpec : FunSpec({
    val emulator = DataverseEmulator.start()
    val client = TestClient(emulator)
    afterSpec {
        client.close()
        emulator.close()
    }
    beforeTest { emulator.reset() }

    /** Sends [request] on a fresh socket (closing after it) and returns everything the server wrote. */
    fun raw(request: String): String = Socket("127.0.0.1", emulator.port).use { socket ->
        socket.getOutputStream().write(request.toByteArray())
        socket.getOutputStream().flush()
        socket.getInputStream().readBytes().toString(Charsets.UTF_8)
    }

    /** The status line and the body of the answer to [request]. */
    fun exchange(request: String): Pair<String, String> = raw(request).let { it.lineSequence().first() to it.substringAfter("\r\n\r\n") }

    fun get(target: String, host: String) =
        exchange("GET $target HTTP/1.1\r\nHost: $host\r\nAuthorization: Bearer t\r\nPrefer: odata.maxpagesize=1\r\nConnection: close\r\n\r\n")

    // RFC 9112 §3.2.2: a server MUST accept the absolute form of a request target.
    test("RFC 9112 3.2.2: an absolute-form request target is served, and its authority is the host links are built for") {
        client.create("accounts", """{"name":"A"}""")
        client.create("accounts", """{"name":"B"}""")
        val (status, body) = get("http://proxy.example:8443/api/data/v9.2/accounts?\$select=name", "ignored.example")
        status shouldBe "HTTP/1.1 200 OK"
        val json = Json.parseToJsonElement(body).jsonObject
        json.getValue("@odata.nextLink").jsonPrimitive.content shouldStartWith "http://proxy.example:8443/api/data/v9.2/accounts?"
        json.getValue("@odata.context").jsonPrimitive.content shouldStartWith "http://proxy.example:8443/api/data/v9.2/\$metadata#accounts"
    }

    test("links are built from the request's Host, so a client behind a proxy can follow them; a malformed Host is not echoed") {
        client.create("accounts", """{"name":"A"}""")
        client.create("accounts", """{"name":"B"}""")
        val (_, body) = get("/api/data/v9.2/accounts", "localhost:${emulator.port}")
        val next = Json.parseToJsonElement(body).jsonObject.getValue("@odata.nextLink").jsonPrimitive.content
        next shouldStartWith "http://localhost:${emulator.port}/api/data/v9.2/accounts?"
        val (followed, second) = get(next, "localhost:${emulator.port}")
        followed shouldBe "HTTP/1.1 200 OK"
        second shouldContain "\"value\":["
        val (_, fallback) = get("/api/data/v9.2/accounts", "bad\"host")
        Json.parseToJsonElement(fallback).jsonObject.getValue("@odata.nextLink").jsonPrimitive.content shouldStartWith emulator.apiUrl
    }

    test("OData-EntityId of a create names the host the client addressed") {
        val response = raw(
            "POST /api/data/v9.2/accounts HTTP/1.1\r\nHost: gateway.test\r\nAuthorization: Bearer t\r\nContent-Type: application/json\r\n" +
                "Content-Length: 12\r\nConnection: close\r\n\r\n{\"name\":\"C\"}",
        )
        response.lineSequence().first() shouldBe "HTTP/1.1 204 No Content"
        response.lineSequence().first { it.startsWith("OData-EntityId:", ignoreCase = true) } shouldContain "http://gateway.test/api/data/v9.2/accounts("
    }
})
