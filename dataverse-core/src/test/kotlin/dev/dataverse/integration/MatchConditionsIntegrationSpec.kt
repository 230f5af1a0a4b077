package dev.dataverse.integration

import dev.dataverse.BatchOutcome
import dev.dataverse.BatchReference
import dev.dataverse.DuplicateRecordException
import dev.dataverse.InvalidInputException
import dev.dataverse.MatchConditions
import dev.dataverse.NotFoundException
import dev.dataverse.PreconditionFailedException
import dev.dataverse.RecordKey
import dev.dataverse.batch
import dev.dataverse.changeSet
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeInstanceOf
import java.util.UUID

/**
 * Optimistic concurrency and limited upserts against the emulator, as Learn documents them in "Perform conditional
 * operations using the Web API": `If-Match: <etag>` on update and delete → 412 Precondition Failed when the record
 * changed; `If-None-Match: *` on upsert prevents an update (412, "A record with matching key values already exists.");
 * `If-Match: *` on upsert prevents a create (404). And "Update and delete table rows using the Web API" for the plain
 * forms. A condition an operation cannot carry fails before anything is sent.
 */
class MatchConditionsIntegrationSpec : FunSpec({
    val fixture = EmulatorFixture()
    extension(fixture)

    test("update with the ETag read succeeds once; the second writer with the same ETag gets 412 and changes nothing") {
        val id = fixture.records.create("account", mapOf("name" to "V1"))
        val read = fixture.records.get("account", id)
        fixture.records.update("account", id, mapOf("name" to "V2"), MatchConditions.ifMatch(read.etag!!))
        val stale = shouldThrow<PreconditionFailedException> {
            fixture.records.update("account", id, mapOf("name" to "V3"), MatchConditions.ifMatch(read.etag!!))
        }
        stale.statusCode shouldBe 412
        fixture.records.get("account", id).getString("name") shouldBe "V2"

        // The AndGet and WithResponse forms carry it too, and hand back the next ETag.
        val next = fixture.records.updateWithResponse("account", RecordKey.id(id), mapOf("name" to "V4"), MatchConditions.ifMatch(fixture.records.get("account", id).etag!!))
        val after = fixture.records.updateAndGet("account", RecordKey.id(id), mapOf("name" to "V5"), conditions = MatchConditions.ifMatch(next.etag!!))
        after.getString("name") shouldBe "V5"
        shouldThrow<PreconditionFailedException> {
            fixture.records.updateAndGet("account", RecordKey.id(id), mapOf("name" to "V6"), conditions = MatchConditions.ifMatch(next.etag!!))
        }
    }

    test("upsert create-only: creates when absent, 412 (DuplicateRecordException, a PreconditionFailedException) when it exists") {
        val id = UUID.randomUUID()
        fixture.records.upsertWithResponse("account", RecordKey.id(id), mapOf("name" to "Created"), MatchConditions.ifNoneMatchAny()).statusCode shouldBe 201
        val again = shouldThrow<PreconditionFailedException> {
            fixture.records.upsert("account", id, mapOf("name" to "Overwritten"), MatchConditions.ifNoneMatchAny())
        }
        again.shouldBeInstanceOf<DuplicateRecordException>()
        again.statusCode shouldBe 412
        fixture.records.get("account", id).getString("name") shouldBe "Created"
    }

    test("upsert update-only: updates when present, 404 and nothing created when absent") {
        val id = fixture.records.create("account", mapOf("name" to "Existing"))
        fixture.records.upsertAndGet("account", RecordKey.id(id), mapOf("name" to "Updated"), conditions = MatchConditions.ifMatchAny()).getString("name") shouldBe "Updated"
        val absent = UUID.randomUUID()
        shouldThrow<NotFoundException> { fixture.records.upsert("account", absent, mapOf("name" to "Never"), MatchConditions.ifMatchAny()) }
        shouldThrow<NotFoundException> { fixture.records.get("account", absent) }
    }

    test("upsert with an ETag updates only that version") {
        val id = fixture.records.create("account", mapOf("name" to "E1"))
        val etag = fixture.records.get("account", id).etag!!
        fixture.records.upsert("account", id, mapOf("name" to "E2"), MatchConditions.ifMatch(etag))
        shouldThrow<PreconditionFailedException> { fixture.records.upsert("account", id, mapOf("name" to "E3"), MatchConditions.ifMatch(etag)) }
        fixture.records.get("account", id).getString("name") shouldBe "E2"
    }

    test("delete with a stale ETag is a 412 and keeps the record; with the current one it deletes") {
        val id = fixture.records.create("account", mapOf("name" to "Doomed"))
        val old = fixture.records.get("account", id).etag!!
        fixture.records.update("account", id, mapOf("name" to "Changed"))
        shouldThrow<PreconditionFailedException> { fixture.records.delete("account", id, MatchConditions.ifMatch(old)) }
        fixture.records.get("account", id).getString("name") shouldBe "Changed"
        val current = fixture.records.get("account", id).etag!!
        fixture.records.deleteWithResponse("account", RecordKey.id(id), MatchConditions.ifMatch(current)).statusCode shouldBe 204
        shouldThrow<NotFoundException> { fixture.records.get("account", id) }
    }

    test("a condition an operation cannot carry fails before anything is sent") {
        val id = fixture.records.create("account", mapOf("name" to "Untouched"))
        val before = fixture.emulator.stats.requests
        shouldThrow<InvalidInputException> {
            fixture.records.update("account", id, mapOf("name" to "X"), MatchConditions.ifNoneMatchAny())
        }.message shouldContain "only an upsert can create"
        shouldThrow<InvalidInputException> { fixture.records.delete("account", id, MatchConditions.ifNoneMatchAny()) }
        shouldThrow<InvalidInputException> { fixture.records.deleteWithResponse("account", RecordKey.id(id), MatchConditions.ifNoneMatchAny()) }
        shouldThrow<InvalidInputException> { fixture.client.batch { delete("account", id, MatchConditions.ifNoneMatchAny()) } }
        shouldThrow<InvalidInputException> { fixture.client.batch { changeSet { update("account", id, mapOf("name" to "X"), MatchConditions.ifNoneMatchAny()) } } }
        shouldThrow<InvalidInputException> { MatchConditions.ifMatch(" ") }
        shouldThrow<InvalidInputException> { MatchConditions.ifMatch("W/\"1\"\r\nX: y") }
        fixture.emulator.stats.requests shouldBe before
        fixture.records.get("account", id).getString("name") shouldBe "Untouched"
    }

    test("\$batch carries the conditions on its parts: a stale update rolls its change set back; create-only and ETag deletes") {
        val id = fixture.records.create("account", mapOf("name" to "Batch V1"))
        val stale = fixture.records.get("account", id).etag!!
        fixture.records.update("account", id, mapOf("name" to "Batch V2"))
        val other = fixture.records.create("account", mapOf("name" to "Other"))

        lateinit var rolledBack: BatchReference
        lateinit var conflicting: BatchReference
        val failed = fixture.client.batch(continueOnError = true) {
            changeSet {
                rolledBack = update("account", other, mapOf("name" to "Other changed"))
                conflicting = update("account", id, mapOf("name" to "Batch V3"), MatchConditions.ifMatch(stale))
            }
        }
        failed[conflicting].error.shouldBeInstanceOf<PreconditionFailedException>()
        failed[rolledBack].outcome shouldBe BatchOutcome.ROLLED_BACK
        fixture.records.get("account", other).getString("name") shouldBe "Other"
        fixture.records.get("account", id).getString("name") shouldBe "Batch V2"

        val fresh = UUID.randomUUID()
        val current = fixture.records.get("account", id).etag!!
        lateinit var createOnly: BatchReference
        lateinit var duplicate: BatchReference
        lateinit var staleDelete: BatchReference
        lateinit var delete: BatchReference
        val result = fixture.client.batch(continueOnError = true) {
            createOnly = upsert("account", RecordKey.id(fresh), mapOf("name" to "Batch created"), MatchConditions.ifNoneMatchAny())
            duplicate = upsert("account", RecordKey.id(other), mapOf("name" to "Not overwritten"), MatchConditions.ifNoneMatchAny())
            staleDelete = delete("account", id, MatchConditions.ifMatch(stale))
            delete = delete("account", RecordKey.id(id), MatchConditions.ifMatch(current))
        }
        result[createOnly].isSuccess shouldBe true
        result[duplicate].error.shouldBeInstanceOf<DuplicateRecordException>()
        result[staleDelete].error.shouldBeInstanceOf<PreconditionFailedException>()
        result[delete].isSuccess shouldBe true
        fixture.records.get("account", fresh).getString("name") shouldBe "Batch created"
        fixture.records.get("account", other).getString("name") shouldBe "Other"
        shouldThrow<NotFoundException> { fixture.records.get("account", id) }
    }
})
