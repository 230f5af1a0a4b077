package dev.dataverse.emulator

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldMatch
import io.kotest.matchers.string.shouldStartWith
import io.ktor.http.HttpMethod
import kotlinx.serialization.json.JsonNull
import java.nio.file.Files
import java.nio.file.Path

class FileColumnSpec : FunSpec({
    val emulator = DataverseEmulator.start()
    emulator.addFileColumns(maxKb = 64)
    val client = TestClient(emulator)
    val files = FileTestClient(emulator)
    afterSpec {
        files.close()
        client.close()
        emulator.close()
    }
    beforeTest { emulator.reset() }

    suspend fun account(): String = client.create("accounts", """{"name":"Files"}""")

    suspend fun startChunked(id: String, name: String = "big.bin", headers: Map<String, String> = emptyMap()): BinaryResponse =
        files.send(HttpMethod.Patch, "accounts($id)/new_document?x-ms-file-name=$name", headers = mapOf("x-ms-transfer-mode" to "chunked") + headers)

    suspend fun chunk(location: String, content: ByteArray, from: Int, to: Int, total: Int = content.size, type: String = "application/octet-stream"): BinaryResponse =
        files.send(
            HttpMethod.Patch, location, content.copyOfRange(from, to + 1), type,
            mapOf("Content-Range" to "bytes $from-$to/$total", "x-ms-file-name" to "big.bin"),
        )

    test("a single PATCH stores the file; \$value returns it with its size, name and type; the record shows the file id and name") {
        val id = account()
        val content = randomBytes(5000)
        val upload = files.send(HttpMethod.Patch, "accounts($id)/new_document", content, "text/plain", mapOf("x-ms-file-name" to "notes.txt"))
        upload.status shouldBe 204
        val download = files.send(HttpMethod.Get, "accounts($id)/new_document/\$value")
        download.status shouldBe 200
        download.bytes shouldBe content
        download.headers["x-ms-file-size"] shouldBe "5000"
        download.headers["x-ms-file-name"] shouldBe "notes.txt"
        download.headers["mimetype"] shouldBe "text/plain"
        // Learn: file-column-data: the service sends the bytes as application/octet-stream with a Content-Disposition.
        download.headers["Content-Type"]!! shouldStartWith "application/octet-stream"
        download.headers["Content-Disposition"] shouldBe "attachment; filename=\"notes.txt\""
        val record = client.get("accounts($id)?\$select=new_document,new_document_name").json
        record.text("new_document")!! shouldMatch Regex("[0-9a-f-]{36}")
        record.text("new_document_name") shouldBe "notes.txt"
        emulator.storedFileCount shouldBe 1
    }

    test("application/octet-stream is replaced by the type the file name suggests; the query parameter carries a Unicode name") {
        val id = account()
        files.send(HttpMethod.Patch, "accounts($id)/new_document?x-ms-file-name=${TestClient.encode("Übersicht 日本.html")}", randomBytes(10)).status shouldBe 204
        val download = files.send(HttpMethod.Get, "accounts($id)/new_document/\$value")
        download.headers["mimetype"] shouldBe "text/html"
        client.get("accounts($id)?\$select=new_document_name").json.text("new_document_name") shouldBe "Übersicht 日本.html"
        // On the wire the name goes as its UTF-8 bytes (RawHttp reads one character a byte), as servers send such names.
        val raw = RawHttp.exchange(emulator.port, "GET /api/data/v9.2/accounts($id)/new_document/\$value HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer t\r\nConnection: close")
        raw.headers["x-ms-file-name"] shouldBe String("Übersicht 日本.html".toByteArray(Charsets.UTF_8), Charsets.ISO_8859_1)
    }

    test("an upload without a file name is refused") {
        val id = account()
        val response = files.send(HttpMethod.Patch, "accounts($id)/new_document", randomBytes(10))
        response.status shouldBe 400
        response.text shouldContain "x-ms-file-name"
    }

    test("content over the column's MaxSizeInKB is refused with 0x80044a02, in one request or by the total of a chunked one") {
        val id = account()
        val single = files.send(HttpMethod.Patch, "accounts($id)/new_document", randomBytes(64 * 1024 + 1), headers = mapOf("x-ms-file-name" to "x.bin"))
        single.status shouldBe 400
        single.errorCode shouldBe "0x80044a02"
        single.json.toString() shouldContain "Attachment file size is too big."
        val location = startChunked(id).headers["Location"]!!
        val chunked = chunk(location, randomBytes(10), 0, 9, total = 64 * 1024 + 1)
        chunked.status shouldBe 400
        chunked.errorCode shouldBe "0x80044a02"
        files.send(HttpMethod.Patch, "accounts($id)/new_document", randomBytes(64 * 1024), headers = mapOf("x-ms-file-name" to "x.bin")).status shouldBe 204
    }

    test("a chunked upload answers the session headers, 206 per chunk and 204 for the last; only the last commits") {
        val id = account()
        val old = randomBytes(100, seed = 1)
        files.send(HttpMethod.Patch, "accounts($id)/new_document", old, headers = mapOf("x-ms-file-name" to "old.bin")).status shouldBe 204
        val start = startChunked(id, headers = mapOf("If-Match" to "*"))
        start.status shouldBe 200
        start.headers["Accept-Ranges"] shouldBe "bytes"
        start.headers["x-ms-chunk-size"] shouldBe "4194304"
        val location = start.headers["Location"]!!
        location shouldMatch Regex("${Regex.escape(emulator.apiUrl)}/accounts\\($id\\)/new_document\\?sessiontoken=[0-9a-f]+")
        val content = randomBytes(30_000)
        chunk(location, content, 0, 9_999).status shouldBe 206
        chunk(location, content, 10_000, 19_999).status shouldBe 206
        files.send(HttpMethod.Get, "accounts($id)/new_document/\$value").bytes shouldBe old
        chunk(location, content, 20_000, 29_999).status shouldBe 204
        files.send(HttpMethod.Get, "accounts($id)/new_document/\$value").bytes shouldBe content
        client.get("accounts($id)?\$select=new_document_name").json.text("new_document_name") shouldBe "big.bin"
        emulator.storedFileCount shouldBe 1 // the replaced file's content is gone
    }

    test("a repeated chunk is written again in place, and a repeated last chunk is answered as done") {
        val id = account()
        val location = startChunked(id).headers["Location"]!!
        val content = randomBytes(2_000)
        chunk(location, content, 0, 999).status shouldBe 206
        chunk(location, content, 0, 999).status shouldBe 206
        chunk(location, content, 1000, 1999).status shouldBe 204
        chunk(location, content, 1000, 1999).status shouldBe 204
        chunk(location, content, 0, 999).status shouldBe 400
        files.send(HttpMethod.Get, "accounts($id)/new_document/\$value").bytes shouldBe content
    }

    test("chunks with a gap, another total, a wrong length, no Content-Range or an unknown session are refused") {
        val id = account()
        val location = startChunked(id).headers["Location"]!!
        val content = randomBytes(3_000)
        chunk(location, content, 0, 999).status shouldBe 206
        chunk(location, content, 2000, 2999).let { it.status shouldBe 400; it.text shouldContain "contiguous" }
        chunk(location, content, 1000, 1999, total = 5000).let { it.status shouldBe 400; it.text shouldContain "total" }
        files.send(HttpMethod.Patch, location, randomBytes(10), headers = mapOf("Content-Range" to "bytes 1000-1099/3000")).status shouldBe 400
        files.send(HttpMethod.Patch, location, randomBytes(10)).let { it.status shouldBe 400; it.text shouldContain "Content-Range" }
        files.send(HttpMethod.Patch, location, randomBytes(10), headers = mapOf("Content-Range" to "bytes 5-2/3000")).status shouldBe 400
        val unknown = files.send(HttpMethod.Patch, "accounts($id)/new_document?sessiontoken=nope", randomBytes(10), headers = mapOf("Content-Range" to "bytes 0-9/10"))
        unknown.status shouldBe 404
        files.send(HttpMethod.Get, "accounts($id)/new_document/\$value").status shouldBe 404
    }

    test("a session's chunks must go to its own record and column") {
        val id = account()
        val other = account()
        val location = startChunked(id).headers["Location"]!!
        val token = location.substringAfter("sessiontoken=")
        val response = files.send(HttpMethod.Patch, "accounts($other)/new_document?sessiontoken=$token", randomBytes(10), headers = mapOf("Content-Range" to "bytes 0-9/10"))
        response.status shouldBe 400
    }

    // Learn: file-column-data: an empty image column answers 204 without a body; an empty file column 404 0x80040217.
    test("file-column-data: an empty image column is a 204 with no body, an empty file column a 404") {
        val id = account()
        val image = files.send(HttpMethod.Get, "accounts($id)/new_picture/\$value")
        image.status shouldBe 204
        image.bytes.size shouldBe 0
        files.send(HttpMethod.Get, "accounts($id)/new_document/\$value").status shouldBe 404
    }

    // Learn: compose-http-requests-handle-errors recommends If-None-Match: null on every request; it is no condition.
    test("compose-http-requests-handle-errors: If-None-Match: null replaces a stored file; If-None-Match: * is a 412 at the start and at the commit") {
        val id = account()
        val cacheOverride = mapOf("x-ms-file-name" to "a.bin", "If-None-Match" to "null")
        files.send(HttpMethod.Patch, "accounts($id)/new_document", randomBytes(10, 1), headers = cacheOverride).status shouldBe 204
        files.send(HttpMethod.Patch, "accounts($id)/new_document", randomBytes(10, 2), headers = cacheOverride).status shouldBe 204
        files.send(HttpMethod.Get, "accounts($id)/new_document/\$value").bytes shouldBe randomBytes(10, 2)
        startChunked(id, headers = mapOf("If-None-Match" to "null")).status shouldBe 200
        val onlyIfEmpty = mapOf("x-ms-file-name" to "a.bin", "If-None-Match" to "*")
        files.send(HttpMethod.Patch, "accounts($id)/new_document", randomBytes(10, 6), headers = onlyIfEmpty).status shouldBe 412
        startChunked(id, headers = mapOf("If-None-Match" to "*")).status shouldBe 412
        files.send(HttpMethod.Patch, "accounts($id)/new_document", randomBytes(10, 3), headers = mapOf("x-ms-file-name" to "b.bin", "If-Match" to "*")).status shouldBe 204
        files.send(HttpMethod.Get, "accounts($id)/new_document/\$value").bytes shouldBe randomBytes(10, 3)

        val empty = account()
        val location = startChunked(empty, headers = mapOf("If-None-Match" to "*")).headers["Location"]!!
        files.send(HttpMethod.Patch, "accounts($empty)/new_document", randomBytes(10, 4), headers = mapOf("x-ms-file-name" to "c.bin")).status shouldBe 204
        chunk(location, randomBytes(10, 5), 0, 9).status shouldBe 412
        files.send(HttpMethod.Get, "accounts($empty)/new_document/\$value").bytes shouldBe randomBytes(10, 4)
    }

    test("a Range download answers 206 with Content-Range and x-ms-chunk-size; a range past the end is 416") {
        val id = account()
        val content = randomBytes(10_000)
        files.send(HttpMethod.Patch, "accounts($id)/new_document", content, headers = mapOf("x-ms-file-name" to "r.bin")).status shouldBe 204
        val part = files.send(HttpMethod.Get, "accounts($id)/new_document/\$value", headers = mapOf("Range" to "bytes=4000-5999"))
        part.status shouldBe 206
        part.bytes shouldBe content.copyOfRange(4000, 6000)
        part.headers["Content-Range"] shouldBe "bytes 4000-5999/10000"
        part.headers["x-ms-chunk-size"] shouldBe "2000"
        part.headers["x-ms-file-size"] shouldBe "10000"
        val tail = files.send(HttpMethod.Get, "accounts($id)/new_document/\$value", headers = mapOf("Range" to "bytes=9000-19999"))
        tail.status shouldBe 206
        tail.bytes shouldBe content.copyOfRange(9000, 10_000)
        files.send(HttpMethod.Get, "accounts($id)/new_document/\$value", headers = mapOf("Range" to "bytes=10000-10999")).status shouldBe 416
    }

    test("an empty file downloads as 200 with size 0 even when a range is asked for") {
        val id = account()
        files.send(HttpMethod.Patch, "accounts($id)/new_document", ByteArray(0), headers = mapOf("x-ms-file-name" to "empty.txt")).status shouldBe 204
        val download = files.send(HttpMethod.Get, "accounts($id)/new_document/\$value", headers = mapOf("Range" to "bytes=0-99"))
        download.status shouldBe 200
        download.bytes.size shouldBe 0
        download.headers["x-ms-file-size"] shouldBe "0"
    }

    test("downloading or deleting an empty file column is 404; DELETE removes the file and its content") {
        val id = account()
        val missing = files.send(HttpMethod.Get, "accounts($id)/new_document/\$value")
        missing.status shouldBe 404
        missing.errorCode shouldBe "0x80040217"
        files.send(HttpMethod.Delete, "accounts($id)/new_document").status shouldBe 404
        files.send(HttpMethod.Patch, "accounts($id)/new_picture", randomBytes(100), "image/png", mapOf("x-ms-file-name" to "p.png")).status shouldBe 204
        emulator.storedFileCount shouldBe 1
        files.send(HttpMethod.Delete, "accounts($id)/new_picture").status shouldBe 204
        files.send(HttpMethod.Get, "accounts($id)/new_picture/\$value").status shouldBe 204 // an empty image column
        val record = client.get("accounts($id)?\$select=new_picture,new_picture_name").json
        record["new_picture"] shouldBe JsonNull
        record["new_picture_name"] shouldBe JsonNull
        emulator.storedFileCount shouldBe 0
    }

    test("deleting the record deletes its files from disk; reset deletes all") {
        val id = account()
        files.send(HttpMethod.Patch, "accounts($id)/new_document", randomBytes(100), headers = mapOf("x-ms-file-name" to "a.bin")).status shouldBe 204
        val fileId = client.get("accounts($id)?\$select=new_document").json.text("new_document")!!
        val path = emulator.context.files.contentPath(java.util.UUID.fromString(fileId))
        Files.exists(path) shouldBe true
        client.delete("accounts($id)").status shouldBe 204
        emulator.storedFileCount shouldBe 0
        Files.exists(path) shouldBe false

        val other = account()
        files.send(HttpMethod.Patch, "accounts($other)/new_document", randomBytes(100), headers = mapOf("x-ms-file-name" to "b.bin")).status shouldBe 204
        emulator.reset()
        emulator.storedFileCount shouldBe 0
    }

    test("file requests are counted as uploads; other requests are not") {
        val id = account()
        val before = emulator.stats.fileUploads
        files.send(HttpMethod.Patch, "accounts($id)/new_document", randomBytes(10), headers = mapOf("x-ms-file-name" to "a.bin"))
        files.send(HttpMethod.Get, "accounts($id)/new_document/\$value")
        emulator.stats.fileUploads shouldBe before + 1
    }

    test("a file column cannot be written through a record payload, and a plain column has no \$value upload") {
        val id = account()
        client.patch("accounts($id)", """{"new_document":"00000000-0000-0000-0000-000000000001"}""").status shouldBe 400
        files.send(HttpMethod.Patch, "accounts($id)/name", randomBytes(10), headers = mapOf("x-ms-file-name" to "a.bin")).status shouldNotBe 204
    }

    test("closing the emulator deletes its file directory") {
        val own = DataverseEmulator.start()
        own.addFileColumns()
        val path: Path
        FileTestClient(own).use { c ->
            val ownClient = TestClient(own)
            val id = ownClient.create("accounts", """{"name":"x"}""")
            c.send(HttpMethod.Patch, "accounts($id)/new_document", randomBytes(10), headers = mapOf("x-ms-file-name" to "a.bin")).status shouldBe 204
            val fileId = ownClient.get("accounts($id)?\$select=new_document").json.text("new_document")!!
            path = own.context.files.contentPath(java.util.UUID.fromString(fileId))
            ownClient.close()
        }
        Files.exists(path) shouldBe true
        own.close()
        Files.exists(path.parent.parent) shouldBe false
    }

    test("DynamicsWebApi's download form: GET {set}(id)/{column} with Range answers 206 with the chunk as Base64 in 'value'") {
        val id = account()
        val content = randomBytes(5000)
        files.send(HttpMethod.Patch, "accounts($id)/new_document", content, "text/plain", mapOf("x-ms-file-name" to "notes.txt")).status shouldBe 204
        val first = client.get("accounts($id)/new_document?size=full", mapOf("Range" to "bytes=0-2999"))
        first.status shouldBe 206
        first.headers["x-ms-file-name"] shouldBe "notes.txt"
        first.headers["x-ms-file-size"] shouldBe "5000"
        first.headers["Content-Disposition"] shouldBe "attachment; filename=\"notes.txt\""
        val second = client.get("accounts($id)/new_document?size=full", mapOf("Range" to "bytes=3000-5999"))
        val bytes = java.util.Base64.getDecoder().decode(first.json.text("value")) + java.util.Base64.getDecoder().decode(second.json.text("value"))
        bytes shouldBe content
        // Past the end (DynamicsWebApi asks for it when the size is a multiple of its chunk): an empty value.
        client.get("accounts($id)/new_document?size=full", mapOf("Range" to "bytes=5000-9999")).json.text("value") shouldBe ""
        java.util.Base64.getDecoder().decode(client.get("accounts($id)/new_document").json.text("value")) shouldBe content
    }
})
