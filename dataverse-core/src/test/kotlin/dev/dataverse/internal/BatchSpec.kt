package dev.dataverse.internal

import dev.dataverse.BatchFailedException
import dev.dataverse.BatchOutcome
import dev.dataverse.BatchRequest
import dev.dataverse.InvalidInputException
import dev.dataverse.NotFoundException
import dev.dataverse.RecordKey
import dev.dataverse.batch
import dev.dataverse.batchRequest
import dev.dataverse.changeSet
import dev.dataverse.internal.MockDataverse.Companion.API
import dev.dataverse.internal.protocol.BatchCodec
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeTypeOf
import io.ktor.client.engine.mock.respond
import io.ktor.client.engine.mock.toByteArray
import io.ktor.client.request.HttpRequestData
import io.ktor.http.HttpStatusCode
import io.ktor.http.headersOf
import java.util.UUID

class BatchSpec : FunSpec({
    val id1 = UUID.fromString("00000000-0000-0000-0000-0000000000a1")
    val id2 = UUID.fromString("00000000-0000-0000-0000-0000000000a2")

    fun part(contentId: Int, statusLine: String, headers: String = "", body: String = "") =
        "Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\nContent-ID: $contentId\r\n\r\n" +
            "HTTP/1.1 $statusLine\r\n$headers\r\n$body\r\n"

    fun multipart(vararg parts: String) = parts.joinToString("") { "--batchresponse_x\r\n$it" } + "--batchresponse_x--\r\n"

    val multipartHeaders = headersOf("Content-Type", "multipart/mixed; boundary=batchresponse_x")
    suspend fun HttpRequestData.text() = body.toByteArray().decodeToString()

    test("a batch is one POST to \$batch with a Content-ID per operation, and each answer lands on its operation") {
        var sent = ""
        MockDataverse {
            if (it.url.encodedPath.endsWith("\$batch")) {
                sent = it.text()
                it.body.contentType.toString() shouldContain "multipart/mixed; boundary=batch_"
                it.headers["Prefer"] shouldBe null
                respond(
                    multipart(
                        part(1, "200 OK", "Content-Type: application/json\r\n", """{"accountid":"$id1","name":"A"}"""),
                        "Content-Type: multipart/mixed; boundary=changesetresponse_y\r\n\r\n" +
                            "--changesetresponse_y\r\n" + part(2, "204 No Content", "OData-EntityId: $API/accounts($id2)\r\n") +
                            "--changesetresponse_y\r\n" + part(3, "204 No Content") +
                            "--changesetresponse_y--\r\n",
                    ),
                    HttpStatusCode.OK, multipartHeaders,
                )
            } else {
                null
            }
        }.use { mock ->
            lateinit var created: dev.dataverse.BatchReference
            val result = mock.client.batch {
                get("account", id1)
                changeSet {
                    created = create("account", mapOf("name" to "B", "accountid" to id2))
                    update(created, mapOf("name" to "C"))
                }
            }
            result.isSuccess shouldBe true
            result.operations[0].record!!.getString("name") shouldBe "A"
            result[created].entityId shouldBe id2
            result.operations[2].status shouldBe 204
            sent shouldContain "GET $API/accounts($id1) HTTP/1.1"
            sent shouldContain "Content-ID: 2\r\n\r\nPOST $API/accounts HTTP/1.1"
            sent shouldContain "Content-ID: 3\r\n\r\nPATCH \$2 HTTP/1.1\r\nContent-Type: application/json; type=entry\r\nIf-Match: *"
        }
    }

    test("references bind later operations to records created earlier in the change set") {
        var sent = ""
        MockDataverse {
            if (it.url.encodedPath.endsWith("\$batch")) {
                sent = it.text()
                respond(multipart(part(1, "204 No Content", "OData-EntityId: $API/accounts($id1)\r\n"), part(2, "204 No Content", "OData-EntityId: $API/accounts($id2)\r\n")), HttpStatusCode.OK, multipartHeaders)
            } else {
                null
            }
        }.use { mock ->
            mock.client.batch {
                changeSet {
                    val parent = create("account", mapOf("name" to "Parent"))
                    create("account", mapOf("name" to "Child", "parentaccountid" to parent))
                }
            }.isSuccess shouldBe true
            sent shouldContain """{"name":"Child","parentaccountid@odata.bind":"${'$'}1","accountid":"""
        }
    }

    test("a stopped batch reports the failure, earlier successes without answers, and the rest as not executed") {
        MockDataverse {
            if (it.url.encodedPath.endsWith("\$batch")) {
                respond(
                    multipart(part(2, "404 Not Found", "Content-Type: application/json\r\n", """{"error":{"code":"0x80040217","message":"account With Id = $id2 Does Not Exist"}}""")),
                    HttpStatusCode.NotFound, multipartHeaders,
                )
            } else {
                null
            }
        }.use { mock ->
            val result = mock.client.batch {
                delete("account", id1)
                delete("account", id2)
                delete("account", RecordKey.alternate("accountnumber", "x"))
            }
            result.operations.map { it.outcome } shouldBe listOf(BatchOutcome.SUCCEEDED, BatchOutcome.FAILED, BatchOutcome.NOT_EXECUTED)
            result.operations[0].status shouldBe null
            result.operations[1].error.shouldBeTypeOf<NotFoundException>().errorCode shouldBe "0x80040217"
            shouldThrow<BatchFailedException> { result.throwIfFailed() }.result shouldBe result
        }
    }

    test("a failed change set rolls back its other operations; continue-on-error runs the rest") {
        MockDataverse {
            if (it.url.encodedPath.endsWith("\$batch")) {
                it.headers["Prefer"] shouldBe "odata.continue-on-error"
                respond(
                    multipart(
                        part(2, "400 Bad Request", "Content-Type: application/json\r\n", """{"error":{"code":"0x80044331","message":"too long"}}"""),
                        part(3, "204 No Content", "OData-EntityId: $API/accounts($id2)\r\n"),
                    ),
                    HttpStatusCode.OK, multipartHeaders,
                )
            } else {
                null
            }
        }.use { mock ->
            val result = mock.client.batch(continueOnError = true) {
                changeSet {
                    create("account", mapOf("name" to "ok"))
                    create("account", mapOf("name" to "x".repeat(500)))
                }
                create("account", mapOf("name" to "outside"))
            }
            result.operations.map { it.outcome } shouldBe listOf(BatchOutcome.ROLLED_BACK, BatchOutcome.FAILED, BatchOutcome.SUCCEEDED)
            result.failures shouldHaveSize 1
        }
    }

    test("a batch rejected without multipart fails each of its operations with the service's error") {
        MockDataverse {
            if (it.url.encodedPath.endsWith("\$batch")) {
                respond("""{"error":{"code":"0x80060888","message":"Content-ID Reference: '${'$'}9' does not exist in the batch context."}}""", HttpStatusCode.BadRequest, headersOf("Content-Type", "application/json"))
            } else {
                null
            }
        }.use { mock ->
            val result = mock.client.batch { create("account", mapOf("name" to "a")); create("account", mapOf("name" to "b")) }
            result.operations.map { it.outcome } shouldBe listOf(BatchOutcome.FAILED, BatchOutcome.FAILED)
            result.operations[0].error!!.message!! shouldContain "does not exist in the batch context"
        }
    }

    test("more than 1000 operations are split into requests at entry boundaries") {
        val batchBodies = mutableListOf<String>()
        MockDataverse {
            if (it.url.encodedPath.endsWith("\$batch")) {
                val text = it.text()
                batchBodies += text
                val ids = Regex("Content-ID: (\\d+)").findAll(text).map { m -> m.groupValues[1].toInt() }.toList()
                respond(multipart(*ids.map { n -> part(n, "204 No Content") }.toTypedArray()), HttpStatusCode.OK, multipartHeaders)
            } else {
                null
            }
        }.use { mock ->
            val result = mock.client.batch {
                repeat(999) { delete("account", UUID.randomUUID()) }
                changeSet { repeat(3) { delete("account", UUID.randomUUID()) } }
                repeat(600) { delete("account", UUID.randomUUID()) }
            }
            result.operations shouldHaveSize 1602
            result.isSuccess shouldBe true
            batchBodies.map { body -> Regex("Content-ID").findAll(body).count() } shouldBe listOf(999, 603)
        }
    }

    test("invalid batches fail before sending") {
        MockDataverse { null }.use { mock ->
            shouldThrow<InvalidInputException> { batchRequest { } }.message shouldContain "at least one operation"
            shouldThrow<InvalidInputException> { batchRequest { changeSet { }; get("account", id1) } }.message shouldContain "is empty"
            shouldThrow<InvalidInputException> { batchRequest { changeSet { repeat(1001) { delete("account", UUID.randomUUID()) } } } }
                .message shouldContain "at most 1000"
            val other = BatchRequest.builder()
            val foreign = other.changeSet().create("account", mapOf("name" to "x"))
            shouldThrow<InvalidInputException> { batchRequest { changeSet { create("contact", mapOf("parentcustomerid_account" to foreign)) } } }
                .message shouldContain "does not exist in this batch"
            shouldThrow<InvalidInputException> {
                batchRequest {
                    val outside = create("account", mapOf("name" to "x"))
                    changeSet { update(outside, mapOf("name" to "y")) }
                }
            }.message shouldContain "inside its own change set"
            shouldThrow<InvalidInputException> { batchRequest { create("account", mapOf("name" to Any())) } }.message shouldContain "'name'"
            shouldThrow<InvalidInputException> { batchRequest { create("bad/table", mapOf()) } }
            // The ETag becomes a header line inside the multipart body: a line break would forge a part.
            shouldThrow<InvalidInputException> { batchRequest { changeSet { update("account", id1, mapOf("name" to "x"), dev.dataverse.MatchConditions.ifMatch("W/\"1\"\r\nX: y")) } } }
                .message shouldContain "ETag"
            shouldThrow<InvalidInputException> { batchRequest { update("account", id1, mapOf("name" to "x"), dev.dataverse.MatchConditions.ifMatch(" ")) } }
            mock.requests shouldHaveSize 0
        }
    }

    test("the response framing helper finds the boundary") {
        BatchCodec.boundaryOf("multipart/mixed; boundary=batchresponse_x") shouldBe "batchresponse_x"
    }
})
