package dev.dataverse.emulator

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldNotContain
import io.kotest.matchers.shouldBe

class AnnotationsSpec : FunSpec({
    val emulator = DataverseEmulator.start()
    val client = TestClient(emulator)
    afterSpec {
        client.close()
        emulator.close()
    }

    val formatted = "@OData.Community.Display.V1.FormattedValue"

    test("formatted values for choices, booleans, money, integers, dates and lookups with all annotations") {
        val contact = client.create("contacts", """{"firstname":"Ada","lastname":"Lovelace","birthdate":"1815-12-10"}""")
        val account = client.create(
            "accounts",
            """{"name":"Formats","industrycode":1,"creditonhold":true,"revenue":1234.5,"numberofemployees":1234,
               "primarycontactid@odata.bind":"/contacts($contact)"}""",
        )
        val response = client.get("accounts($account)", TestClient.allAnnotations)
        response.headers["Preference-Applied"] shouldBe "odata.include-annotations=\"*\""
        val body = response.json
        body.text("industrycode$formatted") shouldBe "Accounting"
        body.text("creditonhold$formatted") shouldBe "Yes"
        body.text("revenue$formatted") shouldBe "$1,234.50"
        body.text("numberofemployees$formatted") shouldBe "1,234"
        body.text("statecode$formatted") shouldBe "Active"
        body.text("statuscode$formatted") shouldBe "Active"
        body.text("createdon$formatted")!!.matches(Regex("\\d{1,2}/\\d{1,2}/\\d{4} \\d{1,2}:\\d{2} (AM|PM)")) shouldBe true
        body.text("_primarycontactid_value$formatted") shouldBe "Ada Lovelace"
        body.text("_primarycontactid_value@Microsoft.Dynamics.CRM.lookuplogicalname") shouldBe "contact"
        body.text("_primarycontactid_value@Microsoft.Dynamics.CRM.associatednavigationproperty") shouldBe "primarycontactid"
        val keys = body.keys.toList()
        keys.indexOf("industrycode$formatted") shouldBe keys.indexOf("industrycode") - 1
        client.get("contacts($contact)?\$select=birthdate", TestClient.allAnnotations).json.text("birthdate$formatted") shouldBe "12/10/1815"
    }

    test("no annotations without the preference; only the named ones with a list") {
        val account = client.create("accounts", """{"name":"Plain","industrycode":2}""")
        val plain = client.get("accounts($account)")
        plain.json.keys.filter { it.contains('@') && it != "@odata.context" && it != "@odata.etag" } shouldBe emptyList()
        plain.headers["Preference-Applied"] shouldBe null
        val named = client.get(
            "accounts($account)?\$select=industrycode",
            mapOf("Prefer" to "odata.include-annotations=\"OData.Community.Display.V1.FormattedValue\""),
        ).json
        named.text("industrycode$formatted") shouldBe "Agriculture and Non-petrol Natural Resource Extraction"
        val lookupsOnly = client.get(
            "accounts($account)?\$select=industrycode",
            mapOf("Prefer" to "odata.include-annotations=\"Microsoft.Dynamics.CRM.*\""),
        ).json
        lookupsOnly.keys shouldNotContain "industrycode$formatted"
    }

    test("annotations also appear in collections and combine with other preferences") {
        client.create("accounts", """{"name":"InList","creditonhold":false}""")
        val response = client.get(
            "accounts?\$select=creditonhold&\$filter=name%20eq%20'InList'",
            mapOf("Prefer" to "odata.maxpagesize=10,odata.include-annotations=\"*\""),
        )
        response.values.single().text("creditonhold$formatted") shouldBe "No"
        response.headers["Preference-Applied"] shouldBe "odata.maxpagesize=10,odata.include-annotations=\"*\""
    }
})
