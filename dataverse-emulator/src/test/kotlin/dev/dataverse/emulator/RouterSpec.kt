package dev.dataverse.emulator

import dev.dataverse.emulator.internal.http.ApiRequest
import dev.dataverse.emulator.internal.http.ApiResponse
import dev.dataverse.emulator.internal.http.ApiRouter
import dev.dataverse.emulator.internal.http.EmulatorContext
import dev.dataverse.emulator.internal.model.MetadataCatalog
import dev.dataverse.emulator.internal.model.StandardTables
import dev.dataverse.emulator.internal.odata.PercentCoding
import dev.dataverse.emulator.internal.records.PageState
import dev.dataverse.emulator.internal.records.RecordChanges
import dev.dataverse.emulator.internal.records.RowPosition
import dev.dataverse.emulator.internal.store.RecordStore
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.jsonObject
import java.util.UUID

/** Drives the router directly (no sockets), for cases that need many records. */
class RouterSpec : FunSpec({
    val catalog = MetadataCatalog(StandardTables.all())
    val context = EmulatorContext(EmulatorOptions(), catalog, RecordStore(catalog))
    val router = ApiRouter(context)
    val account = catalog.table("account")!!

    fun get(target: String, headers: Map<String, List<String>> = emptyMap()): ApiResponse =
        router.handle(ApiRequest("GET", "/api/data/v9.2/$target", mapOf("Authorization" to listOf("Bearer t")) + headers, ByteArray(0)))

    val countAnnotations = mapOf(
        "Prefer" to listOf("odata.include-annotations=\"Microsoft.Dynamics.CRM.totalrecordcount,Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded\""),
    )

    fun ApiResponse.json(): JsonObject = Json.parseToJsonElement(body!!.toString(Charsets.UTF_8)).jsonObject

    // Learn: webapi/query/count-rows: the annotations come only when asked for; limitexceeded is sent as false too.
    test("count-rows: \$count is capped at 5000 and the count annotations come only when asked for") {
        repeat(5001) { index -> context.writer.create(account, RecordChanges(mapOf("name" to "Bulk $index"), null)) }
        val response = get("accounts?\$select=name&\$top=1&\$count=true", countAnnotations)
        response.status shouldBe 200
        val body = response.json()
        body.text("@odata.count") shouldBe "5000"
        body.text("@Microsoft.Dynamics.CRM.totalrecordcount") shouldBe "5000"
        body.text("@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded") shouldBe "true"
        get("accounts?\$select=name&\$top=1&\$count=true").json().keys.filter { it.startsWith("@Microsoft") } shouldBe emptyList()
        val one = get("accounts?\$count=true&\$top=1&\$filter=name%20eq%20'Bulk%207'", countAnnotations).json()
        one.text("@odata.count") shouldBe "1"
        one.text("@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded") shouldBe "false"
    }

    test("a skip token whose values do not fit the query's order is a 400, not a failure") {
        val forged = PageState(2, 5, RowPosition(listOf(42L), UUID.randomUUID())).toSkipToken()
        get("accounts?\$orderby=name&\$skiptoken=${PercentCoding.encodeQuery(forged)}").status shouldBe 400
        get("accounts?\$skiptoken=${PercentCoding.encodeQuery(forged)}").status shouldBe 400
    }

    test("requests outside the API root are 404s without authentication") {
        router.handle(ApiRequest("GET", "/favicon.ico", emptyMap(), ByteArray(0))).status shouldBe 404
    }
})
