package dev.dataverse.emulator

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldStartWith
import io.kotest.matchers.types.shouldBeInstanceOf
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.coroutineScope
import java.util.UUID

class BatchSpec : FunSpec({
    val emulator = DataverseEmulator.start(EmulatorOptions(concurrencyLimit = 0))
    val client = TestClient(emulator)
    // Upserts by account number need the key a user creates on a fresh org.
    beforeSpec { client.createAccountNumberKey() }
    afterSpec {
        client.close()
        emulator.close()
    }
    beforeTest { emulator.reset() }

    val account1 = "00000000-0000-0000-0000-000000000001"

    fun answers(response: TestResponse) = BatchResponseReader.answers(response.headers["Content-Type"]!!, response.text)
    fun entries(response: TestResponse) = BatchResponseReader.read(response.headers["Content-Type"]!!, response.text)

    test("the WIRE example: a GET, then a change set that creates a contact and binds it to an account with \$1") {
        client.create("accounts", """{"accountid":"$account1","name":"Contoso"}""")
        val api = emulator.apiUrl
        val body = BatchBuilder("batch_6f1c")
            .request("GET", "$api/accounts($account1)?\$select=name")
            .changeSet {
                request("POST", "$api/contacts", """{"firstname": "Alice"}""", contentId = 1)
                request("PATCH", "$api/accounts($account1)", """{"primarycontactid@odata.bind": "$1"}""", contentId = 2, headers = mapOf("If-Match" to "*"))
            }
            .build()
        val response = client.batch(body, "batch_6f1c")
        response.status shouldBe 200
        response.headers["Content-Type"]!! shouldStartWith "multipart/mixed; boundary=batchresponse_"
        val entries = entries(response)
        entries shouldHaveSize 2
        val get = entries[0].shouldBeInstanceOf<BatchResponseEntry.Single>().answer
        get.status shouldBe 200
        get.reason shouldBe "OK"
        get.contentId shouldBe null
        get.header("Content-Type") shouldBe "application/json; odata.metadata=minimal"
        TestClient.element(get.body).toString() shouldContain "\"name\":\"Contoso\""
        val changeSet = entries[1].shouldBeInstanceOf<BatchResponseEntry.ChangeSet>()
        changeSet.boundary shouldStartWith "changesetresponse_"
        val (create, patch) = changeSet.answers
        create.contentId shouldBe "1"
        create.status shouldBe 204
        create.reason shouldBe "No Content"
        val contactUrl = create.header("OData-EntityId")!!
        create.header("Location") shouldBe contactUrl
        contactUrl shouldStartWith "$api/contacts("
        patch.contentId shouldBe "2"
        patch.status shouldBe 204
        val contact = contactUrl.substringAfter('(').removeSuffix(")")
        client.get("accounts($account1)?\$select=_primarycontactid_value").json.text("_primarycontactid_value") shouldBe contact
    }

    test("a Content-ID reference works as a URL, also followed by a path, with relative and server-relative URLs") {
        val contact = client.create("contacts", """{"lastname":"Bound"}""")
        val body = BatchBuilder()
            .changeSet {
                request("POST", "accounts", """{"name":"Referenced"}""", contentId = 1)
                request("PUT", "$1/primarycontactid/\$ref", """{"@odata.id":"/api/data/v9.2/contacts($contact)"}""", contentId = 2)
                request("PATCH", "$1", """{"description":"patched through ${'$'}1"}""", contentId = 3)
            }
            .request("GET", "/api/data/v9.2/accounts?\$select=name,description,_primarycontactid_value", contentId = 4)
            .build()
        val response = client.batch(body, "batch_test")
        response.status shouldBe 200
        val answers = answers(response)
        answers.map { it.status } shouldContainExactly listOf(204, 204, 204, 200)
        answers.map { it.contentId } shouldContainExactly listOf("1", "2", "3", "4")
        val listed = TestClient.element(answers[3].body).toString()
        listed shouldContain "\"description\":\"patched through \$1\""
        listed shouldContain contact

        val clear = BatchBuilder().changeSet {
            request("DELETE", "${emulator.apiUrl}/accounts(${answers[0].header("OData-EntityId")!!.substringAfter('(').removeSuffix(")")})/primarycontactid/\$ref", contentId = 1)
        }.build()
        client.batch(clear, "batch_test").status shouldBe 200
        client.get("accounts?\$select=_primarycontactid_value").values.single().text("_primarycontactid_value") shouldBe null
    }

    test("Content-IDs are echoed on parts outside change sets too") {
        val body = BatchBuilder()
            .request("POST", "accounts", """{"name":"One"}""", contentId = 7)
            .request("GET", "WhoAmI", contentId = 8)
            .request("GET", "WhoAmI")
            .build()
        val answers = answers(client.batch(body, "batch_test"))
        answers.map { it.contentId } shouldContainExactly listOf("7", "8", null)
        answers[0].header("Location") shouldBe answers[0].header("OData-EntityId")
    }

    test("a failing change set is rolled back for real: created records removed, updated and deleted ones restored") {
        val updated = client.create("accounts", """{"name":"Before","accountnumber":"U-1"}""")
        val deleted = client.create("accounts", """{"name":"Doomed","accountnumber":"D-1"}""")
        val updatedBefore = client.get("accounts($updated)").json
        val deletedBefore = client.get("accounts($deleted)").json
        val body = BatchBuilder().changeSet {
            request("POST", "accounts", """{"name":"Created","accountnumber":"D-1-NEW"}""", contentId = 1)
            request("PATCH", "accounts($updated)", """{"name":"After","accountnumber":"U-2"}""", contentId = 2, headers = mapOf("If-Match" to "*"))
            request("DELETE", "accounts($deleted)", contentId = 3)
            request("POST", "accounts", """{"name":"Reuses the deleted key","accountnumber":"D-1"}""", contentId = 4)
            request("PATCH", "accounts(${UUID.randomUUID()})", """{"name":"Missing"}""", contentId = 5, headers = mapOf("If-Match" to "*"))
        }.build()
        val response = client.batch(body, "batch_test")
        response.status shouldBe 404
        val answers = answers(response)
        answers shouldHaveSize 1
        answers.single().contentId shouldBe "5"
        answers.single().status shouldBe 404
        TestClient.element(answers.single().body).toString() shouldContain "0x80040217"

        emulator.recordCount("account") shouldBe 2
        client.get("accounts($updated)").json shouldBe updatedBefore
        client.get("accounts($deleted)").json shouldBe deletedBefore
        client.get("accounts(accountnumber='U-1')").json.text("accountid") shouldBe updated
        client.get("accounts(accountnumber='D-1')").json.text("accountid") shouldBe deleted
        client.get("accounts(accountnumber='U-2')").status shouldBe 404
        client.get("accounts(accountnumber='D-1-NEW')").status shouldBe 404
    }

    test("without continue-on-error the batch stops at the first failure, keeping what ran before it") {
        val body = BatchBuilder()
            .request("POST", "accounts", """{"name":"Kept"}""", contentId = 1)
            .request("POST", "accounts", """{"name":"${"x".repeat(200)}"}""", contentId = 2)
            .request("POST", "accounts", """{"name":"Never sent"}""", contentId = 3)
            .build()
        val response = client.batch(body, "batch_test")
        response.status shouldBe 400
        response.headers["Preference-Applied"] shouldBe null
        val answers = answers(response)
        answers.map { it.contentId to it.status } shouldContainExactly listOf("2" to 400)
        client.get("accounts?\$select=name").values.map { it.text("name") } shouldContainExactly listOf("Kept")
    }

    test("with continue-on-error every entry is answered and a failed change set answers only its failing request") {
        val body = BatchBuilder()
            .request("POST", "accounts", """{"name":"First"}""", contentId = 1)
            .changeSet {
                request("POST", "accounts", """{"name":"Rolled back"}""", contentId = 2)
                request("POST", "accounts", """{"nosuchcolumn":1}""", contentId = 3)
            }
            .request("GET", "accounts(${UUID.randomUUID()})", contentId = 4)
            .changeSet { request("POST", "accounts", """{"name":"Last"}""", contentId = 5) }
            .build()
        val response = client.batch(body, "batch_test", mapOf("Prefer" to "odata.continue-on-error"))
        response.status shouldBe 200
        response.headers["Preference-Applied"] shouldBe "odata.continue-on-error"
        val entries = entries(response)
        entries shouldHaveSize 4
        entries[0].shouldBeInstanceOf<BatchResponseEntry.Single>().answer.status shouldBe 204
        val failedChangeSet = entries[1].shouldBeInstanceOf<BatchResponseEntry.Single>().answer
        failedChangeSet.contentId shouldBe "3"
        failedChangeSet.status shouldBe 400
        entries[2].shouldBeInstanceOf<BatchResponseEntry.Single>().answer.status shouldBe 404
        entries[3].shouldBeInstanceOf<BatchResponseEntry.ChangeSet>().answers.single().contentId shouldBe "5"
        client.get("accounts?\$select=name&\$orderby=name").values.map { it.text("name") } shouldContainExactly listOf("First", "Last")
    }

    test("a reference to a Content-ID that is not declared before it rejects the whole batch with plain error JSON") {
        val forward = BatchBuilder().changeSet {
            request("PATCH", "$2", """{"name":"x"}""", contentId = 1)
            request("POST", "accounts", """{"name":"y"}""", contentId = 2)
        }.build()
        val response = client.batch(forward, "batch_test")
        response.status shouldBe 400
        response.headers["Content-Type"]!! shouldStartWith "application/json"
        response.errorMessage shouldBe "Content-ID Reference: '$2' does not exist in the batch context."
        val inBody = BatchBuilder()
            .request("POST", "accounts", """{"name":"Not run"}""", contentId = 1)
            .request("POST", "accounts", """{"name":"z","primarycontactid@odata.bind":"$9"}""", contentId = 2)
            .build()
        client.batch(inBody, "batch_test").errorMessage shouldBe "Content-ID Reference: '$9' does not exist in the batch context."
        emulator.recordCount("account") shouldBe 0
    }

    test("a reference to a request that created nothing fails that request only") {
        val body = BatchBuilder()
            .request("POST", "accounts", """{"nosuchcolumn":1}""", contentId = 1)
            .request("PATCH", "$1", """{"name":"x"}""", contentId = 2)
            .build()
        val answers = answers(client.batch(body, "batch_test", mapOf("Prefer" to "odata.continue-on-error")))
        answers.map { it.status } shouldContainExactly listOf(400, 400)
        answers[1].body shouldContain "Content-ID Reference: '\$1' does not exist in the batch context."
    }

    test("a GET inside a change set, a nested \$batch and more than 1000 requests reject the whole batch") {
        val get = BatchBuilder().changeSet { request("GET", "accounts", contentId = 1) }.build()
        val getResponse = client.batch(get, "batch_test")
        getResponse.status shouldBe 400
        getResponse.errorMessage shouldContain "GET"

        val nested = BatchBuilder().request("POST", "\$batch", "{}", contentId = 1).build()
        client.batch(nested, "batch_test").status shouldBe 400

        val tooMany = BatchBuilder().apply {
            changeSet { repeat(500) { request("POST", "accounts", """{"name":"cs $it"}""", contentId = it + 1) } }
            repeat(501) { request("POST", "accounts", """{"name":"single $it"}""", contentId = 1000 + it) }
        }.build()
        val tooManyResponse = client.batch(tooMany, "batch_test")
        tooManyResponse.status shouldBe 400
        tooManyResponse.errorMessage shouldContain "1000"
        emulator.recordCount("account") shouldBe 0

        val exactly1000 = BatchBuilder().apply { repeat(1000) { request("POST", "accounts", """{"name":"n $it"}""", contentId = it + 1) } }.build()
        client.batch(exactly1000, "batch_test").status shouldBe 200
        emulator.recordCount("account") shouldBe 1000
    }

    test("LF line ends, an unquoted boundary and server-relative URLs are read too") {
        val body = BatchBuilder("b-lf", lineEnd = "\n")
            .request("POST", "/api/data/v9.2/accounts", """{"name":"LF"}""", contentId = 1)
            .changeSet { request("PATCH", "$1", """{"name":"LF patched"}""", contentId = 2) }
            .build()
        val response = client.sendRaw(io.ktor.http.HttpMethod.Post, "\$batch", body, "multipart/mixed; boundary=b-lf")
        response.status shouldBe 200
        answers(response).map { it.status } shouldContainExactly listOf(204, 204)
        client.get("accounts?\$select=name").values.single().text("name") shouldBe "LF patched"
    }

    test("inner requests run with the outer request's authorization, and the outer request needs it") {
        val body = BatchBuilder().request("GET", "WhoAmI", contentId = 1).build()
        TestClient(emulator, token = null).use { anonymous ->
            anonymous.batch(body, "batch_test").status shouldBe 401
        }
        answers(client.batch(body, "batch_test")).single().status shouldBe 200
    }

    test("a body that is not multipart is a 400") {
        val response = client.post("\$batch", """{"requests":[]}""")
        response.status shouldBe 400
        response.errorMessage shouldContain "multipart/mixed"
        client.batch("--batch_test\r\nContent-Type: application/http\r\n\r\nGET accounts HTTP/1.1\r\n\r\n", "batch_test").status shouldBe 400
    }

    test("change sets running concurrently with other writers are undone exactly") {
        val failing = BatchBuilder().changeSet {
            request("POST", "accounts", """{"name":"Undone"}""", contentId = 1)
            request("POST", "contacts", """{"lastname":"Undone"}""", contentId = 2)
            request("PATCH", "$1", """{"primarycontactid@odata.bind":"$2"}""", contentId = 3)
            request("DELETE", "accounts(${UUID.randomUUID()})", contentId = 4)
        }.build()
        val statuses = coroutineScope {
            val batches = (1..20).map { async { client.batch(failing, "batch_test").status } }
            val creates = (1..40).map { index -> async { client.create("accounts", """{"name":"Single $index"}""") } }
            creates.awaitAll() shouldHaveSize 40
            batches.awaitAll()
        }
        statuses.toSet() shouldBe setOf(404)
        emulator.recordCount("account") shouldBe 40
        emulator.recordCount("contact") shouldBe 0
        client.get("accounts?\$filter=name%20eq%20'Undone'").values shouldHaveSize 0
    }

    test("bulk actions run inside change sets and are undone with them") {
        val body = BatchBuilder().changeSet {
            request(
                "POST", "accounts/Microsoft.Dynamics.CRM.CreateMultiple",
                """{"Targets":[{"@odata.type":"Microsoft.Dynamics.CRM.account","name":"Bulk 1"},{"@odata.type":"Microsoft.Dynamics.CRM.account","name":"Bulk 2"}]}""",
                contentId = 1,
            )
            request("POST", "contacts", """{"nosuchcolumn":true}""", contentId = 2)
        }.build()
        val response = client.batch(body, "batch_test")
        response.status shouldBe 400
        emulator.recordCount("account") shouldBe 0
        response.text shouldNotBe ""
    }
})
