package dev.dataverse.emulator

import io.kotest.core.spec.style.FunSpec
import io.kotest.datatest.withData
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import java.time.Instant

/** Every `$filter` form the client's typed Filter emits, plus the query functions other clients send, over HTTP. */
class FilterFormsSpec : FunSpec({
    val emulator = DataverseEmulator.start()
    val client = TestClient(emulator)
    afterSpec {
        client.close()
        emulator.close()
    }

    // One data set for the whole spec, which only reads it.
    lateinit var ada: String
    lateinit var alan: String
    lateinit var alpha: String
    lateinit var createdOn: String
    lateinit var afterCreation: String
    beforeSpec {
        ada = client.create("contacts", """{"firstname":"Ada","lastname":"Lovelace","birthdate":"1990-01-31"}""")
        alan = client.create("contacts", """{"firstname":"Alan","lastname":"Turing","birthdate":"1990-02-01"}""")
        alpha = client.create(
            "accounts",
            """{"name":"Alpha","numberofemployees":2,"revenue":0.01,"creditonhold":true,"primarycontactid@odata.bind":"/contacts($ada)"}""",
        )
        client.create("accounts", """{"name":"O'Neil","numberofemployees":3,"revenue":0,"creditonhold":false,"primarycontactid@odata.bind":"/contacts($alan)"}""")
        client.create("accounts", """{"name":"Gamma","numberofemployees":0,"revenue":1000000}""")
        client.create("contacts", """{"lastname":"Child B","firstname":"b","parentcustomerid_account@odata.bind":"/accounts($alpha)"}""")
        client.create("contacts", """{"lastname":"Child A","firstname":"a","parentcustomerid_account@odata.bind":"/accounts($alpha)"}""")
        client.create("contacts", """{"lastname":"Child X","firstname":"x","parentcustomerid_account@odata.bind":"/accounts($alpha)"}""")
        createdOn = client.get("accounts($alpha)?\$select=createdon").json.text("createdon")!!
        afterCreation = Instant.parse(createdOn).plusMillis(500).toString()
    }

    suspend fun names(filter: String): List<String?> {
        val response = client.get("accounts?\$select=name&\$orderby=name&\$filter=${TestClient.encode(filter)}")
        response.status shouldBe 200
        return response.names()
    }

    context("the forms the typed Filter emits") {
        withData(
            nameFn = { it.first },
            "string eq with a doubled quote" to ("name eq 'O''Neil'" to listOf("O'Neil")),
            "string ne" to ("name ne 'Alpha'" to listOf("Gamma", "O'Neil")),
            "int eq" to ("numberofemployees eq 3" to listOf("O'Neil")),
            "negative int" to ("numberofemployees gt -1" to listOf("Alpha", "Gamma", "O'Neil")),
            "int against a decimal literal" to ("numberofemployees le 2.5" to listOf("Alpha", "Gamma")),
            "plain small decimal" to ("revenue gt 0.0000001" to listOf("Alpha", "Gamma")),
            "decimal ge" to ("revenue ge 1000000" to listOf("Gamma")),
            "boolean true" to ("creditonhold eq true" to listOf("Alpha")),
            "boolean false" to ("creditonhold eq false" to listOf("Gamma", "O'Neil")),
            "null" to ("_primarycontactid_value eq null" to listOf("Gamma")),
            "not null" to ("_primarycontactid_value ne null" to listOf("Alpha", "O'Neil")),
            "bare GUID on a lookup" to ("_primarycontactid_value eq $ada" to listOf("Alpha")),
            "bare GUID ne, nulls skipped" to ("_primarycontactid_value ne $ada" to listOf("O'Neil")),
            "bare GUID on the primary key" to ("accountid eq $alpha" to listOf("Alpha")),
            "date-time with Z" to ("createdon eq $createdOn and name eq 'Alpha'" to listOf("Alpha")),
            "date-time with fractional seconds" to ("createdon eq $afterCreation" to emptyList()),
            "date-time lt with fractional seconds" to ("createdon lt $afterCreation and accountid eq $alpha" to listOf("Alpha")),
            "date-time in the past" to ("createdon gt 2000-01-02T03:04:05.500Z" to listOf("Alpha", "Gamma", "O'Neil")),
            "date-time against a date" to ("createdon ge 2000-01-01" to listOf("Alpha", "Gamma", "O'Neil")),
            "contains" to ("contains(name,'''')" to listOf("O'Neil")),
            "startswith" to ("startswith(name,'al')" to listOf("Alpha")),
            "endswith" to ("endswith(name,'MMA')" to listOf("Gamma")),
            "not" to ("not (startswith(name,'al'))" to listOf("Gamma", "O'Neil")),
            "not of a comparison skips nulls" to ("not (_primarycontactid_value eq $ada)" to listOf("O'Neil")),
            "and chain" to ("numberofemployees gt 0 and revenue lt 1 and creditonhold eq false" to listOf("O'Neil")),
            "or inside and" to ("(name eq 'Alpha' or name eq 'Gamma') and numberofemployees lt 1" to listOf("Gamma")),
            "and inside or" to ("name eq 'Alpha' or (name eq 'Gamma' and numberofemployees lt 1)" to listOf("Alpha", "Gamma")),
            "literal on the left" to ("1 lt numberofemployees" to listOf("Alpha", "O'Neil")),
            "In" to ("Microsoft.Dynamics.CRM.In(PropertyName='name',PropertyValues=['Alpha','gamma'])" to listOf("Alpha", "Gamma")),
            "In on an int, values as strings" to ("Microsoft.Dynamics.CRM.In(PropertyName='numberofemployees',PropertyValues=['2','0'])" to listOf("Alpha", "Gamma")),
            "In on a lookup" to ("Microsoft.Dynamics.CRM.In(PropertyName='_primarycontactid_value',PropertyValues=['$alan'])" to listOf("O'Neil")),
            "NotIn" to ("Microsoft.Dynamics.CRM.NotIn(PropertyName='name',PropertyValues=['Alpha'])" to listOf("Gamma", "O'Neil")),
            "Between" to ("Microsoft.Dynamics.CRM.Between(PropertyName='numberofemployees',PropertyValues=['2','3'])" to listOf("Alpha", "O'Neil")),
            "NotBetween" to ("Microsoft.Dynamics.CRM.NotBetween(PropertyName='numberofemployees',PropertyValues=['2','3'])" to listOf("Gamma")),
            "a query function combined" to ("Microsoft.Dynamics.CRM.In(PropertyName='name',PropertyValues=['Alpha','Gamma']) and not (creditonhold eq true)" to listOf("Gamma")),
        ) { (_, case) ->
            val (filter, expected) = case
            names(filter) shouldContainExactly expected
        }
    }

    test("dates on a date-only column") {
        suspend fun lastNames(filter: String) =
            client.get("contacts?\$select=lastname&\$orderby=lastname&\$filter=${TestClient.encode(filter)}").values.map { it.text("lastname") }
        lastNames("birthdate eq 1990-01-31") shouldContainExactly listOf("Lovelace")
        lastNames("birthdate ge 1990-01-31 and birthdate le 1990-02-01") shouldContainExactly listOf("Lovelace", "Turing")
        lastNames("birthdate lt 1990-02-01") shouldContainExactly listOf("Lovelace")
    }

    test("query functions are checked: unknown functions, wrong value counts and bad values are 400s") {
        suspend fun error(filter: String): String {
            val response = client.get("accounts?\$filter=${TestClient.encode(filter)}")
            response.status shouldBe 400
            return response.errorMessage
        }
        error("Microsoft.Dynamics.CRM.LastXDays(PropertyName='createdon',PropertyValue=3)") shouldContain "not supported"
        error("Microsoft.Dynamics.CRM.Between(PropertyName='numberofemployees',PropertyValues=['1'])") shouldContain "exactly 2"
        error("Microsoft.Dynamics.CRM.In(PropertyName='numberofemployees',PropertyValues=['many'])") shouldContain "'many'"
        error("Microsoft.Dynamics.CRM.In(PropertyName='bogus',PropertyValues=['1'])") shouldContain "'bogus'"
    }

    test("a collection-valued \$expand applies its nested \$filter with the full filter engine") {
        val expand = "contact_customer_accounts(\$select=lastname;\$filter=${TestClient.encode("Microsoft.Dynamics.CRM.In(PropertyName='firstname',PropertyValues=['a','b']) and not (endswith(lastname,'B'))")};\$orderby=lastname)"
        val body = client.get("accounts($alpha)?\$select=name&\$expand=$expand").json
        body.getValue("contact_customer_accounts").jsonArray.map { (it as JsonObject).text("lastname") } shouldContainExactly listOf("Child A")
    }

    test("\$expand works inside a \$batch GET") {
        val api = emulator.apiUrl
        val url = "$api/accounts($alpha)?\$select=name&\$expand=primarycontactid(\$select=fullname),contact_customer_accounts(\$select=lastname;\$filter=startswith(lastname,'Child%20X'))"
        val response = client.batch(BatchBuilder().request("GET", url).build(), "batch_test")
        response.status shouldBe 200
        val answer = BatchResponseReader.answers(response.headers["Content-Type"]!!, response.text).single()
        answer.status shouldBe 200
        val body = TestClient.element(answer.body).jsonObject
        body.getValue("primarycontactid").jsonObject.text("fullname") shouldBe "Ada Lovelace"
        body.getValue("contact_customer_accounts").jsonArray.map { (it as JsonObject).text("lastname") } shouldContainExactly listOf("Child X")
    }
})
