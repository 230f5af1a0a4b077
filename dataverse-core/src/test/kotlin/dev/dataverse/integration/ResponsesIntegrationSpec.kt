package dev.dataverse.integration

import dev.dataverse.PreconditionFailedException
import dev.dataverse.RecordKey
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.nulls.shouldBeNull
import io.kotest.matchers.nulls.shouldNotBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldStartWith
import java.util.UUID

/**
 * The `...WithResponse` variants against the emulator: statuses, ETags of the version written (Learn:
 * update-delete-entities-using-web-api "Update with data returned", create-entity-web-api "Create with data returned"),
 * and created (201) told from updated (200) on upsert.
 */
class ResponsesIntegrationSpec : FunSpec({
    val fixture = EmulatorFixture()
    extension(fixture)

    test("create answers 201 with the new id and its ETag, which a read confirms") {
        val created = fixture.records.createWithResponse("account", mapOf("name" to "Response 1"))
        created.statusCode shouldBe 201
        created.etag.shouldNotBeNull() shouldStartWith "W/\""
        created.header("odata-entityid")!! shouldContain created.value.toString()
        created.headers["ODATA-ENTITYID"] shouldBe created.headers["OData-EntityId"]
        created.correlationId shouldNotBe ""
        created.clientRequestId shouldNotBe created.correlationId

        val read = fixture.records.getWithResponse("account", RecordKey.id(created.value))
        read.statusCode shouldBe 200
        read.value.getString("name") shouldBe "Response 1"
        read.etag shouldBe created.etag
    }

    test("update answers with the ETag of the version written: the next conditional update needs no read") {
        val id = fixture.records.create("account", mapOf("name" to "Response 2"))
        val before = fixture.records.get("account", id).etag!!

        val updated = fixture.records.updateWithResponse("account", RecordKey.id(id), mapOf("name" to "Response 2b"), ifMatch = before)
        updated.statusCode shouldBe 200
        updated.value shouldBe id
        updated.etag.shouldNotBeNull() shouldNotBe before
        updated.etag shouldBe fixture.records.get("account", id).etag

        fixture.records.updateWithResponse("account", RecordKey.id(id), mapOf("name" to "Response 2c"), ifMatch = updated.etag).statusCode shouldBe 200
        shouldThrow<PreconditionFailedException> {
            fixture.records.updateWithResponse("account", RecordKey.id(id), mapOf("name" to "stale"), ifMatch = updated.etag)
        }
        fixture.records.get("account", id).getString("name") shouldBe "Response 2c"
    }

    test("upsert tells a record created (201) from one updated (200), by id and by alternate key") {
        fixture.ensureAccountNumberKey()
        val id = UUID.randomUUID()
        val first = fixture.records.upsertWithResponse("account", RecordKey.id(id), mapOf("name" to "Response 3"))
        first.statusCode shouldBe 201
        first.value shouldBe id
        val second = fixture.records.upsertWithResponse("account", RecordKey.id(id), mapOf("name" to "Response 3b"))
        second.statusCode shouldBe 200
        second.value shouldBe id
        second.etag shouldNotBe first.etag
        second.etag shouldBe fixture.records.get("account", id).etag

        val key = RecordKey.alternate("accountnumber", "RESP-4")
        val created = fixture.records.upsertWithResponse("account", key, mapOf("name" to "Response 4"))
        created.statusCode shouldBe 201
        fixture.records.upsertWithResponse("account", key, mapOf("name" to "Response 4b")).let {
            it.statusCode shouldBe 200
            it.value shouldBe created.value
        }
    }

    test("delete answers 204 with no value and no ETag") {
        val id = fixture.records.create("account", mapOf("name" to "Response 5"))
        val deleted = fixture.records.deleteWithResponse("account", RecordKey.id(id))
        deleted.statusCode shouldBe 204
        deleted.value.shouldBeNull()
        deleted.etag.shouldBeNull()
    }

    test("a page with its response: status, the Preference-Applied page size, the service's request id; the token still resumes") {
        repeat(3) { fixture.records.create("account", mapOf("name" to "Paged response $it")) }
        val options = dev.dataverse.ListOptions(select = listOf("name"), filter = dev.dataverse.Filter.startsWith("name", "Paged response"), pageSize = 2)
        val first = fixture.records.pageWithResponse("account", options)
        // Learn, "Page results using OData": the answer to Prefer: odata.maxpagesize=2 carries Preference-Applied: odata.maxpagesize=2.
        first.statusCode shouldBe 200
        first.header("preference-applied").shouldNotBeNull() shouldContain "odata.maxpagesize=2"
        first.serviceRequestId.shouldNotBeNull()
        first.correlationId shouldNotBe ""
        first.value.records.size shouldBe 2
        val second = fixture.records.pageWithResponse("account", options, first.value.continuationToken)
        second.value.records.size shouldBe 1
        second.value.continuationToken.shouldBeNull()
        second.clientRequestId shouldNotBe first.clientRequestId
    }

    test("a batch with its response: the \$batch answer's status and multipart content type, the operations' results as the value") {
        val response = fixture.client.batchWithResponse(
            dev.dataverse.BatchRequest.builder().apply { create("account", mapOf("name" to "Batch response")) }.build(),
        )
        // Learn, "Execute batch operations using the Web API": the batch answers 200 with a multipart/mixed body.
        response.statusCode shouldBe 200
        response.header("Content-Type").shouldNotBeNull() shouldStartWith "multipart/mixed"
        response.serviceRequestId.shouldNotBeNull()
        response.value.operations.single().outcome shouldBe dev.dataverse.BatchOutcome.SUCCEEDED
    }

    test("a message with its response: status and headers of the function's answer, its result as the value") {
        val response = fixture.client.messages.executeWithResponse(dev.dataverse.MessageRequest("WhoAmI", dev.dataverse.MessageKind.FUNCTION))
        // Learn, "Use Web API functions" (WhoAmI): 200 with OData-Version: 4.0 and the ids in the body.
        response.statusCode shouldBe 200
        response.header("OData-Version") shouldBe "4.0"
        response.value.toMap()["UserId"].shouldNotBeNull()
        response.etag.shouldBeNull()
    }
})
