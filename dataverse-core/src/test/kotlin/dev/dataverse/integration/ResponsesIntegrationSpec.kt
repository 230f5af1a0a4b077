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

        val updated = fixture.records.updateWithResponse("account", RecordKey.id(id), mapOf("name" to "Response 2b"), conditions = dev.dataverse.MatchConditions.ifMatch(before!!))
        updated.statusCode shouldBe 200
        updated.value shouldBe id
        updated.etag.shouldNotBeNull() shouldNotBe before
        updated.etag shouldBe fixture.records.get("account", id).etag

        fixture.records.updateWithResponse("account", RecordKey.id(id), mapOf("name" to "Response 2c"), conditions = dev.dataverse.MatchConditions.ifMatch(updated.etag!!)).statusCode shouldBe 200
        shouldThrow<PreconditionFailedException> {
            fixture.records.updateWithResponse("account", RecordKey.id(id), mapOf("name" to "stale"), conditions = dev.dataverse.MatchConditions.ifMatch(updated.etag!!))
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
})
