package dev.dataverse.internal.protocol

import dev.dataverse.InvalidInputException
import dev.dataverse.MalformedResponseException
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeSorted
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import java.util.Base64
import java.util.UUID
import kotlin.random.Random

class FileProtocolSpec : FunSpec({
    val id = UUID.fromString("7b1c0000-0000-0000-0000-000000000001")
    val account = TableMetadata("account", "accounts", "accountid", "name", "Account", null)

    test("Content-Range names the inclusive last byte and the total") {
        FileProtocol.contentRange(0, 4_194_304, 25_870_370) shouldBe "bytes 0-4194303/25870370"
        FileProtocol.contentRange(25_165_824, 704_546, 25_870_370) shouldBe "bytes 25165824-25870369/25870370"
        FileProtocol.contentRange(0, 1, 1) shouldBe "bytes 0-0/1"
        shouldThrow<IllegalArgumentException> { FileProtocol.contentRange(0, 0, 0) }
        shouldThrow<IllegalArgumentException> { FileProtocol.contentRange(10, 5, 14) }
    }

    test("a Range request asks for length bytes from the offset") {
        FileProtocol.range(0, 4_194_304) shouldBe "bytes=0-4194303"
        FileProtocol.range(8_388_608, 1) shouldBe "bytes=8388608-8388608"
    }

    test("the chunk size is the service's x-ms-chunk-size, 4 MiB by default; nonsense is a malformed answer") {
        FileProtocol.chunkSize(null) shouldBe 4 * 1024 * 1024
        FileProtocol.chunkSize(" 1048576 ") shouldBe 1_048_576
        shouldThrow<MalformedResponseException> { FileProtocol.chunkSize("0") }
        shouldThrow<MalformedResponseException> { FileProtocol.chunkSize("lots") }
        shouldThrow<MalformedResponseException> { FileProtocol.chunkSize((64 * 1024 * 1024).toString()) }
    }

    test("paths address the column and its \$value; the upload path carries the percent-encoded file name") {
        FileProtocol.columnPath("accounts", id, "sample_file") shouldBe "accounts($id)/sample_file"
        FileProtocol.valuePath("accounts", id, "sample_file") shouldBe "accounts($id)/sample_file/\$value"
        FileProtocol.uploadPath("accounts", id, "sample_file", "25mb.pdf") shouldBe "accounts($id)/sample_file?x-ms-file-name=25mb.pdf"
        FileProtocol.uploadPath("accounts", id, "c", "Übersicht & Plan #2.pdf") shouldBe
            "accounts($id)/c?x-ms-file-name=%C3%9Cbersicht%20%26%20Plan%20%232.pdf"
    }

    test("file names with control characters, line breaks, separators or unpaired surrogates are refused; Unicode is fine") {
        FileProtocol.requireFileName("日本語.txt") shouldBe "日本語.txt"
        for (bad in listOf("a\r\nX-Evil: 1", "a\u0000b", "", "   ", "dir/file.txt", "dir\\file.txt", "bad\uD800.txt", "x".repeat(256))) {
            shouldThrow<InvalidInputException> { FileProtocol.requireFileName(bad) }
        }
        shouldThrow<InvalidInputException> { FileProtocol.requireFileName(null) }.message shouldContain "blank"
    }

    test("only printable ASCII names travel as a header") {
        FileProtocol.headerSafe("report 2024.pdf") shouldBe true
        FileProtocol.headerSafe("Übersicht.pdf") shouldBe false
        FileProtocol.headerSafe("tab\there") shouldBe false
    }

    test("the content type is the caller's, else guessed from the name, else application/octet-stream") {
        FileProtocol.contentType("application/x-custom", "a.pdf") shouldBe "application/x-custom"
        FileProtocol.contentType(null, "a.pdf") shouldBe "application/pdf"
        FileProtocol.contentType(null, "photo.png") shouldBe "image/png"
        FileProtocol.contentType(null, "data.zzqq") shouldBe "application/octet-stream"
    }

    test("block ids are Base64 of the same length for every block, in upload order") {
        val ids = (0 until 2000 step 37).map(FileProtocol::blockId)
        ids.map { it.length }.toSet().size shouldBe 1
        ids.map { Base64.getDecoder().decode(it).decodeToString() }.shouldBeSorted()
        Base64.getDecoder().decode(FileProtocol.blockId(3)).decodeToString() shouldBe "block-00000003"
    }

    test("the UploadBlock body is JSON whose BlockData is the Base64 of exactly the given bytes") {
        for (length in listOf(0, 1, 2, 3, 4, 12_287, 12_288, 12_289, 100_000)) {
            val data = Random(length).nextBytes(length + 7) // a larger buffer: only `length` bytes count
            val body = Json.parseToJsonElement(FileProtocol.uploadBlockBody("YQ==", data, length, "tok\"en").also { body ->
                body.toByteArray().size.toLong() shouldBe body.size
            }.toByteArray().decodeToString()).jsonObject
            Base64.getDecoder().decode(body.getValue("BlockData").jsonPrimitive.content) shouldBe data.copyOf(length)
            body.getValue("BlockId").jsonPrimitive.content shouldBe "YQ=="
            body.getValue("FileContinuationToken").jsonPrimitive.content shouldBe "tok\"en"
        }
    }

    test("initialize and commit bodies name the record, file and blocks") {
        FileProtocol.initializeBlocksBody(account, id, "sample_file", "x.pdf").toString() shouldBe
            """{"Target":{"accountid":"$id","@odata.type":"Microsoft.Dynamics.CRM.account"},"FileName":"x.pdf","FileAttributeName":"sample_file"}"""
        FileProtocol.commitBlocksBody("x.pdf", "application/pdf", listOf("YQ==", "Yg=="), "t").toString() shouldBe
            """{"FileName":"x.pdf","MimeType":"application/pdf","BlockList":["YQ==","Yg=="],"FileContinuationToken":"t"}"""
        FileProtocol.continuationToken(Body.of("""{"FileContinuationToken":"abc"}""")) shouldBe "abc"
        shouldThrow<MalformedResponseException> { FileProtocol.continuationToken(Body.of("""{}""")) }
        FileProtocol.committedSize(Body.of("""{"FileId":"x","FileSizeInBytes":42}""")) shouldBe 42L
    }

    test("the file info comes from x-ms-file-size, x-ms-file-name and mimetype, else Content-Type") {
        val headers = mapOf("x-ms-file-size" to "1234", "x-ms-file-name" to "a.txt", "mimetype" to "text/plain", "Content-Type" to "application/octet-stream")
        FileProtocol.fileInfo(headers::get).let {
            it.size shouldBe 1234L
            it.fileName shouldBe "a.txt"
            it.contentType shouldBe "text/plain"
        }
        FileProtocol.fileInfo(mapOf("x-ms-file-size" to "0", "Content-Type" to "image/png")::get).contentType shouldBe "image/png"
        shouldThrow<MalformedResponseException> { FileProtocol.fileInfo(mapOf("x-ms-file-name" to "a")::get) }
        shouldThrow<MalformedResponseException> { FileProtocol.fileInfo(mapOf("x-ms-file-size" to "-1")::get) }
    }

    test("a UTF-8 name read as ISO-8859-1 characters is restored; other names stay as they are") {
        val utf8AsLatin1 = String("Übersicht 日本.pdf".toByteArray(Charsets.UTF_8), Charsets.ISO_8859_1)
        FileProtocol.decodeHeaderName(utf8AsLatin1) shouldBe "Übersicht 日本.pdf"
        FileProtocol.decodeHeaderName("plain.txt") shouldBe "plain.txt"
        FileProtocol.decodeHeaderName("café.txt") shouldBe "café.txt"
        FileProtocol.decodeHeaderName("日本.txt") shouldBe "日本.txt"
    }

    test("the column kind comes from @odata.type or AttributeTypeName; its limit from MaxSizeInKB") {
        FileProtocol.columnKind(Body.of("""{"@odata.type":"#Microsoft.Dynamics.CRM.FileAttributeMetadata","LogicalName":"f"}""")) shouldBe FileColumnKind.FILE
        FileProtocol.columnKind(Body.of("""{"LogicalName":"i","AttributeTypeName":{"Value":"ImageType"}}""")) shouldBe FileColumnKind.IMAGE
        FileProtocol.columnKind(Body.of("""{"@odata.type":"#Microsoft.Dynamics.CRM.StringAttributeMetadata","AttributeTypeName":{"Value":"StringType"}}""")) shouldBe null
        FileProtocol.maxSizeBytes(Body.of("""{"MaxSizeInKB":102400}""")) shouldBe 104_857_600L
        shouldThrow<MalformedResponseException> { FileProtocol.maxSizeBytes(Body.of("""{"MaxSizeInKB":null}""")) }
        FileProtocol.attributePath("account", "sample_file") shouldBe
            "EntityDefinitions(LogicalName='account')/Attributes(LogicalName='sample_file')?\$select=LogicalName,AttributeType,AttributeTypeName"
        FileProtocol.maxSizePath("account", "sample_file", FileColumnKind.IMAGE) shouldBe
            "EntityDefinitions(LogicalName='account')/Attributes(LogicalName='sample_file')/Microsoft.Dynamics.CRM.ImageAttributeMetadata?\$select=MaxSizeInKB"
    }

    test("a session Location must be a session of the column being uploaded") {
        val path = "accounts($id)/f"
        FileProtocol.sessionLocation("https://org/api/data/v9.2/$path?sessiontoken=abc", path) shouldBe "https://org/api/data/v9.2/$path?sessiontoken=abc"
        shouldThrow<MalformedResponseException> { FileProtocol.sessionLocation(null, path) }
        shouldThrow<MalformedResponseException> { FileProtocol.sessionLocation("https://org/api/data/v9.2/accounts($id)/other?sessiontoken=abc", path) }
        shouldThrow<MalformedResponseException> { FileProtocol.sessionLocation("https://org/api/data/v9.2/$path", path) }
    }

    test("the size error names both sizes") {
        FileProtocol.tooLarge("account", "f", 2_000_000, 1_048_576).message shouldBe
            "The file is 2000000 bytes, larger than the 1048576 bytes (1024 KB) column 'f' of 'account' accepts."
    }
})
