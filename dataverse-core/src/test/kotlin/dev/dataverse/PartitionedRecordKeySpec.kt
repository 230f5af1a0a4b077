package dev.dataverse

import dev.dataverse.internal.protocol.BulkItemStatuses
import dev.dataverse.internal.protocol.QueryStrings
import dev.dataverse.internal.protocol.Responses
import dev.dataverse.internal.protocol.TableMetadata
import dev.dataverse.internal.protocol.TableTypes
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.kotest.matchers.string.shouldContain
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.jsonObject
import java.util.UUID

/**
 * Keys of elastic-table records and the pure logic around elastic tables. The URL form is the one of Learn "Use elastic
 * tables using code" (Using Alternate Key): `<set>(<primary key>=<guid>,partitionid='<value>')`.
 */
class PartitionedRecordKeySpec : FunSpec({
    val id = UUID.fromString("e61a662e-68d8-487e-94e7-ae3a22fd4bbd")
    val sensors = TableMetadata(
        "contoso_sensordata", "contoso_sensordatas", "contoso_sensordataid", "contoso_name", "contoso_SensorData", null, TableType.ELASTIC,
    )
    val accounts = TableMetadata("account", "accounts", "accountid", "name", "Account", null)

    test("a partitioned key becomes the KeyForNoSqlEntityWithPKPartitionId alternate key of the documented URL") {
        QueryStrings.recordPath(sensors, RecordKey.partitioned(id, "device-001")) shouldBe
            "contoso_sensordatas(contoso_sensordataid=e61a662e-68d8-487e-94e7-ae3a22fd4bbd,partitionid='device-001')"
    }

    test("partition ids are quoted with embedded quotes doubled and percent-encoded") {
        QueryStrings.recordPath(sensors, RecordKey.partitioned(id.toString(), "O'Neil #1 é")) shouldBe
            "contoso_sensordatas(contoso_sensordataid=e61a662e-68d8-487e-94e7-ae3a22fd4bbd,partitionid='O''Neil%20%231%20%C3%A9')"
    }

    test("a partitioned key keeps its id, compares by id and partition, and reads well") {
        val key = RecordKey.partitioned(id, "device-001")
        key.id shouldBe id
        key.partitionId shouldBe "device-001"
        key.alternateKey shouldBe emptyMap()
        key shouldBe RecordKey.partitioned("{$id}", "device-001")
        key shouldNotBe RecordKey.partitioned(id, "device-002")
        key shouldNotBe RecordKey.id(id)
        key.toString() shouldBe "RecordKey($id, partitionid='device-001')"
    }

    test("partition ids that alternate keys cannot hold are refused before anything is sent") {
        for (bad in listOf("", "a/b", "a<b", "a>b", "a*b", "a%b", "a&b", "a:b", "a\\b", "a?b", "a\nb", "x".repeat(1025))) {
            shouldThrow<InvalidInputException> { RecordKey.partitioned(id, bad) }.message shouldContain "partitionId"
        }
        RecordKey.partitioned(id, "é".repeat(512)).partitionId!!.length shouldBe 512
        shouldThrow<InvalidInputException> { RecordKey.partitioned(id, "é".repeat(513)) }.message shouldContain "1024"
        shouldThrow<InvalidInputException> { RecordKey.partitioned("not-a-guid", "p") }
    }

    test("a partitioned key for a standard table is refused: only elastic tables have partitions") {
        shouldThrow<InvalidInputException> { QueryStrings.recordPath(accounts, RecordKey.partitioned(id, "p")) }.message shouldContain "not an elastic table"
    }

    test("the OData-EntityId of an elastic record names its id inside the partitioned key") {
        Responses.entityId("https://org/api/data/v9.2/contoso_sensordatas(contoso_sensordataid=$id,partitionid='deviceid-001')", "contoso_sensordataid") shouldBe id
        Responses.entityId("https://org/api/data/v9.2/contoso_sensordatas($id)", "contoso_sensordataid") shouldBe id
    }

    test("table types are read from metadata, Standard when absent") {
        TableTypes.parse(null) shouldBe TableType.STANDARD
        TableTypes.parse("Standard") shouldBe TableType.STANDARD
        TableTypes.parse("Elastic") shouldBe TableType.ELASTIC
        TableTypes.parse("Virtual") shouldBe TableType.OTHER
    }

    test("an elastic count at 500 is reported capped; a standard count of 500 is exact") {
        TableTypes.countCapped(500, false, TableType.ELASTIC) shouldBe true
        TableTypes.countCapped(499, false, TableType.ELASTIC) shouldBe false
        TableTypes.countCapped(500, false, TableType.STANDARD) shouldBe false
        TableTypes.countCapped(10, true, TableType.STANDARD) shouldBe true
    }

    test("per-record statuses of a partly failed elastic bulk request are read from the error details annotation") {
        val error = Json.parseToJsonElement(
            """{"code":"0x80040237","message":"failed","${BulkItemStatuses.ANNOTATION}":
               "[{\"RequestIndex\":1,\"Id\":\"$id\",\"StatusCode\":412},{\"RequestIndex\":0,\"StatusCode\":204}]"}""",
        ).jsonObject
        val statuses = BulkItemStatuses.parse(error.getValue(BulkItemStatuses.ANNOTATION))!!
        statuses.map { Triple(it.index, it.id, it.statusCode) } shouldBe listOf(Triple(1, id, 412), Triple(0, null, 204))
        statuses.map { it.succeeded } shouldBe listOf(false, true)
        BulkItemStatuses.parse(Json.parseToJsonElement("""{"code":"x"}""")) shouldBe null
        BulkItemStatuses.parse(Json.parseToJsonElement("\"not json\"")) shouldBe null
        BulkItemStatuses.parse(Json.parseToJsonElement("""[{"RequestIndex":-1,"StatusCode":400}]""")) shouldBe null
    }

    test("elastic tables refuse the column types Learn says they cannot have, and TableType.OTHER cannot be created") {
        shouldThrow<InvalidInputException> {
            TableSpec("new_Reading", "Reading", columns = listOf(ColumnSpec.money("new_Price", "Price")), tableType = TableType.ELASTIC)
        }.message shouldContain "elastic"
        shouldThrow<InvalidInputException> { TableSpec("new_Reading", "Reading", tableType = TableType.OTHER) }
        TableSpec.builder("new_Reading", "Reading").tableType(TableType.ELASTIC).build().tableType shouldBe TableType.ELASTIC
        TableSpec("new_Price", "Price", columns = listOf(ColumnSpec.money("new_Amount", "Amount"))).tableType shouldBe TableType.STANDARD
    }

    test("elastic bulk requests default to 100 records; the size is configurable and validated") {
        BulkOptions().elasticChunkSize shouldBe 100
        BulkOptions.builder().elasticChunkSize(25).build().elasticChunkSize shouldBe 25
        shouldThrow<InvalidInputException> { BulkOptions(elasticChunkSize = 0) }.message shouldContain "elasticChunkSize"
        shouldThrow<InvalidInputException> { BulkOptions(elasticChunkSize = 1001) }
    }
})
