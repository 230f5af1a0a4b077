package dev.dataverse.emulator

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldMatch
import kotlinx.serialization.json.jsonPrimitive
import java.util.UUID

class BulkActionsSpec : FunSpec({
    val emulator = DataverseEmulator.start(EmulatorOptions(bulkUnsupportedTables = setOf("Contact")))
    val client = TestClient(emulator)
    // Upserts by account number need the key a user creates on a fresh org.
    beforeSpec { client.createAccountNumberKey() }
    afterSpec {
        client.close()
        emulator.close()
    }
    beforeTest { emulator.reset() }

    fun account(body: String) = """{"@odata.type":"Microsoft.Dynamics.CRM.account",$body}"""
    fun targets(vararg items: String) = items.joinToString(",", """{"Targets":[""", "]}")

    test("CreateMultiple answers 200 with the ids in input order, honouring client-assigned ids") {
        val mine = UUID.randomUUID().toString()
        val response = client.post(
            "accounts/Microsoft.Dynamics.CRM.CreateMultiple",
            targets(account(""""name":"A""""), account(""""accountid":"$mine","name":"B""""), account(""""name":"C","revenue":5""")),
        )
        response.status shouldBe 200
        response.json.text("@odata.context") shouldBe "${emulator.apiUrl}/\$metadata#Microsoft.Dynamics.CRM.CreateMultipleResponse"
        val ids = response.json.array("Ids").map { it.jsonPrimitive.content }
        ids shouldHaveSize 3
        ids[1] shouldBe mine
        ids.map { client.get("accounts($it)?\$select=name").json.text("name") } shouldContainExactly listOf("A", "B", "C")
        emulator.recordCount("account") shouldBe 3
    }

    test("one invalid target rolls the whole CreateMultiple back and answers that target's error") {
        client.create("accounts", """{"name":"Existing"}""")
        val tooLong = "x".repeat(161)
        val response = client.post(
            "accounts/Microsoft.Dynamics.CRM.CreateMultiple",
            targets(account(""""name":"Fine 1""""), account(""""name":"$tooLong""""), account(""""name":"Fine 2"""")),
        )
        response.status shouldBe 400
        response.errorCode shouldBe "0x80044331"
        response.errorMessage shouldContain "'name'"
        emulator.recordCount("account") shouldBe 1
    }

    test("a duplicate primary id is a 412 and nothing of the request stays, also when the duplicate is within the request") {
        val existing = client.create("accounts", """{"name":"Existing"}""")
        val clash = client.post(
            "accounts/Microsoft.Dynamics.CRM.CreateMultiple",
            targets(account(""""name":"New""""), account(""""accountid":"$existing","name":"Clash"""")),
        )
        clash.status shouldBe 412
        clash.errorCode shouldBe "0x80040237"
        val twice = UUID.randomUUID()
        val inRequest = client.post(
            "accounts/Microsoft.Dynamics.CRM.CreateMultiple",
            targets(account(""""accountid":"$twice","name":"One""""), account(""""accountid":"$twice","name":"Two"""")),
        )
        inRequest.status shouldBe 412
        emulator.recordCount("account") shouldBe 1
        client.get("accounts($twice)").status shouldBe 404
    }

    test("a duplicate alternate key found while applying also rolls back the records created before it") {
        val response = client.post(
            "accounts/Microsoft.Dynamics.CRM.CreateMultiple",
            targets(account(""""name":"A","accountnumber":"K-1""""), account(""""name":"B","accountnumber":"k-1"""")),
        )
        response.status shouldBe 412
        emulator.recordCount("account") shouldBe 0
        client.get("accounts(accountnumber='K-1')").status shouldBe 404
    }

    test("every target needs the right @odata.type") {
        val missing = client.post("accounts/Microsoft.Dynamics.CRM.CreateMultiple", targets(account(""""name":"A""""), """{"name":"B"}"""))
        missing.status shouldBe 400
        missing.errorMessage shouldContain "Targets[1]"
        val wrong = client.post("accounts/Microsoft.Dynamics.CRM.CreateMultiple", targets("""{"@odata.type":"Microsoft.Dynamics.CRM.contact","name":"B"}"""))
        wrong.status shouldBe 400
        wrong.errorMessage shouldContain "Microsoft.Dynamics.CRM.account"
        client.post("accounts/Microsoft.Dynamics.CRM.CreateMultiple", """{"Targets":[]}""").status shouldBe 400
        client.post("accounts/Microsoft.Dynamics.CRM.CreateMultiple", """{"Records":[]}""").status shouldBe 400
        client.get("accounts/Microsoft.Dynamics.CRM.CreateMultiple").status shouldBe 405
        emulator.recordCount("account") shouldBe 0
    }

    test("1000 targets are created in one request") {
        val body = targets(*Array(1000) { account(""""name":"Row $it","numberofemployees":$it""") })
        val response = client.post("accounts/Microsoft.Dynamics.CRM.CreateMultiple", body)
        response.status shouldBe 200
        response.json.array("Ids").map { it.jsonPrimitive.content }.toSet() shouldHaveSize 1000
        emulator.recordCount("account") shouldBe 1000
    }

    test("UpdateMultiple changes every target and answers 204; a missing record is a 404 that rolls back the others") {
        val a = client.create("accounts", """{"name":"A"}""")
        val b = client.create("accounts", """{"name":"B"}""")
        val response = client.post(
            "accounts/Microsoft.Dynamics.CRM.UpdateMultiple",
            targets(account(""""accountid":"$a","name":"A2""""), account(""""accountid":"$b","name":"B2"""")),
        )
        response.status shouldBe 204
        client.get("accounts($a)").json.text("name") shouldBe "A2"
        client.get("accounts($b)").json.text("name") shouldBe "B2"

        val missing = UUID.randomUUID()
        val failed = client.post(
            "accounts/Microsoft.Dynamics.CRM.UpdateMultiple",
            targets(account(""""accountid":"$a","name":"A3""""), account(""""accountid":"$missing","name":"Ghost"""")),
        )
        failed.status shouldBe 404
        failed.errorCode shouldBe "0x80040217"
        client.get("accounts($a)").json.text("name") shouldBe "A2"
        emulator.recordCount("account") shouldBe 2

        val noId = client.post("accounts/Microsoft.Dynamics.CRM.UpdateMultiple", targets(account(""""name":"No id"""")))
        noId.status shouldBe 400
        noId.errorMessage shouldContain "accountid"
    }

    test("UpsertMultiple creates and updates by primary id and by @odata.id alternate-key URL") {
        val existing = client.create("accounts", """{"name":"Old","accountnumber":"A1"}""")
        val newId = UUID.randomUUID()
        val response = client.post(
            "accounts/Microsoft.Dynamics.CRM.UpsertMultiple",
            targets(
                account(""""name":"Updated by key","@odata.id":"accounts(accountnumber='A1')""""),
                account(""""name":"Created by key","@odata.id":"accounts(accountnumber=%27A2%27)""""),
                account(""""accountid":"$newId","name":"Created by id""""),
                account(""""name":"Matching key column","accountnumber":"a1","@odata.id":"/accounts(accountnumber='A1')""""),
            ),
        )
        response.status shouldBe 204
        response.text shouldBe ""
        client.get("accounts($existing)").json.text("name") shouldBe "Matching key column"
        client.get("accounts(accountnumber='A2')").json.text("name") shouldBe "Created by key"
        client.get("accounts($newId)").json.text("name") shouldBe "Created by id"
        emulator.recordCount("account") shouldBe 3
    }

    test("UpsertMultiple rejects a key column that disagrees with @odata.id, and a target naming no record, changing nothing") {
        val disagree = client.post(
            "accounts/Microsoft.Dynamics.CRM.UpsertMultiple",
            targets(account(""""name":"X","@odata.id":"accounts(accountnumber='B1')""""), account(""""name":"Y","accountnumber":"B3","@odata.id":"accounts(accountnumber='B2')"""")),
        )
        disagree.status shouldBe 400
        disagree.errorMessage shouldContain "accountnumber"
        val anonymous = client.post("accounts/Microsoft.Dynamics.CRM.UpsertMultiple", targets(account(""""name":"Z"""")))
        anonymous.status shouldBe 400
        val wrongSet = client.post("accounts/Microsoft.Dynamics.CRM.UpsertMultiple", targets(account(""""name":"Z","@odata.id":"contacts(${UUID.randomUUID()})"""")))
        wrongSet.status shouldBe 400
        emulator.recordCount("account") shouldBe 0
    }

    test("DeleteMultiple on a standard table answers the service's not-implemented error") {
        val id = client.create("accounts", """{"name":"Keep"}""")
        val response = client.post("accounts/Microsoft.Dynamics.CRM.DeleteMultiple", targets(account(""""accountid":"$id"""")))
        response.status shouldBe 400
        response.errorMessage shouldBe "DeleteMultiple has not yet been implemented."
        emulator.recordCount("account") shouldBe 1
    }

    test("a table listed as not supporting bulk actions answers 400 0x8006088a naming the action, so clients fall back to \$batch") {
        listOf("CreateMultiple", "UpdateMultiple", "UpsertMultiple").forEach { action ->
            val response = client.post("contacts/Microsoft.Dynamics.CRM.$action", targets("""{"@odata.type":"Microsoft.Dynamics.CRM.contact","lastname":"X"}"""))
            response.status shouldBe 400
            response.errorCode shouldBe "0x8006088a"
            response.errorMessage shouldBe "The '$action' message is not supported for entity 'contact'."
        }
        emulator.recordCount("contact") shouldBe 0
        client.post("accounts/Microsoft.Dynamics.CRM.CreateMultiple", targets(account(""""name":"Supported""""))).status shouldBe 200
    }

    test("BulkDelete deletes the records an In or Equal condition on the primary id lists and answers a JobId") {
        val ids = (1..4).map { client.create("accounts", """{"name":"Row $it"}""") }
        fun query(operator: String, values: List<String>, filterOperator: String = "And") = """
            {"@odata.type":"Microsoft.Dynamics.CRM.QueryExpression","EntityName":"account",
             "ColumnSet":{"@odata.type":"Microsoft.Dynamics.CRM.ColumnSet","AllColumns":false,"Columns":[]},
             "Criteria":{"@odata.type":"Microsoft.Dynamics.CRM.FilterExpression","FilterOperator":"$filterOperator","Conditions":[
               {"@odata.type":"Microsoft.Dynamics.CRM.ConditionExpression","AttributeName":"accountid","Operator":"$operator",
                "Values":[${values.joinToString(",") { """{"Value":"$it","Type":"System.Guid"}""" }}]}]}}
        """.trimIndent()
        fun bulkDelete(vararg queries: String) = """
            {"JobName":"Bulk delete account records","SendEmailNotification":false,"ToRecipients":[],"CCRecipients":[],
             "RecurrencePattern":"","StartDateTime":"2025-01-01T00:00:00Z","QuerySet":[${queries.joinToString(",")}]}
        """.trimIndent()

        val response = client.post("BulkDelete", bulkDelete(query("In", listOf(ids[0], ids[1], UUID.randomUUID().toString()))))
        response.status shouldBe 200
        response.json.text("@odata.context") shouldBe "${emulator.apiUrl}/\$metadata#Microsoft.Dynamics.CRM.BulkDeleteResponse"
        response.json.text("JobId")!! shouldMatch Regex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
        emulator.recordCount("account") shouldBe 2
        client.get("accounts(${ids[0]})").status shouldBe 404

        client.post("Microsoft.Dynamics.CRM.BulkDelete", bulkDelete(query("Equal", listOf(ids[2])))).status shouldBe 200
        client.get("accounts(${ids[2]})").status shouldBe 404
        client.get("accounts(${ids[3]})").status shouldBe 200

        val unsupported = client.post("BulkDelete", bulkDelete(query("GreaterThan", listOf(ids[3]))))
        unsupported.status shouldBe 400
        emulator.recordCount("account") shouldBe 1
    }
})
