package dev.dataverse.emulator

import dev.dataverse.emulator.internal.records.PageState
import dev.dataverse.emulator.internal.records.RowPosition
import dev.dataverse.emulator.internal.synthetic.SyntheticRows
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.kotest.matchers.string.shouldContain
import kotlinx.serialization.json.jsonObject
import java.net.URLEncoder

class SyntheticTableSpec : FunSpec({
    val emulator = DataverseEmulator.start(EmulatorOptions(syntheticRows = 2_500))
    val client = TestClient(emulator)
    afterSpec {
        client.close()
        emulator.close()
    }

    test("paging through every row: ids unique and in GUID order across pages, values derived from the index") {
        val ids = mutableListOf<String>()
        var next: String? = "dv_syntheticrows?\$select=dv_name,dv_number,dv_amount,dv_createdon,dv_flag"
        var pages = 0
        while (next != null) {
            val page = client.get(next, mapOf("Prefer" to "odata.maxpagesize=1000"))
            page.status shouldBe 200
            page.headers["Preference-Applied"] shouldBe "odata.maxpagesize=1000"
            ids += page.values.map { it.text("dv_syntheticrowid")!! }
            next = page.json.text("@odata.nextLink")
            pages++
        }
        pages shouldBe 3
        ids shouldHaveSize 2_500
        ids.toSet() shouldHaveSize 2_500
        ids shouldBe ids.sorted()
        val row = client.get("dv_syntheticrows(${ids[9]})").json
        row.text("@odata.context") shouldBe "${emulator.apiUrl}/\$metadata#dv_syntheticrows/\$entity"
        row.text("dv_name") shouldBe "Row 10"
        row.text("dv_number") shouldBe "9"
        row.text("dv_amount") shouldBe "11.25"
        row.text("dv_createdon") shouldBe "2024-01-01T00:00:09Z"
        row.text("dv_flag") shouldBe "false"
        row.text("@odata.etag") shouldBe "W/\"10\""
    }

    test("a page is valid JSON in the service's shape, with \$select, \$top and \$count") {
        val page = client.get("dv_syntheticrows?\$select=dv_name&\$top=3&\$count=true")
        page.json.text("@odata.context") shouldBe "${emulator.apiUrl}/\$metadata#dv_syntheticrows(dv_name)"
        page.json.text("@odata.count") shouldBe "2500"
        page.json.keys shouldContainExactly setOf("@odata.context", "@odata.count", "value")
        page.values.map { it.keys } shouldBe List(3) { setOf("@odata.etag", "dv_name", "dv_syntheticrowid") }
        page.values.map { it.text("dv_name") } shouldContainExactly listOf("Row 1", "Row 2", "Row 3")
    }

    // Learn: webapi/query/page-results: with odata.maxpagesize the service pages and $top no longer caps the rows.
    test("page-results: \$top alone caps the rows; with odata.maxpagesize the rows are paged past it") {
        client.get("dv_syntheticrows?\$select=dv_number&\$top=5").values.map { it.text("dv_number") } shouldContainExactly listOf("0", "1", "2", "3", "4")
        val first = client.get("dv_syntheticrows?\$select=dv_number&\$top=5", mapOf("Prefer" to "odata.maxpagesize=2"))
        val second = client.get(first.json.text("@odata.nextLink")!!, mapOf("Prefer" to "odata.maxpagesize=2"))
        val third = client.get(second.json.text("@odata.nextLink")!!, mapOf("Prefer" to "odata.maxpagesize=2"))
        (first.values + second.values + third.values).map { it.text("dv_number") } shouldContainExactly listOf("0", "1", "2", "3", "4", "5")
        third.json.text("@odata.nextLink") shouldNotBe null
    }

    test("formatted values are included when asked for") {
        val row = client.get("dv_syntheticrows?\$top=1&\$select=dv_amount,dv_flag", TestClient.allAnnotations).values.single()
        row.text("dv_amount@OData.Community.Display.V1.FormattedValue") shouldBe "\$0.00"
        row.text("dv_flag@OData.Community.Display.V1.FormattedValue") shouldBe "Yes"
    }

    test("it is listed in metadata like other tables") {
        val entity = client.get("EntityDefinitions(LogicalName='dv_syntheticrow')?\$select=EntitySetName,PrimaryIdAttribute,PrimaryNameAttribute").json
        entity.text("EntitySetName") shouldBe "dv_syntheticrows"
        entity.text("PrimaryIdAttribute") shouldBe "dv_syntheticrowid"
        entity.text("PrimaryNameAttribute") shouldBe "dv_name"
        val attributes = client.get("EntityDefinitions(LogicalName='dv_syntheticrow')/Attributes?\$select=LogicalName,AttributeType").values
        attributes.associate { it.text("LogicalName") to it.text("AttributeType") } shouldBe mapOf(
            "dv_syntheticrowid" to "Uniqueidentifier", "dv_name" to "String", "dv_number" to "Integer",
            "dv_amount" to "Money", "dv_createdon" to "DateTime", "dv_flag" to "Boolean",
        )
        emulator.recordCount("dv_syntheticrow") shouldBe 2_500
    }

    test("range filters select one range of rows, paged and counted; other filters are 400s") {
        suspend fun numbers(filter: String): List<Long> {
            val out = mutableListOf<Long>()
            var next: String? = "dv_syntheticrows?\$select=dv_number&\$count=true&\$filter=" + URLEncoder.encode(filter, Charsets.UTF_8).replace("+", "%20")
            while (next != null) {
                val page = client.get(next, mapOf("Prefer" to "odata.maxpagesize=100"))
                page.status shouldBe 200
                out += page.values.map { it.text("dv_number")!!.toLong() }
                next = page.json.text("@odata.nextLink")
            }
            return out
        }
        numbers("dv_number ge 250 and dv_number lt 480") shouldBe (250L until 480L).toList()
        numbers("dv_number lt 3 or dv_number eq null") shouldBe listOf(0L, 1L, 2L)
        numbers("dv_number gt 2497") shouldBe listOf(2498L, 2499L)
        numbers("dv_number gt 100 and dv_number le 100") shouldBe emptyList()
        numbers("dv_createdon ge 2024-01-01T00:16:40Z and dv_createdon lt 2024-01-01T00:16:43Z") shouldBe listOf(1000L, 1001L, 1002L)
        val ids = client.get("dv_syntheticrows?\$select=dv_number&\$top=12").values.map { it.text("dv_syntheticrowid")!! }
        numbers("dv_syntheticrowid ge ${ids[5]} and dv_syntheticrowid lt ${ids[11]}") shouldBe (5L until 11L).toList()
        // Every row lies between two GUIDs far apart in text order.
        numbers("dv_syntheticrowid ge 40404040-4040-4040-4040-404040404040 and dv_syntheticrowid lt 80808080-8080-8080-8080-808080808080").size shouldBe 2_500
        client.get("dv_syntheticrows?\$filter=dv_number%20gt%205&\$count=true").json.text("@odata.count") shouldBe "2494"
        client.get("dv_syntheticrows?\$filter=dv_number%20ne%205").errorMessage shouldContain "\$filter"
        client.get("dv_syntheticrows?\$filter=dv_number%20lt%205%20or%20dv_number%20gt%2010").status shouldBe 400
        client.get("dv_syntheticrows?\$filter=contains(dv_name,'1')").status shouldBe 400
    }

    test("ordering and expansion are 400s; writes are 405s; unknown ids are 404s") {
        client.get("dv_syntheticrows?\$orderby=dv_name").status shouldBe 400
        client.post("dv_syntheticrows", """{"dv_name":"x"}""").status shouldBe 405
        val id = client.get("dv_syntheticrows?\$top=1").values.single().text("dv_syntheticrowid")
        client.patch("dv_syntheticrows($id)", """{"dv_name":"x"}""").status shouldBe 405
        client.delete("dv_syntheticrows($id)").status shouldBe 405
        client.post("dv_syntheticrows/Microsoft.Dynamics.CRM.CreateMultiple", """{"Targets":[]}""").status shouldBe 405
        client.get("dv_syntheticrows(00000000-0000-0000-0000-000000000001)").status shouldBe 404
        client.get("dv_syntheticrows?\$skiptoken=nonsense").status shouldBe 400
    }

    test("a ten-million-row table is created without materialising it; its last page is reachable by skip token") {
        val rows = 10_000_000L
        DataverseEmulator.start(EmulatorOptions(syntheticRows = rows)).use { large ->
            TestClient(large).use { largeClient ->
                val synthetic = SyntheticRows(rows)
                val token = PageState(2_000, 9_999_000, RowPosition(emptyList(), synthetic.idOf(rows - 4))).toSkipToken()
                val url = "dv_syntheticrows?\$select=dv_name&\$count=true&\$skiptoken=${URLEncoder.encode(token, Charsets.UTF_8)}"
                val last = largeClient.get(url, mapOf("Prefer" to "odata.include-annotations=\"Microsoft.Dynamics.CRM.*\""))
                last.status shouldBe 200
                last.values.map { it.text("dv_name") } shouldContainExactly listOf("Row 9999998", "Row 9999999", "Row 10000000")
                last.json.text("@odata.nextLink") shouldBe null
                last.json.text("@odata.count") shouldBe "5000"
                last.json.text("@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded") shouldBe "true"
                largeClient.get("dv_syntheticrows(${synthetic.idOf(rows - 1)})").json.text("dv_number") shouldBe "9999999"
                largeClient.get("dv_syntheticrows(${synthetic.idOf(rows)})").status shouldBe 404
                large.recordCount("dv_syntheticrow") shouldBe 10_000_000
            }
        }
    }

    test("without syntheticRows there is no such table") {
        DataverseEmulator.start().use { plain ->
            TestClient(plain).use { it.get("dv_syntheticrows").status shouldBe 404 }
        }
    }
})
