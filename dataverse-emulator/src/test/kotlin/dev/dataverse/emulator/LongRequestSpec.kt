package dev.dataverse.emulator

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactlyInAnyOrder
import io.kotest.matchers.ints.shouldBeInRange
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.jsonObject
import java.io.ByteArrayOutputStream
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse

/**
 * Request heads up to the service's limits. Learn, "Compose HTTP requests and handle errors" (power-apps/developer/
 * data-platform/webapi/compose-http-requests-handle-errors), "Maximum URL length": the service accepts URLs of up to
 * 32 KB (32,768 characters), and 64 KB inside `$batch`. Longer request lines get 414 and oversized headers 431
 * (RFC 9110 §15.5.15, RFC 6585 §5): the service's own status for them is not documented.
 */
class LongRequestSpec : FunSpec({
    val emulator = DataverseEmulator.start()
    val client = TestClient(emulator)
    val jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
    afterSpec {
        client.close()
        emulator.close()
    }
    beforeTest { emulator.reset() }

    /** `name eq 'Long-00000' or name eq 'Long-00001' ...` with spaces percent-encoded, as long as [clauses] says. */
    fun orFilter(clauses: Int): String = (0 until clauses).joinToString("%20or%20") { "name%20eq%20'Long-${"%05d".format(it)}'" }

    /** A URL listing account names with [filter], padded by one more clause so that the URL is exactly [length] characters. */
    fun accountsUrl(filter: String, length: Int? = null): String {
        val base = "${emulator.apiUrl}/accounts?\$select=name&\$filter=$filter"
        if (length == null) return base
        val open = "%20or%20name%20eq%20'"
        val pad = length - base.length - open.length - 1
        require(pad >= 0) { "the filter alone is already longer than $length" }
        return "$base$open${"z".repeat(pad)}'"
    }

    fun get(url: String): HttpResponse<String> = jdk.send(
        HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer t").GET().build(),
        HttpResponse.BodyHandlers.ofString(),
    )

    fun names(response: HttpResponse<String>): List<String> =
        Json.parseToJsonElement(response.body()).jsonObject.array("value").map { it.jsonObject.text("name")!! }

    suspend fun createNames(vararg names: String) = names.forEach { client.create("accounts", """{"name":"$it"}""") }

    test("a GET with a 20 KB URL is served as a plain GET, with the rows its long filter selects") {
        createNames("Long-00003", "Long-00624", "Long-99999", "Other")
        val url = accountsUrl(orFilter(625))
        url.length shouldBeInRange 19_000..21_000
        val response = get(url)
        response.statusCode() shouldBe 200
        names(response) shouldContainExactlyInAnyOrder listOf("Long-00003", "Long-00624")
    }

    test("a GET with a 31 KB URL is served too, and one of exactly 32,768 characters") {
        createNames("Long-00000", "Long-00969", "Other")
        val url = accountsUrl(orFilter(970))
        url.length shouldBeInRange 31_000..32_000
        names(get(url).also { it.statusCode() shouldBe 200 }) shouldContainExactlyInAnyOrder listOf("Long-00000", "Long-00969")
        val limit = accountsUrl(orFilter(700), length = 32_768)
        limit.length shouldBe 32_768
        names(get(limit).also { it.statusCode() shouldBe 200 }) shouldContainExactlyInAnyOrder listOf("Long-00000")
    }

    test("a URL one character over 32 KB is refused with 414, and the connection serves the next request") {
        createNames("Long-00000")
        val over = accountsUrl(orFilter(700), length = 32_769)
        val counted = emulator.stats.requests
        val refused = get(over)
        refused.statusCode() shouldBe 414
        refused.body() shouldContain "32768"
        emulator.stats.requests shouldBe counted // refused in front of the API, like the engine's own refusals
        get(accountsUrl(orFilter(1))).statusCode() shouldBe 200
    }

    test("the URL is measured as the client addressed it: the Host a proxy forwarded counts, an absolute-form target is the URL") {
        val target = "/api/data/v9.2/accounts?\$select=name&\$filter=name%20eq%20'${"z".repeat(32_700)}'"
        val shortHost = RawHttp.exchange(emulator.port, "GET $target HTTP/1.1\r\nHost: h\r\nAuthorization: Bearer t\r\nConnection: close")
        shortHost.status shouldBe 200
        val longHost = "h".repeat(100)
        val refused = RawHttp.exchange(emulator.port, "GET $target HTTP/1.1\r\nHost: $longHost\r\nAuthorization: Bearer t\r\nConnection: close")
        refused.status shouldBe 414
        val absolute = RawHttp.exchange(emulator.port, "GET http://$longHost$target HTTP/1.1\r\nHost: h\r\nAuthorization: Bearer t\r\nConnection: close")
        absolute.status shouldBe 414
    }

    test("a request line longer than the engine reads is answered 414 URI Too Long before the connection ends") {
        val target = "/api/data/v9.2/accounts?\$filter=name%20eq%20'${"z".repeat(40_000)}'"
        RawHttp.connect(emulator.port).use { socket ->
            socket.getOutputStream().apply {
                write("GET $target HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer t\r\n\r\n".toByteArray(Charsets.ISO_8859_1))
                flush()
            }
            val input = socket.getInputStream()
            val answer = RawHttp.read(input)
            answer.statusLine shouldBe "HTTP/1.1 414 URI Too Long"
            answer.headers["connection"] shouldBe "close"
            answer.body shouldContain "32768"
            // Nothing follows: the emulator closes the connection, as what came after the line cannot be trusted.
            ByteArrayOutputStream().also { input.copyTo(it) }.size() shouldBe 0
        }
        emulator.stats.requests shouldBe 0
        client.get("WhoAmI").status shouldBe 200
    }

    test("headers beyond CIO's 8 KB are accepted; together over 64 KB they get 431 Request Header Fields Too Large") {
        val bigToken = "t".repeat(20_000)
        val accepted = RawHttp.exchange(
            emulator.port,
            "GET /api/data/v9.2/WhoAmI HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer $bigToken\r\nX-Extra: ${"x".repeat(20_000)}\r\nConnection: close",
        )
        accepted.status shouldBe 200
        val headers = (1..5).joinToString("\r\n") { "X-Padding-$it: ${"p".repeat(14_000)}" }
        val refused = RawHttp.exchange(emulator.port, "GET /api/data/v9.2/WhoAmI HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer t\r\n$headers")
        refused.statusLine shouldBe "HTTP/1.1 431 Request Header Fields Too Large"
        refused.headers["connection"] shouldBe "close"
        emulator.stats.requests shouldBe 1
    }

    test("over https the same limits hold: a 31 KB URL is served and a longer line refused") {
        DataverseEmulator.start(EmulatorOptions(tls = true)).use { secure ->
            val tlsClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(secure.clientSslContext()).build()
            val base = "${secure.apiUrl}/accounts?\$select=name&\$filter="
            val ok = tlsClient.send(
                HttpRequest.newBuilder(URI.create(base + orFilter(970))).header("Authorization", "Bearer t").build(),
                HttpResponse.BodyHandlers.ofString(),
            )
            ok.statusCode() shouldBe 200
            val refused = tlsClient.send(
                HttpRequest.newBuilder(URI.create(base + orFilter(1_100))).header("Authorization", "Bearer t").build(),
                HttpResponse.BodyHandlers.ofString(),
            )
            refused.statusCode() shouldBe 414
        }
    }
})
