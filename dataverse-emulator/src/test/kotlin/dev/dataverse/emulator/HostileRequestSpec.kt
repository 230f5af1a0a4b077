package dev.dataverse.emulator

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.ints.shouldBeGreaterThanOrEqual
import io.kotest.matchers.longs.shouldBeLessThan
import io.kotest.matchers.nulls.shouldNotBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.ktor.http.HttpMethod
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive

/**
 * Requests an attacker would send, and what the emulator must still do: check the token before reading a body, cap
 * bodies (413 `0x8004418a`, reference/web-service-error-codes RequestLengthTooLarge), keep its admin API out of a
 * browser's reach, bound how deep it parses, and never store a file name that would break its own download headers.
 */
class HostileRequestSpec : FunSpec({
    val small = 1024L * 1024
    val emulator = DataverseEmulator.start(EmulatorOptions(requiredToken = "right-token", maxRequestBodyBytes = small))
    emulator.addFileColumns(maxKb = 64)
    val client = TestClient(emulator, token = "right-token")
    val files = FileTestClient(emulator, token = "right-token")
    val host = "127.0.0.1:${emulator.port}"
    afterSpec {
        files.close()
        client.close()
        emulator.close()
    }
    beforeTest { emulator.reset() }

    /** The answers to a `$batch` of [body] (boundary `batch_test`); a batch stopped by a failure has that failure's status. */
    suspend fun batchAnswers(body: String, headers: Map<String, String> = emptyMap()): List<BatchAnswer> {
        val response = client.batch(body, "batch_test", headers)
        return BatchResponseReader.answers(response.headers["Content-Type"]!!, response.text)
    }

    fun adminHead(method: String, path: String, vararg headers: String) =
        (listOf("$method /_emulator$path HTTP/1.1", "Host: $host", "Authorization: Bearer right-token", "Connection: close") + headers)
            .joinToString("\r\n")

    test("a request without the token is refused before its body is read, whatever length it declares") {
        val answer = RawHttp.exchange(
            emulator.port,
            "POST /api/data/v9.2/accounts HTTP/1.1\r\nHost: $host\r\nContent-Type: application/json\r\nContent-Length: 1073741824",
        )
        answer.status shouldBe 401
        answer.headers["connection"] shouldBe "close"
        client.get("WhoAmI").status shouldBe 200
    }

    test("a declared length above the cap is answered 413 0x8004418a at once, before the body") {
        val answer = RawHttp.exchange(
            emulator.port,
            "POST /api/data/v9.2/accounts HTTP/1.1\r\nHost: $host\r\nAuthorization: Bearer right-token\r\nContent-Type: application/json\r\n" +
                "Content-Length: ${small + 1}",
        )
        answer.status shouldBe 413
        Json.parseToJsonElement(answer.body).jsonObject.getValue("error").jsonObject.getValue("code").jsonPrimitive.content shouldBe "0x8004418a"
        emulator.recordCount("account") shouldBe 0
    }

    test("a chunked body that passes the cap is answered 413 and cut off; the emulator keeps answering") {
        val (answer, written) = RawHttp.endlessChunkedPost(emulator.port, "/api/data/v9.2/accounts", "Bearer right-token", maxBytes = 64 * small)
        answer.shouldNotBeNull().status shouldBe 413
        answer.body shouldContain "0x8004418a"
        written shouldBeLessThan 64 * small
        client.get("WhoAmI").status shouldBe 200
        // A body within the cap is still welcome.
        client.post("accounts", """{"name":"within"${" ".repeat(500_000)}}""").status shouldBe 204
    }

    test("the admin API needs the token when one is configured") {
        RawHttp.exchange(emulator.port, "GET /_emulator/stats HTTP/1.1\r\nHost: $host\r\nConnection: close").status shouldBe 401
        RawHttp.exchange(emulator.port, adminHead("GET", "/stats")).status shouldBe 200
    }

    test("a cross-site text/plain POST cannot add a fault rule, nor a form POST reset the data") {
        client.create("accounts", """{"name":"Kept"}""")
        val rule = """{"kind":"SERVICE_UNAVAILABLE","probability":1.0}"""
        val crossSite = RawHttp.exchange(
            emulator.port,
            adminHead("POST", "/faults", "Origin: https://evil.example", "Content-Type: text/plain", "Content-Length: ${rule.length}"),
            rule.toByteArray(),
        )
        crossSite.status shouldBe 403
        val plain = RawHttp.exchange(emulator.port, adminHead("POST", "/faults", "Content-Type: text/plain", "Content-Length: ${rule.length}"), rule.toByteArray())
        plain.status shouldBe 415
        val form = RawHttp.exchange(
            emulator.port,
            adminHead("POST", "/reset", "Content-Type: application/x-www-form-urlencoded", "Content-Length: 3"),
            "a=b".toByteArray(),
        )
        form.status shouldBe 415
        val fetched = RawHttp.exchange(emulator.port, adminHead("POST", "/reset", "Sec-Fetch-Site: cross-site", "Content-Type: application/json", "Content-Length: 0"))
        fetched.status shouldBe 403
        emulator.faults().rules().shouldBeEmpty()
        emulator.recordCount("account") shouldBe 1
        // The emulator's own origin, with JSON, is served.
        RawHttp.exchange(
            emulator.port,
            adminHead("POST", "/faults", "Origin: http://$host", "Content-Type: application/json", "Content-Length: ${rule.length}"),
            rule.toByteArray(),
        ).status shouldBe 201
        emulator.faults().rules() shouldHaveSize 1
    }

    test("a Host other than the emulator's own loopback address and port is refused (DNS rebinding)") {
        for (forged in listOf("evil.example:${emulator.port}", "127.0.0.1:1", "localhost.evil.example:${emulator.port}")) {
            val answer = RawHttp.exchange(emulator.port, "GET /_emulator/stats HTTP/1.1\r\nHost: $forged\r\nAuthorization: Bearer right-token\r\nConnection: close")
            answer.status shouldBe 403
        }
        RawHttp.exchange(
            emulator.port,
            "GET /_emulator/stats HTTP/1.1\r\nHost: localhost:${emulator.port}\r\nAuthorization: Bearer right-token\r\nConnection: close",
        ).status shouldBe 200
    }

    test("a separate admin token replaces the API token on the admin API only") {
        DataverseEmulator.start(EmulatorOptions(requiredToken = "api", adminToken = "admin")).use { separate ->
            val head = "GET /_emulator/stats HTTP/1.1\r\nHost: 127.0.0.1:${separate.port}\r\nConnection: close\r\nAuthorization: Bearer"
            RawHttp.exchange(separate.port, "$head api").status shouldBe 401
            RawHttp.exchange(separate.port, "$head admin").status shouldBe 200
        }
    }

    test("a \$filter nested 3,000 deep inside a \$batch part fails alone with a 400; the part before it stays applied") {
        val deep = "(".repeat(3000) + "name eq 'x'" + ")".repeat(3000)
        val body = BatchBuilder()
            .request("POST", "accounts", """{"name":"Before"}""", contentId = 1)
            .request("GET", "accounts?\$filter=${deep.replace(" ", "%20")}", contentId = 2)
            .request("GET", "WhoAmI", contentId = 3)
            .build()
        val answers = batchAnswers(body, mapOf("Prefer" to "odata.continue-on-error"))
        answers.map { it.status } shouldBe listOf(204, 400, 200)
        answers[1].body shouldContain "nested more than 400 levels"
        emulator.recordCount("account") shouldBe 1
    }

    test("SQL and FetchXML nested deeper than 400 levels are refused with a 400, shallower ones still run") {
        client.create("accounts", """{"name":"x"}""")
        val sql = "SELECT name FROM account WHERE " + "(".repeat(500) + "name = 'x'" + ")".repeat(500)
        val deepSql = client.get("accounts?sql=${java.net.URLEncoder.encode(sql, Charsets.UTF_8)}")
        deepSql.status shouldBe 400
        deepSql.errorMessage shouldContain "nested more than 400 levels"
        val fine = "SELECT name FROM account WHERE " + "(".repeat(100) + "name = 'x'" + ")".repeat(100)
        client.get("accounts?sql=${java.net.URLEncoder.encode(fine, Charsets.UTF_8)}").values shouldHaveSize 1

        val filters = "<filter>".repeat(500) + "<condition attribute=\"name\" operator=\"eq\" value=\"x\"/>" + "</filter>".repeat(500)
        val fetch = "<fetch><entity name=\"account\"><attribute name=\"name\"/>$filters</entity></fetch>"
        // Inside a $batch part, which may carry a longer URL than a request of its own.
        val body = BatchBuilder().request("GET", "accounts?fetchXml=${java.net.URLEncoder.encode(fetch, Charsets.UTF_8)}", contentId = 1).build()
        val deepFetch = batchAnswers(body).single()
        deepFetch.status shouldBe 400
        deepFetch.body shouldContain "nested more than 400 levels"
    }

    test("a chain of thousands of or-terms is not nesting: it is evaluated, inside a \$batch part") {
        client.create("accounts", """{"name":"n1999"}""")
        // About 54 KB: within the 64 KB a GET inside a $batch may have (webapi/query/overview, URL length limitations).
        val chain = (0 until 2000).joinToString("%20or%20") { "name%20eq%20'n$it'" }
        val body = BatchBuilder().request("GET", "accounts?\$select=name&\$filter=$chain", contentId = 1).build()
        val answer = batchAnswers(body).single()
        answer.status shouldBe 200
        answer.body shouldContain "n1999"
    }

    test("the block upload API refuses CR, LF and other control characters in FileName and MimeType") {
        val id = client.create("accounts", """{"name":"Blocks"}""")
        val target = """"Target":{"accountid":"$id","@odata.type":"Microsoft.Dynamics.CRM.account"},"FileAttributeName":"new_document""""
        files.send(HttpMethod.Post, "InitializeFileBlocksUpload", json = """{$target,"FileName":"a\r\nX-Injected: 1.txt"}""").status shouldBe 400
        val init = files.send(HttpMethod.Post, "InitializeFileBlocksUpload", json = """{$target,"FileName":"a.txt"}""")
        init.status shouldBe 200
        val token = init.json.text("FileContinuationToken")!!
        files.send(HttpMethod.Post, "UploadBlock", json = """{"BlockId":"YQ==","BlockData":"aGVsbG8=","FileContinuationToken":"$token"}""").status shouldBe 204
        fun commit(name: String, mime: String) = """{"FileName":"$name","MimeType":"$mime","BlockList":["YQ=="],"FileContinuationToken":"$token"}"""
        files.send(HttpMethod.Post, "CommitFileBlocksUpload", json = commit("b\r\nX: 1.txt", "text/plain")).status shouldBe 400
        files.send(HttpMethod.Post, "CommitFileBlocksUpload", json = commit("b.txt", "text/plain\r\nX-Injected: 1")).status shouldBe 400
        files.send(HttpMethod.Post, "CommitFileBlocksUpload", json = commit("b.txt", "text/plain")).status shouldBe 200
        val download = files.send(HttpMethod.Get, "accounts($id)/new_document/\$value")
        download.status shouldBeGreaterThanOrEqual 200
        download.bytes.decodeToString() shouldBe "hello"
        download.headers["x-ms-file-name"] shouldBe "b.txt"
    }
})
