package dev.dataverse.emulator

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldEndWith
import io.kotest.matchers.string.shouldMatch
import io.kotest.matchers.string.shouldNotContain
import io.kotest.matchers.string.shouldStartWith
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.jsonPrimitive
import java.time.Duration

/**
 * Change tracking on the wire, as Learn's "Use change tracking to synchronize data with external systems" shows it:
 * `Prefer: odata.track-changes`, `@odata.deltaLink` with `$deltatoken`, `$deletedEntity` entries, the refused query
 * options, and the error codes of web-service-error-codes (ChangeTrackingNotEnabledForEntity, ExpiredVersionStamp).
 */
class ChangeTrackingSpec : FunSpec({
    val clock = MutableClock()
    val emulator = DataverseEmulator.start(EmulatorOptions(clock = clock, changeTrackingRetention = Duration.ofHours(1)))
    val client = TestClient(emulator)
    afterSpec {
        client.close()
        emulator.close()
    }
    beforeTest { emulator.reset() }

    val track = mapOf("Prefer" to "odata.track-changes")
    fun pageOf(size: Int) = mapOf("Prefer" to "odata.track-changes,odata.maxpagesize=$size")
    fun JsonObject.id(): String = text("accountid") ?: text("id")!!
    fun JsonObject.isDeleted(): Boolean = text("@odata.context")?.endsWith("/\$deletedEntity") == true

    test("a full sync returns every record and a delta link; the link returns updates and creations, then deletions, in Learn's shapes") {
        val a = client.create("accounts", """{"name":"A"}""")
        val b = client.create("accounts", """{"name":"B"}""")
        val full = client.get("accounts?\$select=name", track)
        full.status shouldBe 200
        full.headers["Preference-Applied"]!! shouldContain "odata.track-changes"
        full.json.text("@odata.context") shouldBe "${emulator.apiUrl}/\$metadata#accounts(name)"
        full.values.map { it.id() } shouldContainExactly listOf(a, b)
        full.values.first().text("@odata.etag")!! shouldStartWith "W/\""
        val deltaLink = full.json.text("@odata.deltaLink")!!
        deltaLink shouldStartWith "${emulator.apiUrl}/accounts?\$select=name&\$deltatoken="
        full.json.text("@odata.nextLink") shouldBe null
        // The service's token shape, e.g. 919042!08/22/2017 08:10:44, percent-encoded in the link.
        java.net.URLDecoder.decode(deltaLink.substringAfter("\$deltatoken="), Charsets.UTF_8) shouldMatch Regex("\\d+!\\d{2}/\\d{2}/\\d{4} \\d{2}:\\d{2}:\\d{2}")

        client.patch("accounts($a)", """{"name":"A2"}""").status shouldBe 204
        client.delete("accounts($b)").status shouldBe 204
        val c = client.create("accounts", """{"name":"C"}""")

        val delta = client.get(deltaLink)
        delta.status shouldBe 200
        delta.json.text("@odata.context")!! shouldEndWith "#accounts(name)/\$delta"
        delta.values.map { it.id() } shouldContainExactly listOf(a, c, b)
        delta.values[0].text("name") shouldBe "A2"
        delta.values[2] shouldBe JsonObject(
            mapOf(
                "@odata.context" to JsonPrimitive("${emulator.apiUrl}/\$metadata#accounts/\$deletedEntity"),
                "id" to JsonPrimitive(b),
                "reason" to JsonPrimitive("deleted"),
            ),
        )
        val nextDelta = delta.json.text("@odata.deltaLink")!!
        nextDelta shouldNotContain deltaLink.substringAfter("\$deltatoken=")
        client.get(nextDelta).values shouldHaveSize 0
    }

    test("a large delta pages with next links that keep the delta token; only the last page has the delta link") {
        val old = (1..3).map { client.create("accounts", """{"name":"old $it"}""") }
        val link = client.get("accounts?\$select=name", track).json.text("@odata.deltaLink")!!
        val new = (1..4).map { client.create("accounts", """{"name":"new $it"}""") }
        old.forEach { client.delete("accounts($it)").status shouldBe 204 }

        val seen = ArrayList<JsonObject>()
        var next: String? = link
        var pages = 0
        while (next != null) {
            val page = client.get(next, pageOf(3))
            page.status shouldBe 200
            page.headers["Preference-Applied"]!! shouldContain "odata.maxpagesize=3"
            seen += page.values
            pages++
            next = page.json.text("@odata.nextLink")
            if (next != null) {
                next shouldContain "\$deltatoken="
                page.json.text("@odata.deltaLink") shouldBe null
            } else {
                page.json.text("@odata.deltaLink")!! shouldContain "\$deltatoken="
            }
        }
        pages shouldBe 3
        seen.filterNot { it.isDeleted() }.map { it.id() } shouldContainExactly new
        seen.filter { it.isDeleted() }.map { it.id() } shouldContainExactly old
    }

    test("writes made while a full sync pages come in the next run, so the two runs together miss nothing and repeat nothing") {
        val ids = (1..4).map { client.create("accounts", """{"name":"r$it"}""") }
        val first = client.get("accounts?\$select=name", pageOf(2))
        val firstIds = first.values.map { it.id() }
        // Changed after the run began: the second page no longer shows it; the next run does, with its new name.
        val changed = ids.first { it !in firstIds }
        client.patch("accounts($changed)", """{"name":"changed"}""").status shouldBe 204
        val added = client.create("accounts", """{"name":"added"}""")
        val second = client.get(first.json.text("@odata.nextLink")!!, pageOf(2))
        val run = firstIds + second.values.map { it.id() }
        run shouldContainExactly ids.filter { it != changed }

        val next = client.get(second.json.text("@odata.deltaLink")!!)
        next.values.map { it.id() } shouldContainExactly listOf(changed, added)
        next.values.first().text("name") shouldBe "changed"
    }

    test("a delta token older than the retention, unknown, or from before a reset is refused with ExpiredVersionStamp") {
        client.create("accounts", """{"name":"A"}""")
        val link = client.get("accounts", track).json.text("@odata.deltaLink")!!
        client.get(link).status shouldBe 200

        clock.advance(Duration.ofMinutes(61))
        val expired = client.get(link)
        expired.status shouldBe 400
        expired.errorCode shouldBe "0x80044352"
        expired.errorMessage shouldBe "Version stamp associated with the client has expired. Please perform a full sync."

        client.get("accounts?\$deltatoken=not-a-token").errorCode shouldBe "0x80044352"
        val fresh = client.get("accounts", track).json.text("@odata.deltaLink")!!
        emulator.reset()
        client.get(fresh).errorCode shouldBe "0x80044352"
    }

    test("a next link of a run that started longer ago than the retention is refused, since its deletions may be forgotten") {
        repeat(2) { client.create("accounts", """{"name":"r$it"}""") }
        val next = client.get("accounts", pageOf(1)).json.text("@odata.nextLink")!!
        clock.advance(Duration.ofMinutes(61))
        client.get(next, pageOf(1)).errorCode shouldBe "0x80044352"
    }

    test("a table without change tracking answers ChangeTrackingNotEnabledForEntity until PUT EntityDefinitions turns it on, for good") {
        val created = client.post(
            "EntityDefinitions",
            """{"@odata.type":"Microsoft.Dynamics.CRM.EntityMetadata","SchemaName":"new_Sensor","DisplayName":{"LocalizedLabels":[{"Label":"Sensor","LanguageCode":1033}]},
               "OwnershipType":"UserOwned","Attributes":[{"@odata.type":"Microsoft.Dynamics.CRM.StringAttributeMetadata","SchemaName":"new_Name","IsPrimaryName":true,"MaxLength":100}]}""",
        )
        created.status shouldBe 204
        val entity = created.headers["OData-EntityId"]!!.substringAfter("/api/data/v9.2/")
        val refused = client.get("new_sensors", track)
        refused.status shouldBe 400
        refused.errorCode shouldBe "0x80072491"
        refused.errorMessage shouldBe "Entity new_sensor isn't enabled for change tracking."
        client.get("$entity?\$select=ChangeTrackingEnabled").json["ChangeTrackingEnabled"]!!.jsonPrimitive.content shouldBe "false"

        val definition = client.get(entity).json
        val enabled = JsonObject(definition + ("ChangeTrackingEnabled" to JsonPrimitive(true)))
        client.put(entity, enabled.toString(), mapOf("MSCRM.MergeLabels" to "true")).status shouldBe 204
        client.get("$entity?\$select=ChangeTrackingEnabled").json["ChangeTrackingEnabled"]!!.jsonPrimitive.content shouldBe "true"
        client.get("new_sensors", track).status shouldBe 200

        val disable = client.put(entity, JsonObject(definition + ("ChangeTrackingEnabled" to JsonPrimitive(false))).toString())
        disable.status shouldBe 400
        client.put(entity, JsonObject(definition + ("LogicalName" to JsonPrimitive("other"))).toString()).status shouldBe 400
    }

    test("\$filter, \$orderby, \$expand and \$top are refused with change tracking, with Learn's message") {
        for (option in listOf("\$filter=name%20eq%20'x'", "\$orderby=name", "\$expand=primarycontactid", "\$top=1")) {
            val response = client.get("accounts?$option", track)
            response.status shouldBe 400
            response.errorMessage shouldBe "The \"${option.substringBefore('=')}\" query parameter isn't supported when Change Tracking is enabled."
        }
    }

    test("bulk writes and \$batch land in the change log, and a change set that rolls back leaves nothing in it") {
        val link = client.get("accounts", track).json.text("@odata.deltaLink")!!
        val bulk = client.post(
            "accounts/Microsoft.Dynamics.CRM.CreateMultiple",
            """{"Targets":[{"@odata.type":"Microsoft.Dynamics.CRM.account","name":"m1"},{"@odata.type":"Microsoft.Dynamics.CRM.account","name":"m2"}]}""",
        )
        bulk.status shouldBe 200
        val bulkIds = bulk.json.array("Ids").map { it.jsonPrimitive.content }
        val kept = "6f6bd3a2-2b7b-4c4e-9a43-3b1b7b4a0c01"
        val lost = "6f6bd3a2-2b7b-4c4e-9a43-3b1b7b4a0c02"
        val committed = BatchBuilder().changeSet {
            request("POST", "accounts", """{"accountid":"$kept","name":"kept"}""", contentId = 1)
        }.build()
        client.batch(committed, "batch_test").status shouldBe 200
        val failing = BatchBuilder().changeSet {
            request("POST", "accounts", """{"accountid":"$lost","name":"lost"}""", contentId = 1)
            request("DELETE", "accounts($kept)", contentId = 2)
            request("PATCH", "accounts(00000000-0000-0000-0000-0000000000ff)", """{"name":"missing"}""", contentId = 3, headers = mapOf("If-Match" to "*"))
        }.build()
        // A failed change set answers with the failing part's status (see BatchSpec); everything in it was undone.
        client.batch(failing, "batch_test").status shouldBe 404
        client.get("accounts($lost)").status shouldBe 404
        client.get("accounts($kept)").status shouldBe 200

        val delta = client.get(link).values
        delta.map { it.id() } shouldContainExactly bulkIds + kept
        delta.none { it.isDeleted() } shouldBe true
    }

    test("Learn: the number of changes in a delta is {set}/\$count with the delta token, as text/plain") {
        val full = client.get("accounts?\$select=name", track)
        val token = full.json.text("@odata.deltaLink")!!.substringAfter("\$deltatoken=")
        val created = client.create("accounts", """{"name":"New"}""")
        client.create("accounts", """{"name":"Doomed"}""").let { client.delete("accounts($it)").status shouldBe 204 }
        client.patch("accounts($created)", """{"name":"Renamed"}""").status shouldBe 204
        val counted = client.get("accounts/\$count?\$deltatoken=$token")
        counted.status shouldBe 200
        counted.headers["Content-Type"]!! shouldStartWith "text/plain"
        // The created record once (at its current values) and the deleted one.
        counted.text shouldBe "2"
        client.get("accounts/\$count?\$deltatoken=$token&\$filter=name%20eq%20'x'").status shouldBe 400
        client.get("accounts/\$count?\$deltatoken=not-a-token").status shouldBe 400
    }
})
