package dev.dataverse.emulator

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject

/** Changes the service makes beyond the record written: cascade rules on delete, and change sets undone with their links. */
class DataIntegritySpec : FunSpec({
    val emulator = DataverseEmulator.start(EmulatorOptions(keyActivationDelayMillis = 0))
    val client = TestClient(emulator)
    afterSpec {
        client.close()
        emulator.close()
    }

    fun label(text: String) = metadataLabel(text)

    fun table(schema: String) = tableMetadata(schema)

    fun oneToMany(referencing: String, lookup: String, delete: String) = """
        {"@odata.type":"Microsoft.Dynamics.CRM.OneToManyRelationshipMetadata","SchemaName":"new_project_${referencing}_$lookup",
         "ReferencedEntity":"new_project","ReferencingEntity":"$referencing","ReferencedAttribute":"new_projectid",
         "CascadeConfiguration":{"Assign":"NoCascade","Delete":"$delete","Merge":"NoCascade","Reparent":"NoCascade","Share":"NoCascade","Unshare":"NoCascade"},
         "Lookup":{"@odata.type":"Microsoft.Dynamics.CRM.LookupAttributeMetadata","SchemaName":"$lookup","DisplayName":${label(lookup)}}}
    """.trimIndent()

    beforeSpec {
        client.post("EntityDefinitions", table("new_Project")).status shouldBe 204
        client.post("EntityDefinitions", table("new_Task")).status shouldBe 204
        client.post("EntityDefinitions", table("new_Note")).status shouldBe 204
        client.post("EntityDefinitions", table("new_Audit")).status shouldBe 204
        client.post("RelationshipDefinitions", oneToMany("new_task", "new_ProjectId", "Cascade")).status shouldBe 204
        client.post("RelationshipDefinitions", oneToMany("new_note", "new_ProjectId", "RemoveLink")).status shouldBe 204
        client.post("RelationshipDefinitions", oneToMany("new_audit", "new_ProjectId", "Restrict")).status shouldBe 204
        client.post(
            "RelationshipDefinitions",
            """{"@odata.type":"Microsoft.Dynamics.CRM.ManyToManyRelationshipMetadata","SchemaName":"new_project_contact",
               "Entity1LogicalName":"new_project","Entity2LogicalName":"contact","IntersectEntityName":"new_project_contact"}""",
        ).status shouldBe 204
    }
    beforeTest { emulator.reset() }

    // Learn: configure-entity-relationship-cascading-behavior: Cascade, RemoveLink, Restrict on delete.
    test("cascading behavior: Cascade deletes the referencing records, RemoveLink clears their lookup") {
        val project = client.create("new_projects", """{"new_name":"Apollo"}""")
        val other = client.create("new_projects", """{"new_name":"Gemini"}""")
        client.create("new_tasks", """{"new_name":"T1","new_ProjectId@odata.bind":"/new_projects($project)"}""")
        client.create("new_tasks", """{"new_name":"T2","new_ProjectId@odata.bind":"/new_projects($other)"}""")
        val note = client.create("new_notes", """{"new_name":"N1","new_ProjectId@odata.bind":"/new_projects($project)"}""")

        client.delete("new_projects($project)").status shouldBe 204

        client.get("new_tasks?\$select=new_name").values.map { it.text("new_name") } shouldContainExactly listOf("T2")
        client.get("new_notes($note)?\$select=_new_projectid_value").json.text("_new_projectid_value") shouldBe null
        emulator.recordCount("new_note") shouldBe 1
    }

    test("cascading behavior: Restrict refuses the delete while a record refers to it, and nothing else changes") {
        val project = client.create("new_projects", """{"new_name":"Apollo"}""")
        client.create("new_tasks", """{"new_name":"T1","new_ProjectId@odata.bind":"/new_projects($project)"}""")
        val audit = client.create("new_audits", """{"new_name":"A1","new_ProjectId@odata.bind":"/new_projects($project)"}""")

        val refused = client.delete("new_projects($project)")
        refused.status shouldBe 400
        refused.errorMessage shouldContain "restricts deletes"
        emulator.recordCount("new_project") shouldBe 1
        emulator.recordCount("new_task") shouldBe 1

        client.delete("new_audits($audit)").status shouldBe 204
        client.delete("new_projects($project)").status shouldBe 204
        emulator.recordCount("new_task") shouldBe 0
    }

    // Learn: execute-batch-operations-using-web-api: a change set is atomic; the links it made are undone too.
    test("execute-batch-operations: N:N links made in a change set that fails are undone") {
        val project = client.create("new_projects", """{"new_name":"Apollo"}""")
        val alice = client.create("contacts", """{"firstname":"Alice","lastname":"A"}""")
        val body = BatchBuilder().changeSet {
            request("POST", "new_projects($project)/new_project_contact/\$ref", """{"@odata.id":"${emulator.apiUrl}/contacts($alice)"}""", contentId = 1)
            request("PATCH", "contacts(${java.util.UUID.randomUUID()})", """{"lastname":"missing"}""", contentId = 2, headers = mapOf("If-Match" to "*"))
        }.build()
        client.batch(body, "batch_test").status shouldBe 404
        client.get("new_projects($project)?\$expand=new_project_contact(\$select=firstname)").json
            .getValue("new_project_contact").jsonArray.size shouldBe 0

        val kept = BatchBuilder().changeSet {
            request("POST", "new_projects($project)/new_project_contact/\$ref", """{"@odata.id":"${emulator.apiUrl}/contacts($alice)"}""", contentId = 1)
        }.build()
        client.batch(kept, "batch_test").status shouldBe 200
        client.get("new_projects($project)?\$expand=new_project_contact(\$select=firstname)").json
            .getValue("new_project_contact").jsonArray.map { it.jsonObject.text("firstname") } shouldContainExactly listOf("Alice")
    }

    test("a delete inside a change set that fails later restores the cascaded records") {
        val project = client.create("new_projects", """{"new_name":"Apollo"}""")
        client.create("new_tasks", """{"new_name":"T1","new_ProjectId@odata.bind":"/new_projects($project)"}""")
        val body = BatchBuilder().changeSet {
            request("DELETE", "new_projects($project)", contentId = 1)
            request("PATCH", "contacts(${java.util.UUID.randomUUID()})", """{"lastname":"missing"}""", contentId = 2, headers = mapOf("If-Match" to "*"))
        }.build()
        client.batch(body, "batch_test").status shouldBe 404
        emulator.recordCount("new_project") shouldBe 1
        emulator.recordCount("new_task") shouldBe 1
    }

    // Learn: create-update-entity-definitions-using-web-api: a user-owned table has an ownerid lookup (Owner) to
    // systemuser; a new record is owned by the caller.
    test("entity definitions: a created user-owned table has ownerid, and a new record is owned by the caller") {
        val owner = client.get("EntityDefinitions(LogicalName='new_project')/Attributes(LogicalName='ownerid')").json
        owner.text("AttributeType") shouldBe "Owner"
        val me = client.get("WhoAmI").json.text("UserId")
        val project = client.create("new_projects", """{"new_name":"Owned"}""")
        val record = client.get("new_projects($project)?\$select=_ownerid_value&\$expand=ownerid(\$select=fullname)", TestClient.allAnnotations).json
        record.text("_ownerid_value") shouldBe me
        record.text("_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname") shouldBe "systemuser"
        record.getValue("ownerid").jsonObject.text("fullname") shouldBe "Emulator User"
        emulator.recordCount("systemuser") shouldBe 1
    }
})
