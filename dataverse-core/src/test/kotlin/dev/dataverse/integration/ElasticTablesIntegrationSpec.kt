package dev.dataverse.integration

import dev.dataverse.BulkOptions
import dev.dataverse.BulkOutcome
import dev.dataverse.ColumnSpec
import dev.dataverse.DataverseClient
import dev.dataverse.HttpPolicy
import dev.dataverse.InvalidInputException
import dev.dataverse.ListOptions
import dev.dataverse.NotFoundException
import dev.dataverse.RecordChange
import dev.dataverse.RecordKey
import dev.dataverse.RetrieveOptions
import dev.dataverse.TableSpec
import dev.dataverse.TableType
import dev.dataverse.batch
import dev.dataverse.changeSet
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.util.Collections
import java.util.UUID

/**
 * Elastic tables end to end against the emulator over loopback HTTP. Learn pages: "Create elastic tables using code"
 * (TableType), "Use elastic tables using code" (partitionid keys, upsert replaces, partitionId parameter), "Bulk
 * operations with elastic tables" (DeleteMultiple, partial success, 100 per request), "Elastic tables" (no transactions),
 * count-rows (the 500 cap is WIRE.md §3).
 */
class ElasticTablesIntegrationSpec : FunSpec({
    val fixture = EmulatorFixture()
    extension(fixture)
    val sent = Collections.synchronizedList(ArrayList<String>())
    lateinit var client: DataverseClient

    beforeSpec {
        client = DataverseClient {
            environmentUrl(fixture.emulator.baseUrl)
            token("test-token")
            addPolicy(HttpPolicy { request -> sent += "${request.method} ${request.url.substringAfter("/api/data/v9.2/")}" })
        }
        client.tables.create(
            TableSpec("new_Reading", "Reading", columns = listOf(ColumnSpec.integer("new_Value", "Value")), tableType = TableType.ELASTIC),
        )
    }
    afterSpec { client.close() }
    beforeTest {
        fixture.emulator.reset()
        sent.clear()
    }

    fun requestsMatching(text: String) = sent.filter { it.contains(text) }

    test("a table created with TableType ELASTIC reads back as elastic; standard tables read back as standard") {
        val reading = client.tables.get("new_reading")
        reading.tableType shouldBe TableType.ELASTIC
        client.tables.get("account").tableType shouldBe TableType.STANDARD
        client.tables.columns("new_reading").map { it.logicalName } shouldContainAllOf listOf("partitionid", "ttlinseconds")
    }

    test("a record with a partition is read, updated and deleted by id and partition, and not found by id alone") {
        val id = client.records.create("new_reading", mapOf("new_name" to "r1", "new_value" to 1, "partitionid" to "device-1"))
        val key = RecordKey.partitioned(id, "device-1")
        client.records.get("new_reading", key).getInt("new_value") shouldBe 1
        shouldThrow<NotFoundException> { client.records.get("new_reading", id) }
        shouldThrow<NotFoundException> { client.records.get("new_reading", RecordKey.partitioned(id, "device-2")) }

        sent.clear()
        client.records.update("new_reading", key, mapOf("new_value" to 2))
        sent.single() shouldBe "PATCH new_readings(new_readingid=$id,partitionid='device-1')"
        client.records.get("new_reading", key, RetrieveOptions(select = listOf("new_value", "partitionid"))).let {
            it.getInt("new_value") shouldBe 2
            it.getString("partitionid") shouldBe "device-1"
        }
        client.records.delete("new_reading", key)
        fixture.emulator.recordCount("new_reading") shouldBe 0
    }

    test("a record created without a partition lives in the partition of its own id and is found by id alone") {
        val id = client.records.create("new_reading", mapOf("new_name" to "plain"))
        client.records.get("new_reading", id, RetrieveOptions(select = listOf("partitionid"))).getString("partitionid") shouldBe id.toString()
        client.records.get("new_reading", RecordKey.partitioned(id, id.toString())).getString("new_name") shouldBe "plain"
        client.records.delete("new_reading", id)
        fixture.emulator.recordCount("new_reading") shouldBe 0
    }

    test("upsert by id and partition creates the record with that id, then replaces it whole") {
        val id = UUID.randomUUID()
        val key = RecordKey.partitioned(id, "O'Neil #7")
        client.records.upsert("new_reading", key, mapOf("new_name" to "first", "new_value" to 5)) shouldBe id
        client.records.get("new_reading", key).getString("partitionid") shouldBe "O'Neil #7"
        client.records.upsert("new_reading", key, mapOf("new_value" to 6)) shouldBe id
        val replaced = client.records.get("new_reading", key)
        replaced.getInt("new_value") shouldBe 6
        // An elastic upsert replaces the record: the name it did not send is gone.
        replaced.getString("new_name") shouldBe null
        fixture.emulator.recordCount("new_reading") shouldBe 1
    }

    test("a partitioned key for a standard table is refused before anything is sent") {
        // The table's metadata is cached first, so that the check below is the only thing that could send a request.
        shouldThrow<NotFoundException> { client.records.get("account", UUID.randomUUID()) }
        sent.clear()
        shouldThrow<InvalidInputException> { client.records.get("account", RecordKey.partitioned(UUID.randomUUID(), "p")) }
            .message shouldContain "not an elastic table"
        sent shouldBe emptyList()
    }

    test("deleteMany on an elastic table sends DeleteMultiple in chunks of 100; createMany chunks by 100 too") {
        val created = client.records.createMany("new_reading", (0 until 250).map { mapOf("new_name" to "r$it", "partitionid" to "d${it % 3}") })
        created.isSuccess shouldBe true
        requestsMatching("CreateMultiple").size shouldBe 3
        val keys = created.ids.mapIndexed { i, id -> RecordKey.partitioned(id!!, "d${i % 3}") }
        sent.clear()
        val deleted = client.records.deleteMany("new_reading", keys)
        deleted.isSuccess shouldBe true
        deleted.ids shouldBe created.ids
        sent shouldBe List(3) { "POST new_readings/Microsoft.Dynamics.CRM.DeleteMultiple" }
        fixture.emulator.recordCount("new_reading") shouldBe 0
    }

    test("deleteMany on a standard table never sends DeleteMultiple") {
        val ids = client.records.createMany("account", (0 until 5).map { mapOf("name" to "a$it") }).ids
        sent.clear()
        client.records.deleteMany("account", ids.map { RecordKey.id(it!!) }).isSuccess shouldBe true
        requestsMatching("DeleteMultiple") shouldBe emptyList()
        requestsMatching("\$batch").size shouldBe 1
        fixture.emulator.recordCount("account") shouldBe 0
    }

    test("the elastic chunk size is configurable and the standard one does not apply to elastic tables") {
        client.records.createMany(
            "new_reading", (0 until 30).map { mapOf("new_name" to "r$it") }, BulkOptions(chunkSize = 1, elasticChunkSize = 10),
        ).isSuccess shouldBe true
        requestsMatching("CreateMultiple").size shouldBe 3
    }

    test("a partly failed elastic bulk request: exactly the failed inputs fail, the rest are applied and not sent again") {
        val inputs = (0 until 10).map { mapOf("new_name" to if (it == 3 || it == 7) "x".repeat(500) else "ok $it", "partitionid" to "p") }
        val result = client.records.createMany("new_reading", inputs, BulkOptions(continueOnError = true))
        result.failures.map { it.index } shouldBe listOf(3, 7)
        result.failures.forEach { it.error.statusCode shouldBe 400 }
        result.failures.first().error.message!! shouldContain "elastic tables do not roll back"
        (0 until 10).filter { result.outcome(it) == BulkOutcome.SUCCEEDED } shouldBe (0 until 10).filter { it != 3 && it != 7 }
        requestsMatching("CreateMultiple").size shouldBe 1
        requestsMatching("\$batch") shouldBe emptyList()
        fixture.emulator.recordCount("new_reading") shouldBe 8
        client.records.get("new_reading", RecordKey.partitioned(result.ids[9]!!, "p")).getString("new_name") shouldBe "ok 9"

        val missing = UUID.randomUUID()
        val changes = listOf(RecordChange.of(RecordKey.partitioned(result.ids[0]!!, "p"), mapOf("new_value" to 10)), RecordChange.of(RecordKey.partitioned(missing, "p"), mapOf("new_value" to 11)))
        val updated = client.records.updateMany("new_reading", changes, BulkOptions(continueOnError = true))
        updated.failures.map { it.index to it.error.statusCode } shouldBe listOf(1 to 404)
        client.records.get("new_reading", RecordKey.partitioned(result.ids[0]!!, "p")).getInt("new_value") shouldBe 10
    }

    test("counts of an elastic table stop at 500 and say so; a standard table counts on") {
        client.records.createMany("new_reading", (0 until 520).map { mapOf("new_name" to "r$it") }).isSuccess shouldBe true
        client.records.createMany("account", (0 until 520).map { mapOf("name" to "a$it") }).isSuccess shouldBe true
        client.query.count("new_reading").let {
            it.count shouldBe 500
            it.isCapped shouldBe true
        }
        client.query.count("account").let {
            it.count shouldBe 520
            it.isCapped shouldBe false
        }
        client.records.page("new_reading", ListOptions(count = true, pageSize = 10)).totalCountLimitExceeded shouldBe true
    }

    test("a change set over an elastic table is not a transaction: what it wrote before the failure stays") {
        val result = client.batch {
            changeSet {
                create("new_reading", mapOf("new_name" to "kept", "partitionid" to "cs"))
                create("new_reading", mapOf("new_name" to "x".repeat(500)))
            }
        }
        result.isSuccess shouldBe false
        fixture.emulator.recordCount("new_reading") shouldBe 1
    }
})

private infix fun <T> Collection<T>.shouldContainAllOf(expected: Collection<T>) {
    expected.filterNot { it in this } shouldBe emptyList()
}
