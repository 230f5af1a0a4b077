package dev.dataverse.internal

import dev.dataverse.DataverseException
import dev.dataverse.DownloadOptions
import dev.dataverse.InvalidInputException
import dev.dataverse.MalformedResponseException
import dev.dataverse.NotFoundException
import dev.dataverse.PreconditionFailedException
import dev.dataverse.RetryOptions
import dev.dataverse.TransferProgress
import dev.dataverse.UploadOptions
import dev.dataverse.internal.MockDataverse.Companion.API
import dev.dataverse.internal.MockDataverse.Companion.json
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.ktor.client.engine.mock.MockRequestHandleScope
import io.ktor.client.engine.mock.respond
import io.ktor.client.engine.mock.toByteArray
import io.ktor.client.request.HttpRequestData
import io.ktor.client.request.HttpResponseData
import io.ktor.http.HttpMethod
import io.ktor.http.HttpStatusCode
import io.ktor.http.headersOf
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.async
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.flow.asFlow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import java.io.ByteArrayInputStream
import java.io.ByteArrayOutputStream
import java.util.Base64
import java.util.Collections
import java.util.UUID
import kotlin.random.Random

/**
 * A file service behind Ktor's MockEngine: answers the column metadata, the chunked protocol, the block actions and
 * ranged downloads, and records what arrived. [intercept] answers a request first when it returns non-null.
 */
private class FakeFileService(
    val chunkSize: Int = 1000,
    val maxKb: Int = 64,
    val kind: String? = "FileAttributeMetadata",
    var stored: ByteArray? = null,
    /** The most bytes one ranged answer holds, like a service with a smaller chunk size than the client asks for. */
    val maxServed: Int = Int.MAX_VALUE,
    val intercept: suspend MockRequestHandleScope.(HttpRequestData) -> HttpResponseData? = { null },
) {
    val chunks: MutableList<Pair<String, ByteArray>> = Collections.synchronizedList(mutableListOf())
    val blocks: MutableList<Pair<String, ByteArray>> = Collections.synchronizedList(mutableListOf())
    var committed: String? = null

    suspend fun MockRequestHandleScope.answer(request: HttpRequestData): HttpResponseData? {
        intercept(request)?.let { return it }
        val path = request.url.encodedPath
        val query = request.url.parameters
        return when {
            path.endsWith("/EntityDefinitions") -> null
            request.method == HttpMethod.Get && path.endsWith("/accounts($ID)") ->
                json("""{"accountid":"$ID","new_document":${if (stored == null) "null" else "\"${UUID.randomUUID()}\""}}""")
            "/Attributes(" in path && path.endsWith("Metadata") -> json("""{"MaxSizeInKB":$maxKb}""")
            "/Attributes(" in path -> if (kind == null) {
                json("""{"@odata.type":"#Microsoft.Dynamics.CRM.StringAttributeMetadata","LogicalName":"name","AttributeTypeName":{"Value":"StringType"}}""")
            } else {
                json("""{"@odata.type":"#Microsoft.Dynamics.CRM.$kind","LogicalName":"new_document"}""")
            }
            request.method == HttpMethod.Patch && query["sessiontoken"] != null -> {
                val range = request.headers["Content-Range"]!!
                chunks += range to request.body.toByteArray()
                val (last, total) = Regex("bytes \\d+-(\\d+)/(\\d+)").find(range)!!.destructured
                if (last.toLong() + 1 == total.toLong()) respond("", HttpStatusCode.NoContent) else respond("", HttpStatusCode.PartialContent)
            }
            request.method == HttpMethod.Patch && request.headers["x-ms-transfer-mode"] == "chunked" -> respond(
                "", HttpStatusCode.OK,
                headersOf(
                    "Location" to listOf("$API/accounts($ID)/new_document?sessiontoken=abc"),
                    "x-ms-chunk-size" to listOf(chunkSize.toString()),
                ),
            )
            request.method == HttpMethod.Patch -> respond("", HttpStatusCode.NoContent)
            path.endsWith("/InitializeFileBlocksUpload") -> json("""{"FileContinuationToken":"tok"}""")
            path.endsWith("/UploadBlock") -> {
                val body = Json.parseToJsonElement(request.body.toByteArray().decodeToString()).jsonObject
                blocks += body.getValue("BlockId").jsonPrimitive.content to Base64.getDecoder().decode(body.getValue("BlockData").jsonPrimitive.content)
                respond("", HttpStatusCode.NoContent)
            }
            path.endsWith("/CommitFileBlocksUpload") -> {
                committed = request.body.toByteArray().decodeToString()
                json("""{"FileId":"${UUID.randomUUID()}","FileSizeInBytes":${blocks.sumOf { it.second.size }}}""")
            }
            request.method == HttpMethod.Get && path.endsWith("/\$value") -> {
                val content = stored ?: return json("""{"error":{"code":"0x80040217","message":"No file attachment found"}}""", HttpStatusCode.NotFound)
                val (first, last) = Regex("bytes=(\\d+)-(\\d+)").find(request.headers["Range"]!!)!!.destructured
                val end = minOf(last.toLong(), content.size - 1L, first.toLong() + maxServed - 1).toInt()
                respond(
                    content.copyOfRange(first.toInt(), end + 1), HttpStatusCode.PartialContent,
                    headersOf(
                        "x-ms-file-size" to listOf(content.size.toString()), "x-ms-file-name" to listOf("stored.bin"),
                        "mimetype" to listOf("application/pdf"), "Content-Range" to listOf("bytes $first-$end/${content.size}"),
                    ),
                )
            }
            request.method == HttpMethod.Delete -> respond("", HttpStatusCode.NoContent)
            else -> null
        }
    }

    companion object {
        val ID: UUID = UUID.fromString("7b1c0000-0000-0000-0000-000000000001")
    }
}

private fun service(fake: FakeFileService, retries: Int = 1): MockDataverse =
    MockDataverse({ token("t"); retry(RetryOptions(maxAttempts = retries)) }) { request -> with(fake) { answer(request) } }

private val MockDataverse.uploads: List<HttpRequestData>
    get() = requests.filter { it.method == HttpMethod.Patch || it.url.encodedPath.endsWith("UploadBlock") || it.url.encodedPath.endsWith("CommitFileBlocksUpload") || it.url.encodedPath.endsWith("InitializeFileBlocksUpload") }

class FilesSpec : FunSpec({
    val id = FakeFileService.ID
    fun content(size: Int) = Random(size).nextBytes(size)

    test("a known size goes through the chunked protocol in the service's chunk size, with Content-Range and progress per chunk") {
        val fake = FakeFileService(chunkSize = 1000)
        val progress = mutableListOf<Pair<Long, Long?>>()
        service(fake).use { mock ->
            val data = content(2500)
            // Arbitrary pieces: the client re-chunks them into the service's chunk size.
            val pieces = listOf(data.copyOfRange(0, 7), data.copyOfRange(7, 1999), data.copyOfRange(1999, 2500))
            mock.client.files.upload(
                "account", id, "new_document", pieces.asFlow(), "report.pdf",
                UploadOptions(size = 2500, onProgress = { p: TransferProgress -> progress += p.transferredBytes to p.totalBytes }),
            )
            val start = mock.uploads.first()
            start.url.toString() shouldBe "$API/accounts($id)/new_document?x-ms-file-name=report.pdf"
            start.headers["x-ms-transfer-mode"] shouldBe "chunked"
            start.headers["If-Match"] shouldBe null
            start.headers.getAll("If-None-Match") shouldBe listOf("null")
            start.headers["x-ms-file-name"] shouldBe "report.pdf"
            val chunkRequests = mock.uploads.drop(1)
            chunkRequests.map { it.url.toString() } shouldBe List(3) { "$API/accounts($id)/new_document?sessiontoken=abc" }
            chunkRequests.map { it.body.contentType.toString() }.toSet() shouldBe setOf("application/pdf")
            chunkRequests.map { it.headers["x-ms-file-name"] }.toSet() shouldBe setOf("report.pdf")
            fake.chunks.map { it.first } shouldBe listOf("bytes 0-999/2500", "bytes 1000-1999/2500", "bytes 2000-2499/2500")
            fake.chunks.map { it.second }.reduce(ByteArray::plus) shouldBe data
            progress shouldBe listOf(1000L to 2500L, 2000L to 2500L, 2500L to 2500L)
            chunkRequests.map { it.headers["x-ms-correlation-id"] }.toSet() shouldBe setOf(start.headers["x-ms-correlation-id"])
        }
    }

    test("without an x-ms-chunk-size the chunk size is 4 MiB") {
        val fake = FakeFileService(intercept = { request ->
            if (request.headers["x-ms-transfer-mode"] == "chunked") {
                respond("", HttpStatusCode.OK, headersOf("Location", "$API/accounts(${FakeFileService.ID})/new_document?sessiontoken=abc"))
            } else {
                null
            }
        }, maxKb = 10 * 1024)
        service(fake).use { mock ->
            mock.client.files.upload("account", id, "new_document", ByteArrayInputStream(content(5_000_000)), "a.bin", UploadOptions(size = 5_000_000))
            fake.chunks.map { it.first } shouldBe listOf("bytes 0-4194303/5000000", "bytes 4194304-4999999/5000000")
        }
    }

    test("a non-file column, a missing column and a known size over the limit fail before any content is sent") {
        service(FakeFileService(kind = null)).use { mock ->
            shouldThrow<InvalidInputException> {
                mock.client.files.upload("account", id, "name", ByteArrayInputStream(content(10)), "a.bin", UploadOptions(size = 10))
            }.message shouldContain "not a file or image column"
            shouldThrow<InvalidInputException> { mock.client.files.delete("account", id, "name") }
            mock.uploads.shouldBeEmpty()
            mock.requests.none { it.method == HttpMethod.Delete } shouldBe true
        }
        service(FakeFileService(intercept = { request ->
            if ("/Attributes(" in request.url.encodedPath) json("""{"error":{"code":"0x80040217","message":"not found"}}""", HttpStatusCode.NotFound) else null
        })).use { mock ->
            shouldThrow<InvalidInputException> {
                mock.client.files.upload("account", id, "nope", ByteArrayInputStream(content(10)), "a.bin")
            }.message shouldContain "has no column 'nope'"
            mock.uploads.shouldBeEmpty()
        }
        service(FakeFileService(maxKb = 1)).use { mock ->
            shouldThrow<InvalidInputException> {
                mock.client.files.upload("account", id, "new_document", ByteArrayInputStream(content(1025)), "a.bin", UploadOptions(size = 1025))
            }.message shouldContain "1025 bytes, larger than the 1024 bytes"
            mock.uploads.shouldBeEmpty()
        }
    }

    test("the column metadata is read once per column") {
        val fake = FakeFileService()
        service(fake).use { mock ->
            repeat(3) { mock.client.files.upload("account", id, "new_document", ByteArrayInputStream(content(10)), "a.bin", UploadOptions(size = 10)) }
            mock.requests.count { "/Attributes(" in it.url.encodedPath } shouldBe 2 // the attribute and its cast
        }
    }

    test("bad names, file names and sources are refused before any request") {
        service(FakeFileService()).use { mock ->
            shouldThrow<InvalidInputException> { mock.client.files.upload("account", id, "new_document", ByteArrayInputStream(content(1)), "a\r\nX-Evil: 1") }
            shouldThrow<InvalidInputException> { mock.client.files.upload("acc/ount", id, "new_document", ByteArrayInputStream(content(1)), "a.bin") }
            shouldThrow<InvalidInputException> { mock.client.files.upload("account", id, "new document", ByteArrayInputStream(content(1)), "a.bin") }
            shouldThrow<InvalidInputException> { mock.client.files.upload("account", id, "new_document", java.nio.file.Path.of("/no/such/file.bin")) }
            mock.requests.shouldBeEmpty()
        }
    }

    test("a non-ASCII file name travels only in the percent-encoded query parameter") {
        val fake = FakeFileService()
        service(fake).use { mock ->
            mock.client.files.upload("account", id, "new_document", ByteArrayInputStream(content(10)), "Übersicht.pdf", UploadOptions(size = 10))
            mock.uploads.first().url.encodedQuery shouldBe "x-ms-file-name=%C3%9Cbersicht.pdf"
            mock.uploads.map { it.headers["x-ms-file-name"] }.toSet() shouldBe setOf(null)
        }
    }

    test("a source shorter or longer than its declared size fails, and the last chunk is never sent") {
        val short = FakeFileService()
        service(short).use { mock ->
            shouldThrow<InvalidInputException> {
                mock.client.files.upload("account", id, "new_document", ByteArrayInputStream(content(2500)), "a.bin", UploadOptions(size = 3000))
            }.message shouldContain "ended after 2500 of the declared 3000 bytes"
            short.chunks.map { it.first } shouldBe listOf("bytes 0-999/3000", "bytes 1000-1999/3000")
        }
        for (declared in listOf(2000L, 2500L)) {
            val long = FakeFileService()
            service(long).use { mock ->
                shouldThrow<InvalidInputException> {
                    mock.client.files.upload("account", id, "new_document", ByteArrayInputStream(content(2501)), "a.bin", UploadOptions(size = declared))
                }.message shouldContain "more than the declared $declared bytes"
                long.chunks.none { it.first.startsWith("bytes ${(declared - 1) / 1000 * 1000}-${declared - 1}/") } shouldBe true
            }
            val longFlow = FakeFileService()
            service(longFlow).use { mock ->
                shouldThrow<InvalidInputException> {
                    mock.client.files.upload("account", id, "new_document", flow { emit(content(2501)) }, "a.bin", UploadOptions(size = declared))
                }
                longFlow.chunks.none { it.first.endsWith("-${declared - 1}/$declared") } shouldBe true
            }
        }
        val empty = FakeFileService()
        service(empty).use { mock ->
            shouldThrow<InvalidInputException> {
                mock.client.files.upload("account", id, "new_document", ByteArrayInputStream(content(1)), "a.bin", UploadOptions(size = 0))
            }
            mock.uploads.shouldBeEmpty()
        }
    }

    test("an empty file with a known size is one PATCH with an empty body") {
        val fake = FakeFileService()
        service(fake).use { mock ->
            mock.client.files.upload("account", id, "new_document", ByteArrayInputStream(ByteArray(0)), "empty.txt", UploadOptions(size = 0, overwrite = false))
            val request = mock.uploads.single()
            request.headers["x-ms-transfer-mode"] shouldBe null
            request.headers.getAll("If-None-Match") shouldBe listOf("null")
            request.body.toByteArray().size shouldBe 0
            request.body.contentType.toString() shouldBe "text/plain"
        }
    }

    test("a chunk answered 503 is sent again with the same range and bytes") {
        var failed = false
        val fake = FakeFileService(intercept = { request ->
            if (request.headers["Content-Range"] == "bytes 1000-1999/2500" && !failed) {
                failed = true
                json("""{"error":{"code":"0x80040216","message":"busy"}}""", HttpStatusCode.ServiceUnavailable)
            } else {
                null
            }
        })
        service(fake, retries = 3).use { mock ->
            val data = content(2500)
            mock.client.files.upload("account", id, "new_document", ByteArrayInputStream(data), "a.bin", UploadOptions(size = 2500))
            val second = mock.requests.filter { it.headers["Content-Range"] == "bytes 1000-1999/2500" }
            second.size shouldBe 2
            second[0].body.toByteArray() shouldBe second[1].body.toByteArray()
            fake.chunks.map { it.second }.reduce(ByteArray::plus) shouldBe data
        }
    }

    test("a chunk that is not the last answered 204 is a malformed answer") {
        val fake = FakeFileService(intercept = { request ->
            if (request.headers["Content-Range"] == "bytes 0-999/2500") respond("", HttpStatusCode.NoContent) else null
        })
        service(fake).use { mock ->
            shouldThrow<MalformedResponseException> {
                mock.client.files.upload("account", id, "new_document", ByteArrayInputStream(content(2500)), "a.bin", UploadOptions(size = 2500))
            }
        }
    }

    test("cancelling mid-upload stops before the last chunk, so nothing is committed") {
        val secondChunkArrived = CompletableDeferred<Unit>()
        val fake = FakeFileService(intercept = { request ->
            if (request.headers["Content-Range"] == "bytes 1000-1999/3000") {
                secondChunkArrived.complete(Unit)
                kotlinx.coroutines.awaitCancellation()
            }
            null
        })
        service(fake).use { mock ->
            coroutineScope {
                val upload = launch {
                    mock.client.files.upload("account", id, "new_document", ByteArrayInputStream(content(3000)), "a.bin", UploadOptions(size = 3000))
                }
                secondChunkArrived.await()
                upload.cancelAndJoin()
                upload.isCancelled shouldBe true
            }
            mock.requests.none { it.headers["Content-Range"]?.endsWith("-2999/3000") == true } shouldBe true
        }
    }

    test("an unknown size goes through the block API in 4 MiB blocks, and the commit names the blocks and the type") {
        val fake = FakeFileService(maxKb = 10 * 1024)
        service(fake).use { mock ->
            val data = content(9 * 1024 * 1024 + 5)
            val pieces = (0 until data.size step 777_777).map { data.copyOfRange(it, minOf(it + 777_777, data.size)) }
            val progress = mutableListOf<Long>()
            mock.client.files.upload("account", id, "new_document", pieces.asFlow(), "scan.png", UploadOptions(onProgress = { progress += it.transferredBytes }))
            val initialize = Json.parseToJsonElement(mock.requests.single { it.url.encodedPath.endsWith("InitializeFileBlocksUpload") }.body.toByteArray().decodeToString()).jsonObject
            initialize.getValue("FileName").jsonPrimitive.content shouldBe "scan.png"
            initialize.getValue("FileAttributeName").jsonPrimitive.content shouldBe "new_document"
            initialize.getValue("Target").jsonObject.getValue("accountid").jsonPrimitive.content shouldBe id.toString()
            fake.blocks.map { it.second.size } shouldBe listOf(4 * 1024 * 1024, 4 * 1024 * 1024, 1024 * 1024 + 5)
            fake.blocks.map { it.second }.reduce(ByteArray::plus) shouldBe data
            val commit = Json.parseToJsonElement(fake.committed!!).jsonObject
            commit.getValue("MimeType").jsonPrimitive.content shouldBe "image/png"
            commit.getValue("FileContinuationToken").jsonPrimitive.content shouldBe "tok"
            commit.getValue("BlockList").jsonArray.map { it.jsonPrimitive.content } shouldBe fake.blocks.map { it.first }
            progress shouldBe listOf(4L * 1024 * 1024, 8L * 1024 * 1024, data.size.toLong())
        }
    }

    test("an unknown size over the limit fails once the bytes cross it, without a commit") {
        val fake = FakeFileService(maxKb = 5 * 1024)
        service(fake).use { mock ->
            shouldThrow<InvalidInputException> {
                mock.client.files.upload("account", id, "new_document", ByteArrayInputStream(content(6 * 1024 * 1024)), "a.bin")
            }.message shouldContain "larger than the 5242880 bytes"
            fake.committed shouldBe null
            fake.blocks.size shouldBe 1
        }
    }

    test("overwrite = false with an unknown size checks the column first") {
        val fake = FakeFileService(intercept = { request ->
            if (request.method == HttpMethod.Get && request.url.encodedPath.endsWith("accounts(${FakeFileService.ID})")) json("""{"new_document":"${UUID.randomUUID()}"}""") else null
        })
        service(fake).use { mock ->
            shouldThrow<PreconditionFailedException> {
                mock.client.files.upload("account", id, "new_document", ByteArrayInputStream(content(10)), "a.bin", UploadOptions(overwrite = false))
            }
            mock.uploads.shouldBeEmpty()
        }
    }

    test("a download reads Range by Range up to x-ms-file-size, reports progress and returns the file info") {
        val data = content(150_000)
        val fake = FakeFileService(stored = data)
        service(fake).use { mock ->
            val out = ByteArrayOutputStream()
            val progress = mutableListOf<Long>()
            val info = mock.client.files.download("account", id, "new_document", out, DownloadOptions(64 * 1024, onProgress = { progress += it.transferredBytes }))
            out.toByteArray() shouldBe data
            info.size shouldBe 150_000L
            info.fileName shouldBe "stored.bin"
            info.contentType shouldBe "application/pdf"
            mock.requests.filter { it.url.encodedPath.endsWith("\$value") }.map { it.headers["Range"] } shouldContainExactly
                listOf("bytes=0-65535", "bytes=65536-131071", "bytes=131072-149999")
            progress shouldBe listOf(65536L, 131072L, 150_000L)
            mock.client.files.downloadFlow("account", id, "new_document", DownloadOptions(64 * 1024)).toList().reduce(ByteArray::plus) shouldBe data
        }
    }

    test("an empty column is NotFoundException; a file that changes size mid-download fails") {
        service(FakeFileService(stored = null)).use { mock ->
            shouldThrow<NotFoundException> { mock.client.files.download("account", id, "new_document", ByteArrayOutputStream()) }
        }
        var calls = 0
        val fake = FakeFileService(stored = content(200_000), intercept = { request ->
            if (request.url.encodedPath.endsWith("\$value") && ++calls == 2) {
                respond(ByteArray(65536), HttpStatusCode.PartialContent, headersOf("x-ms-file-size", "300000"))
            } else {
                null
            }
        })
        service(fake).use { mock ->
            shouldThrow<DataverseException> {
                mock.client.files.download("account", id, "new_document", ByteArrayOutputStream(), DownloadOptions(64 * 1024))
            }.message shouldContain "changed while it was downloaded"
        }
    }

    test("a response larger than the range asked for is refused") {
        val fake = FakeFileService(stored = content(10), intercept = { request ->
            if (request.url.encodedPath.endsWith("\$value")) respond(ByteArray(70_000), HttpStatusCode.OK, headersOf("x-ms-file-size", "70000")) else null
        })
        service(fake).use { mock ->
            shouldThrow<MalformedResponseException> {
                mock.client.files.download("account", id, "new_document", ByteArrayOutputStream(), DownloadOptions(64 * 1024))
            }
        }
    }

    test("a service that answers smaller ranges than asked for is read on from where each answer ended") {
        val data = content(150_000)
        val fake = FakeFileService(stored = data, maxServed = 50_000)
        service(fake).use { mock ->
            val out = ByteArrayOutputStream()
            val progress = mutableListOf<Long>()
            mock.client.files.download("account", id, "new_document", out, DownloadOptions(64 * 1024, onProgress = { progress += it.transferredBytes }))
            out.toByteArray() shouldBe data
            mock.requests.filter { it.url.encodedPath.endsWith("\$value") }.map { it.headers["Range"] } shouldContainExactly
                listOf("bytes=0-65535", "bytes=50000-115535", "bytes=100000-149999")
            progress shouldBe listOf(50_000L, 100_000L, 150_000L)
        }
    }

    test("a 206 whose Content-Range does not describe the bytes sent is refused") {
        val fake = FakeFileService(stored = content(100_000), intercept = { request ->
            if (request.url.encodedPath.endsWith("\$value")) {
                respond(
                    ByteArray(50_000), HttpStatusCode.PartialContent,
                    headersOf("x-ms-file-size" to listOf("100000"), "Content-Range" to listOf("bytes 0-65535/100000")),
                )
            } else {
                null
            }
        })
        service(fake).use { mock ->
            shouldThrow<MalformedResponseException> {
                mock.client.files.download("account", id, "new_document", ByteArrayOutputStream(), DownloadOptions(64 * 1024))
            }
        }
    }

    test("a maxResponseBytes below the chunk size downloads in ranges of that size instead of failing") {
        val data = content(150_000)
        val fake = FakeFileService(stored = data)
        MockDataverse({ token("t"); maxResponseBytes(100_000) }) { request -> with(fake) { answer(request) } }.use { mock ->
            val out = ByteArrayOutputStream()
            mock.client.files.download("account", id, "new_document", out)
            out.toByteArray() shouldBe data
            mock.requests.filter { it.url.encodedPath.endsWith("\$value") }.map { it.headers["Range"] } shouldContainExactly
                listOf("bytes=0-99999", "bytes=100000-149999")
        }
    }

    test("an empty upload is replayed after a failure in flight: the same empty file again, with or without overwrite") {
        var patches = 0
        val fake = FakeFileService(intercept = { request ->
            if (request.method == HttpMethod.Patch && ++patches == 1) throw java.io.IOException("connection reset after the request was sent") else null
        })
        service(fake, retries = 3).use { mock ->
            mock.client.files.upload("account", id, "new_document", ByteArrayInputStream(ByteArray(0)), "e.txt", UploadOptions(size = 0, overwrite = false))
            patches shouldBe 2
        }
        // Replacing is replay-safe: the same empty file again.
        patches = 0
        val replacing = FakeFileService(intercept = { request ->
            if (request.method == HttpMethod.Patch && ++patches == 1) throw java.io.IOException("connection reset after the request was sent") else null
        })
        service(replacing, retries = 3).use { mock ->
            mock.client.files.upload("account", id, "new_document", ByteArrayInputStream(ByteArray(0)), "e.txt", UploadOptions(size = 0))
            patches shouldBe 2
        }
    }

    test("a stream opened just as the caller is cancelled is closed, not leaked") {
        val opening = java.util.concurrent.CountDownLatch(1)
        val release = java.util.concurrent.CountDownLatch(1)
        var closed = false
        val stream = object : ByteArrayInputStream(ByteArray(1)) {
            override fun close() {
                closed = true
            }
        }
        coroutineScope {
            val job = launch {
                dev.dataverse.internal.files.openOnIo { opening.countDown(); release.await(); stream }.use { kotlinx.coroutines.awaitCancellation() }
            }
            kotlinx.coroutines.runInterruptible(kotlinx.coroutines.Dispatchers.IO) { opening.await() }
            job.cancel()
            release.countDown()
            job.join()
        }
        closed shouldBe true
    }

    test("a download to a file whose name is near the file system's limit works, and leaves no partial file behind") {
        val data = content(1000)
        val directory = java.nio.file.Files.createTempDirectory("downloads")
        try {
            val target = directory.resolve("a".repeat(250) + ".bin")
            service(FakeFileService(stored = data)).use { mock ->
                mock.client.files.download("account", id, "new_document", target).size shouldBe 1000L
            }
            java.nio.file.Files.readAllBytes(target) shouldBe data
            java.nio.file.Files.list(directory).use { files -> files.map { it.fileName.toString() }.toList() } shouldContainExactly listOf(target.fileName.toString())
        } finally {
            directory.toFile().deleteRecursively()
        }
    }

    test("delete sends DELETE to the column") {
        service(FakeFileService()).use { mock ->
            mock.client.files.delete("account", id, "New_Document")
            mock.requests.single { it.method == HttpMethod.Delete }.url.toString() shouldBe "$API/accounts($id)/new_document"
        }
    }

    test("downloadFlow is cold: nothing is requested until it is collected") {
        service(FakeFileService(stored = content(10))).use { mock ->
            val flow = mock.client.files.downloadFlow("account", id, "new_document")
            mock.requests.shouldBeEmpty()
            coroutineScope { async { flow.toList() }.await().single() shouldBe content(10) }
        }
    }

    test("with bodies logged, file content is logged as its size only, in uploads, blocks and downloads") {
        val secret = "TOP-SECRET-CONTENT-".repeat(20).toByteArray()
        val root = org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) as ch.qos.logback.classic.Logger
        val appender = ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>().apply { start() }
        val previous = root.level
        root.level = ch.qos.logback.classic.Level.TRACE
        root.addAppender(appender)
        try {
            val fake = FakeFileService(stored = secret)
            MockDataverse({ token("t"); logBodies(true) }) { request -> with(fake) { answer(request) } }.use { mock ->
                mock.client.files.upload("account", id, "new_document", ByteArrayInputStream(secret), "s.txt", UploadOptions(size = secret.size.toLong()))
                mock.client.files.upload("account", id, "new_document", ByteArrayInputStream(secret), "s.txt")
                mock.client.files.download("account", id, "new_document", ByteArrayOutputStream()).size shouldBe secret.size.toLong()
            }
        } finally {
            root.detachAppender(appender)
            root.level = previous
        }
        val lines = appender.list.map { it.formattedMessage }
        lines.any { it.contains("request body: <${secret.size} bytes of text/plain>") } shouldBe true
        lines.any { it.contains("response body: <${secret.size} bytes of") } shouldBe true
        lines.filter { "TOP-SECRET" in it || Base64.getEncoder().encodeToString(secret).take(40) in it }.shouldBeEmpty()
    }

    // Learn: file-column-data: an empty image column answers 204 without a body; downloads carry the type in mimetype.
    test("file-column-data: an empty image column (204, no body) is NotFoundException, not a malformed response") {
        val fake = FakeFileService(stored = null, intercept = { request ->
            if (request.url.encodedPath.endsWith("\$value")) respond("", HttpStatusCode.NoContent) else null
        })
        service(fake).use { mock ->
            shouldThrow<NotFoundException> { mock.client.files.download("account", id, "new_document", ByteArrayOutputStream()) }
                .message shouldContain "holds no file"
        }
    }

    test("file-column-data: the content type comes from mimetype, not the application/octet-stream Content-Type") {
        val data = content(100)
        val fake = FakeFileService(stored = data, intercept = { request ->
            if (request.url.encodedPath.endsWith("\$value")) {
                respond(
                    data, HttpStatusCode.PartialContent,
                    headersOf(
                        "x-ms-file-size" to listOf("100"), "x-ms-file-name" to listOf("a.pdf"), "mimetype" to listOf("application/pdf"),
                        "Content-Type" to listOf("application/octet-stream"), "Content-Disposition" to listOf("attachment; filename=a.pdf"),
                    ),
                )
            } else {
                null
            }
        })
        service(fake).use { mock ->
            mock.client.files.download("account", id, "new_document", ByteArrayOutputStream()).contentType shouldBe "application/pdf"
        }
    }

    // Learn: compose-http-requests-handle-errors: If-None-Match: null is a cache override, not "only if empty".
    test("compose-http-requests-handle-errors: overwrite = false reads the column first and never relies on the service refusing") {
        service(FakeFileService(stored = content(5))).use { mock ->
            shouldThrow<PreconditionFailedException> {
                mock.client.files.upload("account", id, "new_document", ByteArrayInputStream(content(10)), "a.bin", UploadOptions(size = 10, overwrite = false))
            }
            mock.uploads.shouldBeEmpty()
        }
        val fake = FakeFileService()
        service(fake).use { mock ->
            mock.client.files.upload("account", id, "new_document", ByteArrayInputStream(content(10)), "a.bin", UploadOptions(size = 10, overwrite = false))
            mock.uploads.first().headers.getAll("If-None-Match") shouldBe listOf("null")
            mock.uploads.none { it.headers["If-Match"] != null } shouldBe true
            fake.chunks.size shouldBe 1
        }
    }
})
