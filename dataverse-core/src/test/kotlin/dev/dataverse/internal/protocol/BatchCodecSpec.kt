package dev.dataverse.internal.protocol

import dev.dataverse.MalformedResponseException
import dev.dataverse.internal.hostile.HostileBodies
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeTypeOf

class BatchCodecSpec : FunSpec({
    test("record parts address the entity set, a record, or an earlier part's Content-ID, with the options each part carries") {
        // Learn, "Execute batch operations using the Web API": parts use absolute URLs under the API root, and a change set's
        // later part may address the record an earlier part created as `$<Content-ID>`; options such as a caller id are
        // request headers, which the service reads from each part as from a request of its own.
        val api = "https://org.crm.dynamics.com/api/data/v9.2"
        val account = TableMetadata("account", "accounts", "accountid", "name", "Account", null)
        val id = java.util.UUID.fromString("00000000-0000-0000-0000-000000000001")
        val caller = java.util.UUID.fromString("00000000-0000-0000-0000-000000000002")
        val body = RequestBody.json("""{"name":"Contoso"}""")

        val create = BatchCodec.recordPart("POST", api, account, null, null, null, emptyList(), null, body, 1)
        create.url shouldBe "$api/accounts"
        create.headers shouldBe emptyList()
        create.body shouldBe body
        create.contentId shouldBe 1

        val read = BatchCodec.recordPart(
            "GET", api, account, dev.dataverse.RecordKey.id(id), null,
            dev.dataverse.RetrieveOptions(select = listOf("name"), includeAnnotations = true), emptyList(), null, null, 2,
        )
        read.url shouldBe "$api/accounts($id)?\$select=name"
        read.headers shouldBe listOf("Prefer" to "odata.include-annotations=\"*\"")

        val options = dev.dataverse.RequestOptions(callerObjectId = caller, tag = "nightly")
        val update = BatchCodec.recordPart("PATCH", api, account, null, 1, null, listOf("If-Match" to "*"), options, body, 3)
        update.url shouldBe "\$1?tag=nightly"
        update.headers shouldBe listOf("If-Match" to "*", "CallerObjectId" to caller.toString())
    }

    test("a request with a lone GET and a change set encodes exactly as the Web API documents it") {
        val api = "https://org.crm.dynamics.com/api/data/v9.2"
        val encoded = BatchCodec.encode(
            listOf(
                BatchEntry.Single(BatchPart("GET", "$api/accounts(00000000-0000-0000-0000-000000000001)?\$select=name")),
                BatchEntry.ChangeSet(
                    listOf(
                        BatchPart("POST", "$api/contacts", body = RequestBody.json("""{"firstname":"Alice"}"""), contentId = 1),
                        BatchPart(
                            "PATCH", "$api/accounts(00000000-0000-0000-0000-000000000001)", listOf("If-Match" to "*"),
                            RequestBody.json("""{"primarycontactid@odata.bind":"$1"}"""), contentId = 2,
                        ),
                    ),
                ),
            ),
            "batch_6f1c",
        ) { "changeset_9a2e" }.text()
        encoded shouldBe "--batch_6f1c\r\n" +
            "Content-Type: application/http\r\n" +
            "Content-Transfer-Encoding: binary\r\n" +
            "\r\n" +
            "GET $api/accounts(00000000-0000-0000-0000-000000000001)?\$select=name HTTP/1.1\r\n" +
            "\r\n" +
            "\r\n" +
            "--batch_6f1c\r\n" +
            "Content-Type: multipart/mixed; boundary=changeset_9a2e\r\n" +
            "\r\n" +
            "--changeset_9a2e\r\n" +
            "Content-Type: application/http\r\n" +
            "Content-Transfer-Encoding: binary\r\n" +
            "Content-ID: 1\r\n" +
            "\r\n" +
            "POST $api/contacts HTTP/1.1\r\n" +
            "Content-Type: application/json; type=entry\r\n" +
            "\r\n" +
            "{\"firstname\":\"Alice\"}\r\n" +
            "--changeset_9a2e\r\n" +
            "Content-Type: application/http\r\n" +
            "Content-Transfer-Encoding: binary\r\n" +
            "Content-ID: 2\r\n" +
            "\r\n" +
            "PATCH $api/accounts(00000000-0000-0000-0000-000000000001) HTTP/1.1\r\n" +
            "Content-Type: application/json; type=entry\r\n" +
            "If-Match: *\r\n" +
            "\r\n" +
            "{\"primarycontactid@odata.bind\":\"\$1\"}\r\n" +
            "--changeset_9a2e--\r\n" +
            "--batch_6f1c--\r\n"
    }

    test("the documented response with a change set and a GET decodes in order") {
        val body = """
            --batchresponse_f27e
            Content-Type: multipart/mixed; boundary=changesetresponse_64cc

            --changesetresponse_64cc
            Content-Type: application/http
            Content-Transfer-Encoding: binary
            Content-ID: 1

            HTTP/1.1 204 No Content
            OData-Version: 4.0
            Location: https://org.crm.dynamics.com/api/data/v9.2/tasks(e73ffc82-e292-ed11-aad1-000d3a9933c9)
            OData-EntityId: https://org.crm.dynamics.com/api/data/v9.2/tasks(e73ffc82-e292-ed11-aad1-000d3a9933c9)


            --changesetresponse_64cc--
            --batchresponse_f27e
            Content-Type: application/http
            Content-Transfer-Encoding: binary

            HTTP/1.1 200 OK
            Content-Type: application/json; odata.metadata=minimal; odata.streaming=true
            OData-Version: 4.0

            {"@odata.context":"x","value":[{"subject":"Task 1"}]}
            --batchresponse_f27e--
        """.trimIndent().replace("\n", "\r\n")
        val parts = BatchCodec.decode("multipart/mixed; boundary=batchresponse_f27e", Body.of(body))
        parts shouldHaveSize 2
        parts[0].status shouldBe 204
        parts[0].contentId shouldBe "1"
        parts[0].header("odata-entityid") shouldBe "https://org.crm.dynamics.com/api/data/v9.2/tasks(e73ffc82-e292-ed11-aad1-000d3a9933c9)"
        parts[0].body.text() shouldBe ""
        parts[1].status shouldBe 200
        parts[1].body.text() shouldBe """{"@odata.context":"x","value":[{"subject":"Task 1"}]}"""
        parts[1].contentId shouldBe null
    }

    test("a failed part keeps its status and error body; LF-only line ends are accepted too") {
        val body = "--batchresponse_1\n" +
            "Content-Type: application/http\n" +
            "Content-Transfer-Encoding: binary\n\n" +
            "HTTP/1.1 400 Bad Request\n" +
            "REQ_ID: 5ecd1cb3-1730-4ffc-909c-d44c22270026\n" +
            "Content-Type: application/json; odata.metadata=minimal\n\n" +
            "{\"error\":{\"code\":\"0x80044331\",\"message\":\"A validation error occurred.\"}}\n" +
            "--batchresponse_1--\n"
        val part = BatchCodec.decode("multipart/mixed; boundary=\"batchresponse_1\"", Body.of(body)).single()
        part.status shouldBe 400
        part.header("REQ_ID") shouldBe "5ecd1cb3-1730-4ffc-909c-d44c22270026"
        part.body.text() shouldBe """{"error":{"code":"0x80044331","message":"A validation error occurred."}}"""
    }

    test("a response without a boundary, or with a broken body, is malformed") {
        BatchCodec.boundaryOf("application/json; odata.metadata=minimal") shouldBe null
        shouldThrow<MalformedResponseException> { BatchCodec.decode("application/json", Body.of("""{"error":{"code":"0x1","message":"rejected"}}""")) }
        shouldThrow<MalformedResponseException> { BatchCodec.decode("multipart/mixed; boundary=b", Body.of("--b\r\nContent-Type: application/http\r\n\r\nHTTP/1.1 200 OK\r\n")) }
        shouldThrow<MalformedResponseException> { BatchCodec.decode("multipart/mixed; boundary=b", Body.of("--b\r\nContent-Type: application/http\r\n\r\nnot a status\r\n--b--")) }
        shouldThrow<MalformedResponseException> { BatchCodec.decode("multipart/mixed; boundary=b", Body.of("no delimiter at all")) }
    }

    test("an encoded request decodes back through the same parser (round trip of the multipart framing)") {
        val encoded = BatchCodec.encode(
            listOf(BatchEntry.ChangeSet(listOf(BatchPart("DELETE", "https://x/api/data/v9.2/accounts(1)", contentId = 1)))),
            "batch_a",
        ) { "changeset_b" }
        // Requests are not responses, but the framing is shared: the part is found, and its request line rejected as a status.
        shouldThrow<MalformedResponseException> { BatchCodec.decode("multipart/mixed; boundary=batch_a", Body(encoded.bytes, 0, encoded.length)) }.message!!
            .contains("DELETE") shouldBe true
    }

    test("a multipart nested 3,000 deep is refused as malformed, without recursion; one change-set level decodes") {
        val nested = HostileBodies.nestedMultipart(3_000)
        // Run on a thread with a small stack: a decoder that recursed per level would overflow it.
        var outcome: Throwable? = null
        val thread = Thread(null, { outcome = runCatching { BatchCodec.decode("multipart/mixed; boundary=b0", Body.of(nested)) }.exceptionOrNull() }, "decode", 64 * 1024)
        thread.start()
        thread.join()
        outcome.shouldBeTypeOf<MalformedResponseException>().message!! shouldContain "nests a multipart inside a change set"

        val oneLevel = "--b\r\nContent-Type: multipart/mixed; boundary=c\r\n\r\n" +
            "--c\r\nContent-Type: application/http\r\nContent-ID: 1\r\n\r\nHTTP/1.1 204 No Content\r\nX-A: 1\r\n\r\n\r\n" +
            "--c\r\nContent-Type: application/http\r\nContent-ID: 2\r\n\r\nHTTP/1.1 200 OK\r\n\r\n{\"a\":1}\r\n--c--\r\n" +
            "--b\r\nContent-Type: application/http\r\n\r\nHTTP/1.1 404 Not Found\r\n\r\n\r\n--b--\r\n"
        val parts = BatchCodec.decode("multipart/mixed; boundary=b", Body.of(oneLevel))
        parts.map { it.status } shouldBe listOf(204, 200, 404)
        parts.map { it.contentId } shouldBe listOf("1", "2", null)
        parts[0].header("x-a") shouldBe "1"
        parts[1].body.text() shouldBe """{"a":1}"""
    }
})
