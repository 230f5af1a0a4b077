package dev.dataverse.integration

import dev.dataverse.BulkOperationException
import dev.dataverse.BulkOptions
import dev.dataverse.BulkOutcome
import dev.dataverse.DuplicateRecordException
import dev.dataverse.Filter
import dev.dataverse.InvalidInputException
import dev.dataverse.ListOptions
import dev.dataverse.RecordChange
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.collections.shouldContainExactlyInAnyOrder
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeInstanceOf
import kotlinx.coroutines.flow.asFlow
import kotlinx.coroutines.flow.toList
import java.util.UUID

/**
 * A bulk load re-run with the same ids. The service refuses a create whose primary id exists with "Cannot insert
 * duplicate key" (`0x80040237`, Learn: "Dataverse client errors", which names a CreateMultiple request with such a
 * record as the example), and rolls a failed CreateMultiple back as a whole (Learn: "Use CreateMultiple", bulk
 * operations run in a transaction); with `skipExisting` those inputs are done, reported apart, never as created.
 */
class IdempotentBulkLoadIntegrationSpec : FunSpec({
    val fixture = EmulatorFixture()
    extension(fixture)
    beforeTest { fixture.emulator.reset() }

    val ids = (0 until 5_000).map { UUID.nameUUIDFromBytes("load-$it".toByteArray()) }
    fun inputs(prefix: String) = ids.mapIndexed { i, id -> mapOf("accountid" to id, "name" to "$prefix $i") }
    suspend fun stored(): Map<UUID, String?> =
        fixture.records.list("account", ListOptions(select = listOf("name"), filter = Filter.startsWith("name", "Load"))).toList()
            .associate { it.id!! to it.getString("name") }

    test("a re-run of a partly loaded set creates the rest and reports the existing apart: counts add up, nothing lost, nothing overwritten") {
        // The first run stopped after 3,000 records (a crash, a deploy).
        fixture.records.createMany("account", inputs("Load first").take(3_000)).succeeded shouldBe 3_000

        val rerun = fixture.records.createMany("account", inputs("Load second").asFlow(), BulkOptions(chunkSize = 1000, skipExisting = true))

        rerun.size shouldBe 5_000
        rerun.succeeded shouldBe 2_000
        rerun.alreadyExisting shouldBe 3_000
        rerun.failures.shouldBeEmpty()
        rerun.isSuccess shouldBe true
        rerun.alreadyExistingIds shouldContainExactly ids.take(3_000)
        rerun.succeededIds shouldContainExactly ids.drop(3_000)
        rerun.ids.take(3_000).all { it == null } shouldBe true
        (0 until 5_000).map { rerun.outcome(it) }.groupingBy { it }.eachCount() shouldBe
            mapOf(BulkOutcome.ALREADY_EXISTS to 3_000, BulkOutcome.SUCCEEDED to 2_000)
        val rows = stored()
        rows.keys shouldContainExactlyInAnyOrder ids
        // What existed was left as it was: skipExisting never writes over a record.
        ids.take(3_000).all { rows[it]!!.startsWith("Load first") } shouldBe true
        ids.drop(3_000).all { rows[it]!!.startsWith("Load second") } shouldBe true

        // A third run finds everything: nothing created, nothing failed.
        val again = fixture.records.createMany("account", inputs("Load third"), BulkOptions(skipExisting = true))
        again.succeeded shouldBe 0
        again.alreadyExisting shouldBe 5_000
        again.isSuccess shouldBe true
    }

    test("without skipExisting a re-run reports every existing record as a duplicate failure, as the service answers") {
        fixture.records.createMany("account", inputs("Load first").take(1_500))
        val rerun = fixture.records.createMany("account", inputs("Load second").take(2_000), BulkOptions(chunkSize = 500, continueOnError = true))
        rerun.failures.size shouldBe 1_500
        rerun.failures.first().error.shouldBeInstanceOf<DuplicateRecordException>().errorCode shouldBe "0x80040237"
        rerun.failures.first().values!!["name"] shouldBe "Load second 0"
        rerun.succeeded shouldBe 500
        rerun.alreadyExisting shouldBe 0
        // Fail-fast (the default) stops at the first duplicate, and says so.
        shouldThrow<BulkOperationException> { fixture.records.createMany("account", inputs("Load third").take(2_000), BulkOptions(chunkSize = 500)) }
            .result.alreadyExisting shouldBe 0
    }

    test("skipExisting with another bulk operation is refused before anything is sent") {
        val before = fixture.emulator.stats.requests
        val options = BulkOptions(skipExisting = true)
        shouldThrow<InvalidInputException> { fixture.records.updateMany("account", listOf(RecordChange.of(ids[0], mapOf("name" to "x"))), options) }
            .message shouldContain "upsertMany"
        shouldThrow<InvalidInputException> { fixture.records.deleteMany("account", listOf(dev.dataverse.RecordKey.id(ids[0])), options) }
        fixture.emulator.stats.requests shouldBe before
    }
})
