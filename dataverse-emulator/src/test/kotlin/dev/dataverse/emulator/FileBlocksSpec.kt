package dev.dataverse.emulator

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.ktor.http.HttpMethod
import java.util.Base64

class FileBlocksSpec : FunSpec({
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

    suspend fun account(): String = client.create("accounts", """{"name":"Blocks"}""")

    suspend fun initialize(id: String, column: String = "new_document", name: String = "report.pdf"): BinaryResponse =
        files.send(
            HttpMethod.Post, "InitializeFileBlocksUpload",
            json = """{"Target":{"accountid":"$id","@odata.type":"Microsoft.Dynamics.CRM.account"},"FileName":${TestClient.quote(name)},"FileAttributeName":"$column"}""",
        )

    suspend fun block(token: String, blockId: String, data: ByteArray): BinaryResponse = files.send(
        HttpMethod.Post, "UploadBlock",
        json = """{"BlockId":"$blockId","BlockData":"${Base64.getEncoder().encodeToString(data)}","FileContinuationToken":"$token"}""",
    )

    suspend fun commit(token: String, blocks: List<String>, mime: String = "application/octet-stream", name: String = "report.pdf"): BinaryResponse =
        files.send(
            HttpMethod.Post, "CommitFileBlocksUpload",
            json = """{"FileName":${TestClient.quote(name)},"MimeType":"$mime","BlockList":[${blocks.joinToString(",") { "\"$it\"" }}],"FileContinuationToken":"$token"}""",
        )

    test("initialize, upload blocks and commit stores the blocks in the listed order; the type is guessed from the name") {
        val id = account()
        val init = initialize(id)
        init.status shouldBe 200
        val token = init.json.text("FileContinuationToken")!!
        val first = randomBytes(3000, 1)
        val second = randomBytes(2000, 2)
        block(token, "Yg==", second).status shouldBe 204
        block(token, "YQ==", first).status shouldBe 204
        val committed = commit(token, listOf("YQ==", "Yg=="))
        committed.status shouldBe 200
        committed.json.text("FileSizeInBytes") shouldBe "5000"
        val fileId = committed.json.text("FileId")!!
        client.get("accounts($id)?\$select=new_document,new_document_name").json.let {
            it.text("new_document") shouldBe fileId
            it.text("new_document_name") shouldBe "report.pdf"
        }
        val download = files.send(HttpMethod.Get, "accounts($id)/new_document/\$value")
        download.bytes shouldBe first + second
        download.headers["mimetype"] shouldBe "application/pdf"
    }

    test("an explicit MimeType is kept; an empty block list stores an empty file") {
        val id = account()
        val token = initialize(id, "new_picture", "pic").json.text("FileContinuationToken")!!
        commit(token, emptyList(), "image/png", "pic").status shouldBe 200
        val download = files.send(HttpMethod.Get, "accounts($id)/new_picture/\$value")
        download.headers["mimetype"] shouldBe "image/png"
        download.headers["x-ms-file-size"] shouldBe "0"
    }

    test("a token ends with its commit; unknown tokens, bad Base64, missing blocks and oversized content are refused") {
        val id = account()
        val token = initialize(id).json.text("FileContinuationToken")!!
        block(token, "YQ==", "not base64!!".toByteArray()).status shouldBe 204 // valid Base64 of arbitrary text
        files.send(HttpMethod.Post, "UploadBlock", json = """{"BlockId":"Yg==","BlockData":"%%%","FileContinuationToken":"$token"}""").status shouldBe 400
        commit(token, listOf("YQ==", "Yw==")).let { it.status shouldBe 400; it.text shouldContain "Yw==" }
        commit(token, listOf("YQ==")).status shouldBe 200
        block(token, "YQ==", randomBytes(10)).status shouldBe 404
        commit("unknown", emptyList()).status shouldBe 404

        val big = initialize(id).json.text("FileContinuationToken")!!
        block(big, "YQ==", randomBytes(40 * 1024)).status shouldBe 204
        val tooBig = block(big, "Yg==", randomBytes(40 * 1024))
        tooBig.status shouldBe 400
        tooBig.errorCode shouldBe "0x80044a02"
    }

    test("initialize checks the record, the column and the file name") {
        val id = account()
        initialize("00000000-0000-0000-0000-000000000009").status shouldBe 404
        initialize(id, column = "name").let { it.status shouldBe 400; it.text shouldContain "not a file or image column" }
        initialize(id, name = "").status shouldBe 400
    }

    test("DeleteFile removes the file with that id; an unknown id is 404") {
        val id = account()
        files.send(HttpMethod.Patch, "accounts($id)/new_document", randomBytes(10), headers = mapOf("x-ms-file-name" to "a.bin")).status shouldBe 204
        val fileId = client.get("accounts($id)?\$select=new_document").json.text("new_document")!!
        files.send(HttpMethod.Post, "DeleteFile", json = """{"FileId":"$fileId"}""").status shouldBe 204
        files.send(HttpMethod.Get, "accounts($id)/new_document/\$value").status shouldBe 404
        files.send(HttpMethod.Post, "DeleteFile", json = """{"FileId":"$fileId"}""").status shouldBe 404
        emulator.storedFileCount shouldBe 0
    }
})
