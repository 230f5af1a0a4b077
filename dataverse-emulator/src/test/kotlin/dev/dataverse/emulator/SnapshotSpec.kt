package dev.dataverse.emulator

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.collections.shouldContainExactlyInAnyOrder
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.kotest.matchers.string.shouldContain
import io.ktor.http.HttpMethod
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import kotlinx.serialization.json.jsonObject
import java.util.concurrent.atomic.AtomicBoolean

/**
 * [DataverseEmulator.snapshot] and [DataverseEmulator.restore]: everything a test can change comes back as it was — records
 * with their ETags, schema, files, fault rules, limits, search settings, custom APIs, duplicate rules, solutions — with
 * requests in flight, and change-tracking tokens stay true to the records they describe.
 */
class SnapshotSpec : FunSpec({
    val seedFault = FaultRule(FaultKind.SERVICE_UNAVAILABLE, 1.0, pathPattern = "contacts.*", methods = setOf("DELETE"))

    /** A fresh emulator for [block], with a fault rule from the options (the case `reset()` does not keep). */
    suspend fun <T> withEmulator(options: EmulatorOptions = EmulatorOptions(faults = listOf(seedFault)), block: suspend (DataverseEmulator, TestClient) -> T): T =
        DataverseEmulator.start(options).use { emulator -> TestClient(emulator).use { client -> block(emulator, client) } }

    suspend fun TestClient.names(set: String = "accounts"): List<String> =
        get("$set?\$select=name&\$orderby=name").values.map { it.text("name")!! }

    test("records come back as they were, at their versions: ETags taken before the snapshot match again") {
        withEmulator { emulator, client ->
            val kept = client.create("accounts", """{"name":"Kept"}""")
            val changed = client.create("accounts", """{"name":"Changed"}""")
            val deleted = client.create("accounts", """{"name":"Deleted"}""")
            val etag = client.get("accounts($changed)").json.text("@odata.etag")!!
            val snapshot = emulator.snapshot()
            snapshot.recordCount shouldBe 4L // three accounts and the emulator's own user

            client.patch("accounts($changed)", """{"name":"Changed later"}""").status shouldBe 204
            client.delete("accounts($deleted)").status shouldBe 204
            client.create("accounts", """{"name":"Created later"}""")
            client.names() shouldContainExactly listOf("Changed later", "Created later", "Kept")

            emulator.restore(snapshot)

            client.names() shouldContainExactly listOf("Changed", "Deleted", "Kept")
            client.get("accounts($changed)").json.text("@odata.etag") shouldBe etag
            client.patch("accounts($changed)", """{"name":"Guarded"}""", mapOf("If-Match" to etag)).status shouldBe 204
            client.get("accounts($kept)").status shouldBe 200
            client.get("systemusers").values.single().text("fullname") shouldBe "Emulator User"
            emulator.recordCount("account") shouldBe 3
        }
    }

    test("a snapshot can be restored again and again; a later write never takes a version a discarded record had") {
        withEmulator { emulator, client ->
            val id = client.create("accounts", """{"name":"Base"}""")
            val snapshot = emulator.snapshot()
            val etags = HashSet<String>()
            repeat(3) { round ->
                client.patch("accounts($id)", """{"name":"Round $round"}""").status shouldBe 204
                etags += client.get("accounts($id)").json.text("@odata.etag")!!
                emulator.restore(snapshot)
                client.names() shouldContainExactly listOf("Base")
            }
            etags.size shouldBe 3
        }
    }

    test("schema: a table created after the snapshot is gone, a table deleted after it is back with its records, columns and keys follow") {
        withEmulator { emulator, client ->
            client.post("EntityDefinitions", tableMetadata("new_Project")).status shouldBe 204
            val apollo = client.create("new_projects", """{"new_name":"Apollo"}""")
            val snapshot = emulator.snapshot()

            client.post("EntityDefinitions", tableMetadata("new_Later")).status shouldBe 204
            client.delete("EntityDefinitions(LogicalName='new_project')").status shouldBe 204
            client.post(
                "EntityDefinitions(LogicalName='account')/Attributes",
                """{"@odata.type":"Microsoft.Dynamics.CRM.StringAttributeMetadata","SchemaName":"new_Code","DisplayName":${metadataLabel("Code")},"RequiredLevel":{"Value":"None"},"MaxLength":20}""",
            ).status shouldBe 204
            client.get("new_projects").status shouldBe 404
            client.get("new_laters").status shouldBe 200

            emulator.restore(snapshot)

            client.get("new_laters").status shouldBe 404
            client.get("EntityDefinitions(LogicalName='new_later')").status shouldBe 404
            client.get("new_projects($apollo)").json.text("new_name") shouldBe "Apollo"
            client.get("EntityDefinitions(LogicalName='account')/Attributes(LogicalName='new_code')").status shouldBe 404
            client.post("accounts", """{"name":"x","new_code":"A"}""").status shouldBe 400
            // The table deleted and restored takes writes again, with its own entity set.
            client.create("new_projects", """{"new_name":"Gemini"}""")
            client.get("new_projects?\$select=new_name&\$orderby=new_name").values.map { it.text("new_name") } shouldContainExactly listOf("Apollo", "Gemini")
        }
    }

    test("global choices: one created after the snapshot is gone, one deleted after it is back") {
        withEmulator { emulator, client ->
            fun optionSet(name: String) = """{"@odata.type":"Microsoft.Dynamics.CRM.OptionSetMetadata","Name":"$name","DisplayName":${metadataLabel(name)},""" +
                """"OptionSetType":"Picklist","IsGlobal":true,"Options":[{"Value":727000000,"Label":${metadataLabel("Red")}}]}"""
            client.post("GlobalOptionSetDefinitions", optionSet("new_kept")).status shouldBe 204
            val snapshot = emulator.snapshot()
            client.post("GlobalOptionSetDefinitions", optionSet("new_later")).status shouldBe 204
            client.get("GlobalOptionSetDefinitions(Name='new_later')").status shouldBe 200
            client.delete("GlobalOptionSetDefinitions(Name='new_kept')").status shouldBe 204
            client.get("GlobalOptionSetDefinitions(Name='new_kept')").status shouldBe 404

            emulator.restore(snapshot)

            client.get("GlobalOptionSetDefinitions(Name='new_later')").status shouldBe 404
            client.get("GlobalOptionSetDefinitions(Name='new_kept')?\$select=Name").json.text("Name") shouldBe "new_kept"
        }
    }

    test("many-to-many links made or removed after the snapshot are undone") {
        withEmulator { emulator, client ->
            client.post("EntityDefinitions", tableMetadata("new_Project")).status shouldBe 204
            val relationship = """{"@odata.type":"Microsoft.Dynamics.CRM.ManyToManyRelationshipMetadata","SchemaName":"new_project_contact",
                "Entity1LogicalName":"new_project","Entity2LogicalName":"contact","IntersectEntityName":"new_project_contact"}"""
            client.post("RelationshipDefinitions", relationship).status shouldBe 204
            val project = client.create("new_projects", """{"new_name":"Apollo"}""")
            val alice = client.create("contacts", """{"lastname":"Alice"}""")
            val bob = client.create("contacts", """{"lastname":"Bob"}""")
            client.post("new_projects($project)/new_project_contact/\$ref", """{"@odata.id":"contacts($alice)"}""").status shouldBe 204
            val snapshot = emulator.snapshot()

            client.delete("new_projects($project)/new_project_contact($alice)/\$ref").status shouldBe 204
            client.post("new_projects($project)/new_project_contact/\$ref", """{"@odata.id":"contacts($bob)"}""").status shouldBe 204
            emulator.restore(snapshot)

            client.get("new_projects($project)?\$expand=new_project_contact(\$select=lastname)").json.array("new_project_contact")
                .map { it.jsonObject.text("lastname") } shouldContainExactly listOf("Alice")
        }
    }

    test("files: content of a deleted record comes back, content uploaded later is removed, and closing the snapshot releases what only it kept") {
        withEmulator { emulator, client ->
            emulator.addFileColumns()
            FileTestClient(emulator).use { files ->
                val content = randomBytes(3000)
                val id = client.create("accounts", """{"name":"With file"}""")
                files.send(HttpMethod.Patch, "accounts($id)/new_document", content, headers = mapOf("x-ms-file-name" to "a.bin")).status shouldBe 204
                val snapshot = emulator.snapshot()

                client.delete("accounts($id)").status shouldBe 204
                emulator.storedFileCount shouldBe 0
                val other = client.create("accounts", """{"name":"Later"}""")
                files.send(HttpMethod.Patch, "accounts($other)/new_document", randomBytes(10), headers = mapOf("x-ms-file-name" to "b.bin")).status shouldBe 204
                emulator.storedFileCount shouldBe 1

                emulator.restore(snapshot)

                emulator.storedFileCount shouldBe 1
                files.send(HttpMethod.Get, "accounts($id)/new_document/\$value").bytes shouldBe content
                files.send(HttpMethod.Get, "accounts($other)/new_document/\$value").status shouldBe 404

                // Delete it again: only the snapshot keeps the content now, until it is closed.
                client.delete("accounts($id)").status shouldBe 204
                val directory = java.nio.file.Files.list(emulator.context.files.contentPath(java.util.UUID.randomUUID()).parent).use { it.count() }
                directory shouldBe 1L
                snapshot.close()
                java.nio.file.Files.list(emulator.context.files.contentPath(java.util.UUID.randomUUID()).parent).use { it.count() } shouldBe 0L
                snapshot.isClosed shouldBe true
                shouldThrow<IllegalStateException> { emulator.restore(snapshot) }.message!! shouldContain "closed"
            }
        }
    }

    test("reset() keeps the content a snapshot refers to, so the snapshot restores after it") {
        withEmulator { emulator, client ->
            emulator.addFileColumns()
            FileTestClient(emulator).use { files ->
                val id = client.create("accounts", """{"name":"With file"}""")
                files.send(HttpMethod.Patch, "accounts($id)/new_document", randomBytes(100), headers = mapOf("x-ms-file-name" to "a.bin")).status shouldBe 204
                emulator.snapshot().use { snapshot ->
                    emulator.reset()
                    emulator.storedFileCount shouldBe 0
                    emulator.restore(snapshot)
                    files.send(HttpMethod.Get, "accounts($id)/new_document/\$value").bytes shouldBe randomBytes(100)
                    emulator.storedFileCount shouldBe 1
                }
                // Still referenced by the record after the snapshot closed.
                files.send(HttpMethod.Get, "accounts($id)/new_document/\$value").status shouldBe 200
            }
        }
    }

    test("upload sessions in progress end at a restore") {
        withEmulator { emulator, client ->
            emulator.addFileColumns()
            FileTestClient(emulator).use { files ->
                val id = client.create("accounts", """{"name":"x"}""")
                val snapshot = emulator.snapshot()
                val started = files.send(HttpMethod.Patch, "accounts($id)/new_document?x-ms-file-name=a.bin", headers = mapOf("x-ms-transfer-mode" to "chunked"))
                started.status shouldBe 200
                emulator.context.files.openSessionCount shouldBe 1
                emulator.restore(snapshot)
                emulator.context.files.openSessionCount shouldBe 0
                val location = started.headers["Location"]!!
                files.send(HttpMethod.Patch, location, randomBytes(10), headers = mapOf("Content-Range" to "bytes 0-9/10", "x-ms-file-name" to "a.bin")).status shouldNotBe 204
            }
        }
    }

    test("fault rules: those of the options and those added before the snapshot come back, those added after go, the seeded dice restart") {
        val options = EmulatorOptions(faultSeed = 7, faults = listOf(seedFault))
        withEmulator(options) { emulator, client ->
            val half = FaultRule(FaultKind.THROTTLE_REQUESTS, 0.5, pathPattern = "accounts.*")
            emulator.faults().add(half)
            val snapshot = emulator.snapshot()
            suspend fun outcomes() = (1..20).map { client.get("accounts").status }

            val first = outcomes()
            first.toSet() shouldBe setOf(200, 429)
            emulator.faults().clear()
            emulator.faults().add(FaultRule(FaultKind.GATEWAY_TIMEOUT, 1.0))
            client.get("accounts").status shouldBe 504

            emulator.restore(snapshot)

            emulator.faults().rules() shouldContainExactly listOf(seedFault, half)
            outcomes() shouldBe first
            val contact = client.create("contacts", """{"lastname":"x"}""")
            client.delete("contacts($contact)").status shouldBe 503
        }
    }

    test("the concurrency limit, search settings, custom APIs, duplicate rules, solutions and their components come back; counters restart") {
        withEmulator { emulator, client ->
            emulator.concurrencyLimit = 10
            emulator.searchableTables = setOf("account")
            emulator.registerCustomApi(CustomApi("sample_Kept", isFunction = false) { emptyMap() })
            emulator.addDuplicateDetectionRule("account", "name")
            emulator.addSolution("Core")
            client.post("EntityDefinitions", tableMetadata("new_Kept"), mapOf("MSCRM.SolutionUniqueName" to "Core")).status shouldBe 204
            val snapshot = emulator.snapshot()

            emulator.concurrencyLimit = 0
            emulator.searchEnabled = false
            emulator.searchableTables = null
            emulator.unregisterCustomApi("sample_Kept")
            emulator.registerCustomApi(CustomApi("sample_Later", isFunction = false) { emptyMap() })
            emulator.addDuplicateDetectionRule("contact", "lastname")
            client.post("EntityDefinitions", tableMetadata("new_Later"), mapOf("MSCRM.SolutionUniqueName" to "Core")).status shouldBe 204
            emulator.addSolution("Later")
            emulator.stats.requests shouldNotBe 0L

            emulator.restore(snapshot)

            emulator.stats.requests shouldBe 0L
            emulator.concurrencyLimit shouldBe 10
            emulator.searchEnabled shouldBe true
            emulator.searchableTables shouldBe setOf("account")
            emulator.customApis shouldContainExactly listOf("sample_Kept")
            client.post("sample_Kept", "{}").status shouldBe 204
            client.post("sample_Later", "{}").status shouldBe 404
            emulator.solutionComponents("Core") shouldContainExactly listOf("table:new_kept")
            emulator.solutions shouldContainExactly listOf("Core", "Default")
            val duplicate = mapOf("MSCRM.SuppressDuplicateDetection" to "false")
            client.post("contacts", """{"lastname":"Same"}""", duplicate).status shouldBe 204
            client.post("contacts", """{"lastname":"Same"}""", duplicate).status shouldBe 204
            client.post("accounts", """{"name":"Same"}""", duplicate).status shouldBe 204
            client.post("accounts", """{"name":"Same"}""", duplicate).status shouldBe 500
        }
    }

    test("search finds the restored records, not the discarded ones") {
        withEmulator { emulator, client ->
            client.create("accounts", """{"name":"Contoso Baseline"}""")
            val snapshot = emulator.snapshot()
            val later = client.create("accounts", """{"name":"Contoso Later"}""")
            suspend fun found(): List<String> {
                val response = client.post("${emulator.baseUrl}/api/search/v2.0/query", """{"search":"contoso"}""")
                val inner = TestClient.element(response.json.text("response")!!).jsonObject
                return inner.array("Value").map { it.jsonObject.text("Id")!! }
            }
            found().size shouldBe 2
            emulator.restore(snapshot)
            found().size shouldBe 1
            found() shouldNotBe listOf(later)
        }
    }

    test("change tracking: a token issued before the snapshot stays good after a restore; one issued after it expires") {
        withEmulator { emulator, client ->
            val track = mapOf("Prefer" to "odata.track-changes")
            val a = client.create("accounts", """{"name":"A"}""")
            val before = client.get("accounts?\$select=name", track).json.text("@odata.deltaLink")!!
            val b = client.create("accounts", """{"name":"B"}""")
            val snapshot = emulator.snapshot()
            client.delete("accounts($a)").status shouldBe 204
            client.create("accounts", """{"name":"C"}""")
            val after = client.get("accounts?\$select=name", track).json.text("@odata.deltaLink")!!

            emulator.restore(snapshot)

            val delta = client.get(before)
            delta.status shouldBe 200
            delta.values.map { it.text("accountid") } shouldContainExactly listOf(b)
            val expired = client.get(after)
            expired.status shouldBe 400
            expired.errorCode shouldBe "0x80044352"
            // New writes after the restore are seen by a token taken after it.
            val fresh = client.get("accounts?\$select=name", track).json.text("@odata.deltaLink")!!
            val d = client.create("accounts", """{"name":"D"}""")
            client.get(fresh).values.map { it.text("accountid") } shouldContainExactly listOf(d)
        }
    }

    test("a snapshot belongs to its emulator; snapshot and restore are refused inside a request's handling, which would wait for itself") {
        withEmulator { emulator, client ->
            DataverseEmulator.start().use { other ->
                other.snapshot().use { foreign ->
                    shouldThrow<IllegalArgumentException> { emulator.restore(foreign) }.message!! shouldContain "another emulator"
                }
            }
            val refusal = java.util.concurrent.atomic.AtomicReference<Throwable>()
            emulator.registerCustomApi(
                CustomApi("sample_Snapshot") {
                    refusal.set(runCatching { emulator.snapshot() }.exceptionOrNull())
                    emptyMap()
                },
            )
            client.post("sample_Snapshot", "{}").status shouldBe 204
            (refusal.get() as IllegalStateException).message!! shouldContain "custom API"
        }
    }

    test("with requests in flight: writers never fail, every snapshot holds whole change sets, and the last restore is exactly the baseline") {
        withEmulator(EmulatorOptions()) { emulator, client ->
            val baselineIds = (1..5).map { client.create("accounts", """{"name":"base $it"}""") }
            val baselineEtags = baselineIds.map { client.get("accounts($it)").json.text("@odata.etag") }
            val baseline = emulator.snapshot()
            val statuses = java.util.concurrent.ConcurrentLinkedQueue<Int>()
            val taken = java.util.concurrent.ConcurrentLinkedQueue<EmulatorSnapshot>()
            val writing = AtomicBoolean(true)

            withContext(Dispatchers.IO) {
                coroutineScope {
                    val writers = (1..3).map { writer ->
                        async {
                            TestClient(emulator).use { own ->
                                repeat(40) { round ->
                                    val pair = "pair $writer-$round"
                                    val batch = BatchBuilder().changeSet {
                                        request("POST", "${emulator.apiUrl}/accounts", """{"name":"$pair"}""", contentId = 1)
                                        request("POST", "${emulator.apiUrl}/accounts", """{"name":"$pair"}""", contentId = 2)
                                    }
                                    val answer = own.batch(batch.build(), "batch_test")
                                    statuses += answer.status
                                    BatchResponseReader.read(answer.headers["Content-Type"]!!, answer.text).forEach { entry ->
                                        (entry as BatchResponseEntry.ChangeSet).answers.forEach { statuses += it.status }
                                    }
                                    statuses += own.patch("accounts(${baselineIds[round % 5]})", """{"description":"$pair"}""").status
                                }
                            }
                        }
                    }
                    launch {
                        var rounds = 0
                        while (writing.get()) {
                            val snapshot = emulator.snapshot()
                            // A sample is kept, to restore and check one by one afterwards; the others are released at once.
                            if (rounds++ % 10 == 0 && taken.size < MAX_KEPT) taken += snapshot else snapshot.close()
                            emulator.restore(baseline)
                        }
                    }
                    writers.awaitAll()
                    writing.set(false)
                }
            }

            statuses.filter { it >= 300 }.shouldBeEmpty()
            (taken.size > 0) shouldBe true
            for (snapshot in taken) {
                emulator.restore(snapshot)
                val names = client.get("accounts?\$select=name").values.map { it.text("name")!! }
                names.filter { it.startsWith("base") } shouldContainExactlyInAnyOrder (1..5).map { "base $it" }
                names.filter { it.startsWith("pair") }.groupingBy { it }.eachCount().values.forEach { it shouldBe 2 }
                snapshot.close()
            }
            emulator.restore(baseline)
            client.names() shouldContainExactly (1..5).map { "base $it" }
            baselineIds.map { client.get("accounts($it)").json.text("@odata.etag") } shouldBe baselineEtags
            baselineIds.forEach { client.get("accounts($it)?\$select=description").json.text("description") shouldBe null }
        }
    }

    test("over the admin API: take, list, restore and delete snapshots; unknown ids are 404s") {
        withEmulator { emulator, client ->
            val admin = "${emulator.baseUrl}/_emulator"
            client.create("accounts", """{"name":"Base"}""")
            val taken = client.post("$admin/snapshots", "{}")
            taken.status shouldBe 201
            val id = taken.json.text("id")!!
            taken.json.text("records") shouldBe "2"
            client.get("$admin/snapshots").json.array("snapshots").map { it.toString().trim('"') } shouldContainExactly listOf(id)

            client.create("accounts", """{"name":"Later"}""")
            client.post("$admin/snapshots/$id/restore", "{}").status shouldBe 204
            client.names() shouldContainExactly listOf("Base")

            client.delete("$admin/snapshots/$id").status shouldBe 204
            client.get("$admin/snapshots").json.array("snapshots").size shouldBe 0
            client.post("$admin/snapshots/$id/restore", "{}").status shouldBe 404
            client.delete("$admin/snapshots/$id").status shouldBe 404
            client.get("$admin/snapshots/$id/restore").status shouldBe 404
        }
    }
})

/** Snapshots kept by the test with requests in flight, to restore and check one by one afterwards. */
private const val MAX_KEPT = 30
