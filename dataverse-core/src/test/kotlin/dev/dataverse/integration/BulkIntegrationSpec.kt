package dev.dataverse.integration

import dev.dataverse.BatchOutcome
import dev.dataverse.BulkCancelledException
import dev.dataverse.BulkOperationException
import dev.dataverse.BulkOptions
import dev.dataverse.BulkOutcome
import dev.dataverse.BulkProgressListener
import dev.dataverse.Filter
import dev.dataverse.ListOptions
import dev.dataverse.RecordChange
import dev.dataverse.RecordKey
import dev.dataverse.RetrieveOptions
import dev.dataverse.batch
import dev.dataverse.changeSet
import dev.dataverse.emulator.EmulatorOptions
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.ints.shouldBeGreaterThanOrEqual
import io.kotest.matchers.ints.shouldBeInRange
import io.kotest.matchers.ints.shouldBeLessThanOrEqual
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeTypeOf
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.flow.asFlow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch

class BulkIntegrationSpec : FunSpec({
    val fixture = EmulatorFixture(EmulatorOptions(dopHint = 52, bulkUnsupportedTables = setOf("contact")))
    extension(fixture)
    beforeTest { fixture.emulator.reset() }

    test("20,000 records through createMany: all stored, ids in input order, in-flight requests within the limit") {
        val inputs = (0 until 20_000).map { mapOf("name" to "Bulk $it", "numberofemployees" to it) }
        val result = fixture.records.createMany("account", inputs.asFlow(), BulkOptions(chunkSize = 1000, maxParallelism = 3))
        result.isSuccess shouldBe true
        result.size shouldBe 20_000
        fixture.emulator.recordCount("account") shouldBe 20_000
        result.ids.toSet().size shouldBe 20_000
        for (index in listOf(0, 1, 999, 1000, 12_345, 19_999)) {
            fixture.records.get("account", result.ids[index]!!, RetrieveOptions(select = listOf("numberofemployees")))
                .getInt("numberofemployees") shouldBe index
        }
        fixture.emulator.stats.maxInFlight shouldBeLessThanOrEqual 3
    }

    test("a chunk failing in the middle: exactly the bad input fails, other chunks exist, fail-fast starts no further chunk") {
        val inputs = (0 until 50).map { mapOf("name" to if (it == 23) "x".repeat(500) else "Chunked $it") }
        val error = shouldThrow<BulkOperationException> {
            fixture.records.createMany("account", inputs, BulkOptions(chunkSize = 10, maxParallelism = 1))
        }
        val result = error.result
        result.failures.map { it.index } shouldBe listOf(23)
        result.failures.single().error.errorCode shouldBe "0x80044331"
        (0 until 30).filter { result.outcome(it) == BulkOutcome.SUCCEEDED } shouldBe (0 until 30).filter { it != 23 }
        (30 until 50).map { result.outcome(it) }.toSet() shouldBe setOf(BulkOutcome.NOT_ATTEMPTED)
        fixture.emulator.recordCount("account") shouldBe 29
    }

    test("a cancelled createMany throws BulkCancelledException saying what it wrote") {
        val firstChunk = CompletableDeferred<Unit>()
        val thrown = CompletableDeferred<Throwable>()
        val endless = flow { var i = 0; while (true) emit(mapOf("name" to "Endless ${i++}")) }
        val options = BulkOptions(chunkSize = 50, maxParallelism = 2, onProgress = BulkProgressListener { firstChunk.complete(Unit) })
        val job = launch {
            try {
                fixture.records.createMany("account", endless, options)
            } catch (e: Throwable) {
                thrown.complete(e)
                throw e
            }
        }
        firstChunk.await()
        job.cancelAndJoin()

        val result = thrown.await().shouldBeTypeOf<BulkCancelledException>().result
        result.succeeded shouldBeGreaterThanOrEqual 50
        result.succeededIds.size shouldBe result.succeeded
        val inFlight = result.failures.count { "may or may not have applied" in it.error.message.orEmpty() }
        result.failures.size shouldBe inFlight
        fixture.emulator.recordCount("account") shouldBeInRange result.succeeded..(result.succeeded + inFlight)
    }

    test("with continueOnError, every chunk runs and only the bad inputs fail") {
        val inputs = (0 until 40).map { mapOf("name" to if (it % 13 == 5) "x".repeat(500) else "Continue $it") }
        val result = fixture.records.createMany("account", inputs, BulkOptions(chunkSize = 10, continueOnError = true))
        result.failures.map { it.index } shouldBe listOf(5, 18, 31)
        fixture.emulator.recordCount("account") shouldBe 37
    }

    test("a table without the bulk actions is served through \$batch, transparently") {
        val result = fixture.records.createMany("contact", (0 until 30).map { mapOf("lastname" to "Fallback $it") }, BulkOptions(chunkSize = 10))
        result.isSuccess shouldBe true
        fixture.emulator.recordCount("contact") shouldBe 30
    }

    test("updateMany by id, upsertMany by alternate key, deleteMany") {
        fixture.ensureAccountNumberKey()
        val ids = fixture.records.createMany("account", (0 until 12).map { mapOf("name" to "U $it", "accountnumber" to "U-$it") }).ids.map { it!! }
        fixture.records.updateMany("account", ids.map { RecordChange.of(it, mapOf("numberofemployees" to 7)) }).isSuccess shouldBe true
        fixture.records.list("account", ListOptions(filter = Filter.eq("numberofemployees", 7))).toList().size shouldBe 12
        val upserts = (6 until 18).map { RecordChange(RecordKey.alternate("accountnumber", "U-$it"), mapOf("name" to "V $it")) }
        fixture.records.upsertMany("account", upserts).isSuccess shouldBe true
        fixture.emulator.recordCount("account") shouldBe 18
        fixture.records.get("account", RecordKey.alternate("accountnumber", "U-6")).getString("name") shouldBe "V 6"
        val deleted = fixture.records.deleteMany("account", ids.map(RecordKey::id) + RecordKey.id(java.util.UUID.randomUUID()), BulkOptions(continueOnError = true))
        deleted.succeeded shouldBe 12
        deleted.failures.single().index shouldBe 12
        deleted.failures.single().error.shouldBeTypeOf<dev.dataverse.NotFoundException>()
        fixture.emulator.recordCount("account") shouldBe 6
    }

    test("a change set binds a contact to the account it creates, in one atomic request") {
        lateinit var account: dev.dataverse.BatchReference
        lateinit var contact: dev.dataverse.BatchReference
        val result = fixture.client.batch {
            changeSet {
                account = create("account", mapOf("name" to "Parent"))
                contact = create("contact", mapOf("lastname" to "Child", "parentcustomerid_account" to account))
            }
        }
        result.isSuccess shouldBe true
        val stored = fixture.records.get("contact", result[contact].entityId!!)
        stored.getUuid("_parentcustomerid_value") shouldBe result[account].entityId
    }

    test("a change set with a failing operation persists nothing; outside it, continue-on-error runs the rest") {
        val result = fixture.client.batch(continueOnError = true) {
            create("account", mapOf("name" to "Before"))
            changeSet {
                create("account", mapOf("name" to "In change set 1"))
                create("account", mapOf("name" to "In change set 2"))
                create("account", mapOf("name" to "x".repeat(500)))
            }
            create("account", mapOf("name" to "After"))
        }
        result.operations.map { it.outcome } shouldContainExactly listOf(
            BatchOutcome.SUCCEEDED, BatchOutcome.ROLLED_BACK, BatchOutcome.ROLLED_BACK, BatchOutcome.FAILED, BatchOutcome.SUCCEEDED,
        )
        fixture.records.list("account", ListOptions(select = listOf("name"))).map { it.getString("name")!! }.toList().sorted() shouldBe listOf("After", "Before")
    }

    test("without continue-on-error the batch stops at the failure") {
        val result = fixture.client.batch {
            create("account", mapOf("name" to "First"))
            create("account", mapOf("name" to "x".repeat(500)))
            create("account", mapOf("name" to "Never"))
        }
        result.operations.map { it.outcome } shouldContainExactly listOf(BatchOutcome.SUCCEEDED, BatchOutcome.FAILED, BatchOutcome.NOT_EXECUTED)
        fixture.emulator.recordCount("account") shouldBe 1
    }
})
