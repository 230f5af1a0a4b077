package dev.dataverse.emulator

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldMatch
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.jsonObject
import java.util.UUID

class RecordsSpec : FunSpec({
    val emulator = DataverseEmulator.start()
    val client = TestClient(emulator)
    // Upserts by account number need the key a user creates on a fresh org.
    beforeSpec { client.createAccountNumberKey() }
    afterSpec {
        client.close()
        emulator.close()
    }
    beforeTest { emulator.reset() }

    test("create answers 204 with OData-EntityId") {
        val response = client.post("accounts", """{"name":"Contoso","revenue":1234.5}""")
        response.status shouldBe 204
        response.text shouldBe ""
        response.headers["OData-EntityId"]!! shouldMatch Regex("${Regex.escape(emulator.apiUrl)}/accounts\\([0-9a-f-]{36}\\)")
        emulator.recordCount("account") shouldBe 1
    }

    test("create with return=representation answers 201 with the entity and Preference-Applied") {
        val response = client.post("accounts?\$select=name,revenue", """{"name":"Contoso","revenue":1234.5}""", TestClient.representation)
        response.status shouldBe 201
        response.headers["Preference-Applied"] shouldBe "return=representation"
        val body = response.json
        body.text("@odata.context") shouldBe "${emulator.apiUrl}/\$metadata#accounts(name,revenue)/\$entity"
        body.text("name") shouldBe "Contoso"
        body.text("revenue") shouldBe "1234.50"
        body.keys shouldContainExactly setOf("@odata.context", "@odata.etag", "name", "revenue", "accountid")
        response.headers["OData-EntityId"] shouldBe "${emulator.apiUrl}/accounts(${body.text("accountid")})"
    }

    test("the server sets defaults, timestamps and the version") {
        val id = client.create("accounts", """{"name":"Defaults"}""")
        val body = client.get("accounts($id)").json
        body.text("statecode") shouldBe "0"
        body.text("statuscode") shouldBe "1"
        body.text("creditonhold") shouldBe "false"
        body.text("createdon")!! shouldMatch Regex("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z")
        body.text("modifiedon") shouldBe body.text("createdon")
        body.text("@odata.etag") shouldBe "W/\"${body.text("versionnumber")}\""
        body["description"] shouldBe JsonNull
    }

    test("a client-assigned id is honoured and a second create with it is a 412 duplicate") {
        val id = UUID.randomUUID().toString()
        client.create("accounts", """{"accountid":"$id","name":"Mine"}""") shouldBe id
        val duplicate = client.post("accounts", """{"accountid":"$id","name":"Again"}""")
        duplicate.status shouldBe 412
        duplicate.errorCode shouldBe "0x80040237"
        duplicate.errorMessage shouldBe "A record with matching key values already exists."
    }

    test("get supports the key forms, \$select and \$expand with a nested \$select") {
        val contact = client.create("contacts", """{"firstname":"Ada","lastname":"Lovelace"}""")
        val account = client.create("accounts", """{"name":"Analytical","accountnumber":"AE-1","primarycontactid@odata.bind":"/contacts($contact)"}""")
        val response = client.get("accounts($account)?\$select=name,_primarycontactid_value&\$expand=primarycontactid(\$select=fullname)")
        response.status shouldBe 200
        val body = response.json
        body.text("@odata.context") shouldBe "${emulator.apiUrl}/\$metadata#accounts(name,_primarycontactid_value,primarycontactid(fullname))/\$entity"
        body.text("_primarycontactid_value") shouldBe contact
        val expanded = body.getValue("primarycontactid").jsonObject
        expanded.text("fullname") shouldBe "Ada Lovelace"
        expanded.text("contactid") shouldBe contact
        client.get("accounts(accountid=$account)?\$select=name").json.text("name") shouldBe "Analytical"
        client.get("accounts(accountnumber='AE-1')?\$select=name").json.text("accountid") shouldBe account
    }

    test("a GET with If-None-Match of the current ETag is a 304; a stale one or null gets the record") {
        val id = client.create("accounts", """{"name":"Cached"}""")
        val etag = client.get("accounts($id)").headers["ETag"]!!
        client.get("accounts($id)", mapOf("If-None-Match" to etag)).status shouldBe 304
        client.get("accounts($id)", mapOf("If-None-Match" to "null")).status shouldBe 200
        client.patch("accounts($id)", """{"name":"Changed"}""", mapOf("If-Match" to "*"))
        client.get("accounts($id)", mapOf("If-None-Match" to etag)).json.text("name") shouldBe "Changed"
    }

    // Learn: reference/web-service-error-codes: RecordNotFoundByEntityKey (0x80060891, 404).
    test("web-service-error-codes: a record missing by alternate key is a 404 with 0x80060891, by id 0x80040217") {
        val byKey = client.get("accounts(accountnumber='NOPE-1')")
        byKey.status shouldBe 404
        byKey.errorCode shouldBe "0x80060891"
        byKey.errorMessage shouldBe "A record with the specified key values does not exist in account entity"
        client.get("accounts(${UUID.randomUUID()})").errorCode shouldBe "0x80040217"
    }

    // Learn: perform-conditional-operations-using-web-api: no 304 for a query with $expand or annotations.
    test("perform-conditional-operations: a conditional GET with \$expand or annotations is never a 304") {
        val id = client.create("accounts", """{"name":"Expanded"}""")
        val etag = client.get("accounts($id)").headers["ETag"]!!
        client.get("accounts($id)?\$expand=primarycontactid", mapOf("If-None-Match" to etag)).status shouldBe 200
        client.get("accounts($id)", mapOf("If-None-Match" to etag, "Prefer" to "odata.include-annotations=\"*\"")).status shouldBe 200
        client.get("accounts($id)", mapOf("If-None-Match" to etag)).status shouldBe 304
    }

    test("expanding a customer lookup's navigation property returns the record only for its target table") {
        val account = client.create("accounts", """{"name":"Customer Co"}""")
        val contact = client.create("contacts", """{"lastname":"Buyer","parentcustomerid_account@odata.bind":"/accounts($account)"}""")
        val body = client.get("contacts($contact)?\$select=lastname&\$expand=parentcustomerid_account(\$select=name),parentcustomerid_contact").json
        body.getValue("parentcustomerid_account").jsonObject.text("name") shouldBe "Customer Co"
        body["parentcustomerid_contact"] shouldBe JsonNull
        client.get("contacts($contact)?\$expand=nosuchnav").status shouldBe 400
    }

    test("a missing record is a 404 with the service's message") {
        val id = UUID.randomUUID()
        val response = client.get("accounts($id)")
        response.status shouldBe 404
        response.errorCode shouldBe "0x80040217"
        response.errorMessage shouldBe "account With Id = $id Does Not Exist"
    }

    test("update with If-Match * on a missing record is a 404 and does not create it") {
        val response = client.patch("accounts(${UUID.randomUUID()})", """{"name":"X"}""", mapOf("If-Match" to "*"))
        response.status shouldBe 404
        response.errorCode shouldBe "0x80040217"
        emulator.recordCount("account") shouldBe 0
    }

    test("update with a stale ETag is a 412, with the current ETag it succeeds and bumps the version") {
        val id = client.create("accounts", """{"name":"Versioned"}""")
        val etag = client.get("accounts($id)").json.text("@odata.etag")!!
        client.patch("accounts($id)", """{"name":"V2"}""", mapOf("If-Match" to etag)).status shouldBe 204
        val stale = client.patch("accounts($id)", """{"name":"V3"}""", mapOf("If-Match" to etag))
        stale.status shouldBe 412
        stale.errorCode shouldBe "0x80060882"
        stale.errorMessage shouldBe "The version of the existing record doesn't match the RowVersion property provided."
        val current = client.get("accounts($id)").json
        current.text("name") shouldBe "V2"
        current.text("@odata.etag") shouldNotBe etag
    }

    test("update with return=representation answers 200 with the entity") {
        val id = client.create("accounts", """{"name":"Before"}""")
        val response = client.patch("accounts($id)?\$select=name", """{"name":"After"}""", TestClient.representation + mapOf("If-Match" to "*"))
        response.status shouldBe 200
        response.json.text("name") shouldBe "After"
    }

    test("upsert by alternate key creates with the key column set, then updates the same record") {
        val created = client.patch("accounts(accountnumber='UP-1')", """{"name":"First"}""")
        created.status shouldBe 204
        // Learn, "Use Upsert to Create or Update a record": OData-EntityId names the record by the key the request used.
        created.headers["OData-EntityId"] shouldBe "${emulator.apiUrl}/accounts(accountnumber='UP-1')"
        val id = client.get("accounts(accountnumber='UP-1')?\$select=accountid").json.text("accountid")!!
        client.get("accounts($id)").json.text("accountnumber") shouldBe "UP-1"
        val updated = client.patch("accounts(accountnumber='UP-1')", """{"name":"Second"}""", TestClient.representation)
        updated.status shouldBe 200
        updated.json.text("accountid") shouldBe id
        updated.json.text("name") shouldBe "Second"
        emulator.recordCount("account") shouldBe 1
    }

    test("upsert by id creates with that id, with 201 when representation is asked for") {
        val id = UUID.randomUUID().toString()
        val response = client.patch("accounts($id)", """{"name":"Upserted"}""", TestClient.representation)
        response.status shouldBe 201
        response.json.text("accountid") shouldBe id
    }

    test("If-None-Match * creates when absent and is a 412 when the record exists") {
        client.patch("accounts(accountnumber='ONLY-1')", """{"name":"Create only"}""", mapOf("If-None-Match" to "*")).status shouldBe 204
        val again = client.patch("accounts(accountnumber='ONLY-1')", """{"name":"Again"}""", mapOf("If-None-Match" to "*"))
        again.status shouldBe 412
        again.errorCode shouldBe "0x80040237"
        client.get("accounts(accountnumber='ONLY-1')").json.text("name") shouldBe "Create only"
    }

    test("a second record with a taken alternate key value is a 412") {
        client.create("accounts", """{"name":"A","accountnumber":"KEY-1"}""")
        client.post("accounts", """{"name":"B","accountnumber":"key-1"}""").status shouldBe 412
    }

    test("delete removes the record; deleting again is a 404; If-Match is honoured") {
        val id = client.create("accounts", """{"name":"Doomed"}""")
        client.delete("accounts($id)", mapOf("If-Match" to "W/\"1\"")).status shouldBe 412
        client.delete("accounts($id)", mapOf("If-Match" to "*")).status shouldBe 204
        client.get("accounts($id)").status shouldBe 404
        client.delete("accounts($id)").status shouldBe 404
        emulator.recordCount("account") shouldBe 0
    }

    test("deleting a column sets it to null; PUT sets one property; GET reads one") {
        val id = client.create("accounts", """{"name":"Columns","description":"long text","telephone1":"555"}""")
        client.delete("accounts($id)/description").status shouldBe 204
        client.get("accounts($id)").json["description"] shouldBe JsonNull
        client.put("accounts($id)/telephone1", """{"value":"777"}""").status shouldBe 204
        val property = client.get("accounts($id)/telephone1")
        property.json.text("value") shouldBe "777"
        client.get("accounts($id)/description").status shouldBe 204
        client.delete("accounts($id)/statecode").errorCode shouldBe "0x80044331"
        client.delete("accounts($id)/createdon").status shouldBe 400
        client.delete("accounts($id)/nosuchcolumn").status shouldBe 404
    }

    test("a lookup is cleared with DELETE .../\$ref and bound to a missing record is a 404") {
        val contact = client.create("contacts", """{"lastname":"Ref"}""")
        val account = client.create("accounts", """{"name":"Linked","primarycontactid@odata.bind":"contacts($contact)"}""")
        client.delete("accounts($account)/primarycontactid/\$ref").status shouldBe 204
        client.get("accounts($account)").json["_primarycontactid_value"] shouldBe JsonNull
        val missing = UUID.randomUUID()
        val response = client.post("accounts", """{"name":"Broken","primarycontactid@odata.bind":"/contacts($missing)"}""")
        response.status shouldBe 404
        response.errorMessage shouldBe "contact With Id = $missing Does Not Exist"
    }

    test("binds accept absolute URLs and alternate-key URLs; customer lookups record their target table") {
        val parent = client.create("accounts", """{"name":"Parent","accountnumber":"P-1"}""")
        val child = client.create("accounts", """{"name":"Child","parentaccountid@odata.bind":"${emulator.apiUrl}/accounts(accountnumber='P-1')"}""")
        client.get("accounts($child)").json.text("_parentaccountid_value") shouldBe parent
        val contact = client.create("contacts", """{"firstname":"Grace","lastname":"Hopper","parentcustomerid_account@odata.bind":"/accounts($parent)"}""")
        val body = client.get("contacts($contact)", TestClient.allAnnotations).json
        body.text("_parentcustomerid_value") shouldBe parent
        body.text("_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname") shouldBe "account"
        body.text("_parentcustomerid_value@Microsoft.Dynamics.CRM.associatednavigationproperty") shouldBe "parentcustomerid_account"
        body.text("fullname") shouldBe "Grace Hopper"
    }

    test("collection-valued navigation properties expand to the referencing records") {
        val account = client.create("accounts", """{"name":"Employer"}""")
        client.create("contacts", """{"lastname":"One","parentcustomerid_account@odata.bind":"/accounts($account)"}""")
        client.create("contacts", """{"lastname":"Two","parentcustomerid_account@odata.bind":"/accounts($account)"}""")
        client.create("contacts", """{"lastname":"Elsewhere"}""")
        val body = client.get("accounts($account)?\$select=name&\$expand=contact_customer_accounts(\$select=lastname;\$orderby=lastname%20desc)").json
        body.array("contact_customer_accounts").map { it.jsonObject.text("lastname") } shouldContainExactly listOf("Two", "One")
    }

    test("payload validation: unknown column, too long, wrong type, bad choice, malformed JSON") {
        val unknown = client.post("accounts", """{"name":"X","nosuchcolumn":1}""")
        unknown.status shouldBe 400
        unknown.errorCode shouldBe "0x80060888"
        unknown.errorMessage shouldBe "Could not find a property named 'nosuchcolumn' on type 'Microsoft.Dynamics.CRM.account'."
        val tooLong = client.post("accounts", """{"name":"${"x".repeat(161)}"}""")
        tooLong.status shouldBe 400
        tooLong.errorCode shouldBe "0x80044331"
        tooLong.errorMessage shouldContain "maximum allowed length of '160'"
        val wrongType = client.post("accounts", """{"numberofemployees":"many"}""")
        wrongType.status shouldBe 400
        wrongType.errorCode shouldBe "0x80044331"
        client.post("accounts", """{"numberofemployees":3000000000}""").errorCode shouldBe "0x80044331"
        client.post("accounts", """{"creditonhold":"yes"}""").errorCode shouldBe "0x80044331"
        client.post("accounts", """{"industrycode":999}""").errorCode shouldBe "0x80044331"
        client.post("contacts", """{"birthdate":"yesterday"}""").errorCode shouldBe "0x80044331"
        val malformed = client.post("accounts", """{"name":""")
        malformed.status shouldBe 400
        malformed.errorCode shouldBe "0x80040203"
        client.post("accounts", """[1,2]""").errorCode shouldBe "0x80040203"
        emulator.recordCount("account") shouldBe 0
    }

    test("date-times are stored in UTC to the second and dates as dates") {
        val contact = client.create("contacts", """{"lastname":"Dates","birthdate":"1990-05-17"}""")
        client.get("contacts($contact)?\$select=birthdate").json.text("birthdate") shouldBe "1990-05-17"
        val response = client.post("contacts?\$select=birthdate", """{"lastname":"Dates2","birthdate":"1990-05-18T00:00:00Z"}""", TestClient.representation)
        response.json.text("birthdate") shouldBe "1990-05-18"
    }

    test("setting only the state moves the status to that state's default") {
        val id = client.create("accounts", """{"name":"Stateful"}""")
        client.patch("accounts($id)", """{"statecode":1}""", mapOf("If-Match" to "*")).status shouldBe 204
        val body = client.get("accounts($id)?\$select=statecode,statuscode").json
        body.text("statecode") shouldBe "1"
        body.text("statuscode") shouldBe "2"
    }

    test("an invalid key is a 400 with the service's message") {
        val response = client.get("accounts(name='Contoso')")
        response.status shouldBe 400
        response.errorCode shouldBe "0x80060888"
        response.errorMessage shouldContain "The key in the request URI is not valid for resource 'Microsoft.Dynamics.CRM.account'."
        client.get("accounts(12)").status shouldBe 400
    }

    test("an unknown \$select column is a 400") {
        val id = client.create("accounts", """{"name":"Selective"}""")
        val response = client.get("accounts($id)?\$select=name,bogus")
        response.status shouldBe 400
        response.errorMessage shouldBe "Could not find a property named 'bogus' on type 'Microsoft.Dynamics.CRM.account'."
    }

    test("Learn (Select columns, lookup property data): account and contact are user-owned; new records are owned by the caller") {
        val me = client.get("WhoAmI").json.text("UserId")
        val id = client.create("accounts", """{"name":"Owned"}""")
        val record = client.get("accounts($id)?\$select=_ownerid_value", TestClient.allAnnotations).json
        record.text("_ownerid_value") shouldBe me
        record.text("_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname") shouldBe "systemuser"
        record.text("_ownerid_value@Microsoft.Dynamics.CRM.associatednavigationproperty") shouldBe "ownerid"
        val contact = client.create("contacts", """{"lastname":"Owned"}""")
        client.get("contacts($contact)?\$select=_ownerid_value").json.text("_ownerid_value") shouldBe me
    }

    test("a single-valued navigation property reads the related record, and its \$ref the reference; 204 when it points nowhere") {
        val contact = client.create("contacts", """{"firstname":"Nav","lastname":"Target"}""")
        val account = client.create("accounts", """{"name":"Nav","primarycontactid@odata.bind":"/contacts($contact)"}""")
        val related = client.get("accounts($account)/primarycontactid?\$select=firstname")
        related.status shouldBe 200
        related.json.text("firstname") shouldBe "Nav"
        related.json.text("contactid") shouldBe contact
        related.json.text("@odata.context") shouldBe "${emulator.apiUrl}/\$metadata#contacts(firstname)/\$entity"
        val reference = client.get("accounts($account)/primarycontactid/\$ref")
        reference.status shouldBe 200
        reference.json.text("@odata.id") shouldBe "${emulator.apiUrl}/contacts($contact)"
        val empty = client.create("accounts", """{"name":"No contact"}""")
        client.get("accounts($empty)/primarycontactid").status shouldBe 204
        client.get("accounts($empty)/primarycontactid/\$ref").status shouldBe 204
        client.send(io.ktor.http.HttpMethod.Patch, "accounts($account)/primarycontactid", "{}").status shouldBe 405
    }
})
