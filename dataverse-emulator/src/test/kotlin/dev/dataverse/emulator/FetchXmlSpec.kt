package dev.dataverse.emulator

import io.kotest.core.spec.style.FunSpec
import io.kotest.datatest.withData
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain

class FetchXmlSpec : FunSpec({
    val emulator = DataverseEmulator.start()
    val client = TestClient(emulator)
    // Upserts by account number need the key a user creates on a fresh org.
    beforeSpec { client.createAccountNumberKey() }
    afterSpec {
        client.close()
        emulator.close()
    }

    // One data set for the whole spec; the only test that adds records adds contacts no other test reads.
    lateinit var ada: String
    lateinit var alan: String
    beforeSpec {
        ada = client.create("contacts", """{"firstname":"Ada","lastname":"Lovelace","birthdate":"1990-01-31"}""")
        alan = client.create("contacts", """{"firstname":"Alan","lastname":"Turing"}""")
        client.create(
            "accounts",
            """{"name":"Alpha","numberofemployees":10,"revenue":100.5,"creditonhold":true,"industrycode":1,"accountnumber":"A-1","primarycontactid@odata.bind":"/contacts($alan)"}""",
        )
        client.create(
            "accounts",
            """{"name":"Beta","numberofemployees":20,"revenue":200,"creditonhold":false,"industrycode":2,"accountnumber":"B-2","primarycontactid@odata.bind":"/contacts($ada)"}""",
        )
        client.create("accounts", """{"name":"Gamma","numberofemployees":30,"industrycode":2}""")
        client.create("accounts", """{"name":"delta","revenue":400,"creditonhold":false,"accountnumber":"D-4"}""")
        client.create("accounts", """{"name":"Epsilon's","numberofemployees":50,"revenue":500,"creditonhold":true,"industrycode":1,"accountnumber":"E-5"}""")
    }

    suspend fun names(entityBody: String, fetchAttributes: String = ""): List<String?> {
        val response = client.fetchXml("accounts", "<fetch$fetchAttributes><entity name='account'><attribute name='name' />$entityBody</entity></fetch>")
        response.status shouldBe 200
        return response.names()
    }

    fun filter(condition: String) = "<filter>$condition</filter><order attribute='name' />"

    context("every condition operator, with SQL's treatment of empty columns") {
        withData(
            nameFn = { it.first },
            "eq (text, case-insensitive)" to ("<condition attribute='name' operator='eq' value='ALPHA' />" to listOf("Alpha")),
            "ne skips empty values" to ("<condition attribute='numberofemployees' operator='ne' value='20' />" to listOf("Alpha", "Epsilon's", "Gamma")),
            "neq" to ("<condition attribute='numberofemployees' operator='neq' value='20' />" to listOf("Alpha", "Epsilon's", "Gamma")),
            "gt" to ("<condition attribute='numberofemployees' operator='gt' value='20' />" to listOf("Epsilon's", "Gamma")),
            "ge" to ("<condition attribute='numberofemployees' operator='ge' value='20' />" to listOf("Beta", "Epsilon's", "Gamma")),
            "lt" to ("<condition attribute='numberofemployees' operator='lt' value='20' />" to listOf("Alpha")),
            "le" to ("<condition attribute='numberofemployees' operator='le' value='20' />" to listOf("Alpha", "Beta")),
            "like" to ("<condition attribute='name' operator='like' value='%a' />" to listOf("Alpha", "Beta", "delta", "Gamma")),
            "like with _ and a set" to ("<condition attribute='name' operator='like' value='[bd]_ta' />" to listOf("Beta")),
            "not-like" to ("<condition attribute='name' operator='not-like' value='%a' />" to listOf("Epsilon's")),
            "begins-with" to ("<condition attribute='name' operator='begins-with' value='DE' />" to listOf("delta")),
            "not-begin-with" to ("<condition attribute='name' operator='not-begin-with' value='a' />" to listOf("Beta", "delta", "Epsilon's", "Gamma")),
            "ends-with" to ("<condition attribute='name' operator='ends-with' value='ta' />" to listOf("Beta", "delta")),
            "not-end-with" to ("<condition attribute='name' operator='not-end-with' value='a' />" to listOf("Epsilon's")),
            "in" to ("<condition attribute='numberofemployees' operator='in'><value>10</value><value>30</value></condition>" to listOf("Alpha", "Gamma")),
            "not-in" to ("<condition attribute='numberofemployees' operator='not-in'><value>10</value><value>30</value></condition>" to listOf("Beta", "Epsilon's")),
            "between (decimal)" to ("<condition attribute='revenue' operator='between'><value>100</value><value>300</value></condition>" to listOf("Alpha", "Beta")),
            "not-between" to ("<condition attribute='revenue' operator='not-between'><value>100</value><value>300</value></condition>" to listOf("delta", "Epsilon's")),
            "null" to ("<condition attribute='revenue' operator='null' />" to listOf("Gamma")),
            "not-null" to ("<condition attribute='accountnumber' operator='not-null' />" to listOf("Alpha", "Beta", "delta", "Epsilon's")),
            "eq on a boolean with 1" to ("<condition attribute='creditonhold' operator='eq' value='1' />" to listOf("Alpha", "Epsilon's")),
            "eq on a choice" to ("<condition attribute='industrycode' operator='eq' value='2' />" to listOf("Beta", "Gamma")),
            "eq on a lookup, braced upper-case GUID" to ("<condition attribute='primarycontactid' operator='eq' value='{${ada.uppercase()}}' />" to listOf("Beta")),
            "eq on a quote" to ("<condition attribute='name' operator='eq' value=\"Epsilon's\" />" to listOf("Epsilon's")),
            "ge on a date-time" to ("<condition attribute='createdon' operator='ge' value='2000-01-01' />" to listOf("Alpha", "Beta", "delta", "Epsilon's", "Gamma")),
            "or filter with a nested and filter" to (
                "<filter type='or'><condition attribute='name' operator='eq' value='delta' /><filter><condition attribute='industrycode' operator='eq' value='1' />" +
                    "<condition attribute='revenue' operator='gt' value='200' /></filter></filter>" to listOf("delta", "Epsilon's")
                ),
        ) { (_, case) ->
            val (condition, expected) = case
            names(filter(condition)) shouldContainExactly expected
        }
    }

    test("inner link-entity: only accounts with a contact, the contact's columns as alias.name") {
        val response = client.fetchXml(
            "accounts",
            "<fetch><entity name='account'><attribute name='name' /><order attribute='name' />" +
                "<link-entity name='contact' from='contactid' to='primarycontactid' link-type='inner' alias='pc'><attribute name='fullname' /></link-entity>" +
                "</entity></fetch>",
        )
        response.values.map { it.text("name") to it.text("pc.fullname") } shouldContainExactly listOf("Alpha" to "Alan Turing", "Beta" to "Ada Lovelace")
    }

    test("outer link-entity keeps accounts without a contact, and omits the null column") {
        val response = client.fetchXml(
            "accounts",
            "<fetch><entity name='account'><attribute name='name' /><order attribute='name' />" +
                "<link-entity name='contact' from='contactid' to='primarycontactid' link-type='outer' alias='pc'><attribute name='lastname' /></link-entity>" +
                "</entity></fetch>",
        )
        response.values.map { it.text("name") to it.text("pc.lastname") } shouldContainExactly
            listOf("Alpha" to "Turing", "Beta" to "Lovelace", "delta" to null, "Epsilon's" to null, "Gamma" to null)
        response.values.last().containsKey("pc.lastname") shouldBe false
    }

    test("a filter inside a link-entity restricts the join; entityname conditions find accounts without a match") {
        val link = { type: String ->
            "<link-entity name='contact' from='contactid' to='primarycontactid' link-type='$type' alias='pc'><attribute name='lastname' />" +
                "<filter><condition attribute='lastname' operator='eq' value='Turing' /></filter></link-entity>"
        }
        names("<order attribute='name' />${link("inner")}") shouldContainExactly listOf("Alpha")
        val outer = client.fetchXml("accounts", "<fetch><entity name='account'><attribute name='name' /><order attribute='name' />${link("outer")}</entity></fetch>")
        outer.values.map { it.text("pc.lastname") } shouldContainExactly listOf("Turing", null, null, null, null)
        val withoutContact = "<order attribute='name' /><link-entity name='contact' from='contactid' to='primarycontactid' link-type='outer' alias='pc' />" +
            "<filter><condition entityname='pc' attribute='contactid' operator='null' /></filter>"
        names(withoutContact) shouldContainExactly listOf("delta", "Epsilon's", "Gamma")
    }

    test("a link-entity without alias gets the generated one; link-entity orders come after the entity's; lookups sort by name") {
        val response = client.fetchXml(
            "accounts",
            "<fetch><entity name='account'><attribute name='name' />" +
                "<link-entity name='contact' from='contactid' to='primarycontactid'><attribute name='firstname' /><order attribute='firstname' descending='true' /></link-entity>" +
                "</entity></fetch>",
        )
        response.values.map { it.text("contact1.firstname") } shouldContainExactly listOf("Alan", "Ada")
        names("<order attribute='primarycontactid' /><filter><condition attribute='primarycontactid' operator='not-null' /></filter>") shouldContainExactly
            listOf("Beta", "Alpha") // Ada Lovelace before Alan Turing, whatever the GUIDs
    }

    test("a one-to-many link returns one row per related record") {
        client.create("contacts", """{"lastname":"Child One","parentcustomerid_account@odata.bind":"/accounts(accountnumber='D-4')"}""")
        client.create("contacts", """{"lastname":"Child Two","parentcustomerid_account@odata.bind":"/accounts(accountnumber='D-4')"}""")
        val response = client.fetchXml(
            "accounts",
            "<fetch><entity name='account'><attribute name='name' /><link-entity name='contact' from='parentcustomerid' to='accountid' alias='c'>" +
                "<attribute name='lastname' /><order attribute='lastname' /></link-entity></entity></fetch>",
        )
        response.values.map { it.text("name") to it.text("c.lastname") } shouldContainExactly listOf("delta" to "Child One", "delta" to "Child Two")
    }

    test("aggregates: count, countcolumn, sum, avg, min and max grouped by a choice, ordered by an alias") {
        val response = client.fetchXml(
            "accounts",
            "<fetch aggregate='true'><entity name='account'>" +
                "<attribute name='industrycode' alias='industry' groupby='true' />" +
                "<attribute name='accountid' alias='rows' aggregate='count' />" +
                "<attribute name='numberofemployees' alias='counted' aggregate='countcolumn' />" +
                "<attribute name='revenue' alias='total' aggregate='sum' />" +
                "<attribute name='revenue' alias='average' aggregate='avg' />" +
                "<attribute name='numberofemployees' alias='smallest' aggregate='min' />" +
                "<attribute name='numberofemployees' alias='largest' aggregate='max' />" +
                "<order alias='total' descending='true' /></entity></fetch>",
            TestClient.allAnnotations,
        )
        response.status shouldBe 200
        val rows = response.values
        rows.map { it.text("industry") } shouldContainExactly listOf("1", null, "2") // totals 600.50, 400.00, 200.00
        rows[0].text("rows") shouldBe "2"
        rows[0].text("counted") shouldBe "2"
        rows[0].text("total") shouldBe "600.50"
        rows[0].text("average") shouldBe "300.25"
        rows[0].text("smallest") shouldBe "10"
        rows[0].text("largest") shouldBe "50"
        rows[0].text("industry@OData.Community.Display.V1.FormattedValue") shouldBe "Accounting"
        rows[0].text("total@OData.Community.Display.V1.FormattedValue") shouldBe "$600.50"
        rows[1].text("rows") shouldBe "1"
        rows[1].text("counted") shouldBe "0"
        rows[1].containsKey("smallest") shouldBe false
        rows[2].text("total") shouldBe "200.00"
        rows[2].text("average") shouldBe "200"
        rows[2].text("smallest") shouldBe "20"
    }

    test("an aggregate without groupby answers one row, even over no rows; countcolumn distinct counts values once") {
        val all = client.fetchXml(
            "accounts",
            "<fetch aggregate='true'><entity name='account'><attribute name='accountid' alias='n' aggregate='count' />" +
                "<attribute name='industrycode' alias='industries' aggregate='countcolumn' distinct='true' /></entity></fetch>",
        ).values
        all.map { it.text("n") to it.text("industries") } shouldContainExactly listOf("5" to "2")
        val none = client.fetchXml(
            "accounts",
            "<fetch aggregate='true'><entity name='account'><attribute name='accountid' alias='n' aggregate='count' />" +
                "<filter><condition attribute='name' operator='eq' value='nobody' /></filter></entity></fetch>",
        ).values
        none.map { it.text("n") } shouldContainExactly listOf("0")
    }

    test("records carry @odata.etag, formatted values and lookup annotations when all annotations are asked for") {
        val row = client.fetchXml(
            "accounts",
            "<fetch><entity name='account'><attribute name='revenue' /><attribute name='primarycontactid' />" +
                "<filter><condition attribute='name' operator='eq' value='Alpha' /></filter></entity></fetch>",
            TestClient.allAnnotations,
        ).values.single()
        row.text("@odata.etag")!!.startsWith("W/\"") shouldBe true
        row.text("revenue@OData.Community.Display.V1.FormattedValue") shouldBe "$100.50"
        row.text("_primarycontactid_value") shouldBe alan
        row.text("_primarycontactid_value@OData.Community.Display.V1.FormattedValue") shouldBe "Alan Turing"
        row.text("_primarycontactid_value@Microsoft.Dynamics.CRM.lookuplogicalname") shouldBe "contact"
        row.keys.filter { !it.contains('@') } shouldContainExactly listOf("revenue", "_primarycontactid_value", "accountid")
        val plain = client.fetchXml("accounts", "<fetch><entity name='account'><attribute name='revenue' /></entity></fetch>").values.first()
        plain.keys.none { it.contains("FormattedValue") } shouldBe true
    }

    test("without attribute elements, every non-null column is returned") {
        val row = client.fetchXml("accounts", "<fetch><entity name='account'><filter><condition attribute='name' operator='eq' value='Gamma' /></filter></entity></fetch>")
            .values.single()
        row.text("name") shouldBe "Gamma"
        row.text("numberofemployees") shouldBe "30"
        row.containsKey("revenue") shouldBe false
        row.containsKey("statecode") shouldBe true
    }

    context("bad FetchXML is a 400 that says what is wrong") {
        withData(
            nameFn = { it.first },
            "not XML" to ("<fetch><entity name='account'>" to "not well-formed"),
            "another root" to ("<query />" to "<fetch>"),
            "entity of another table" to ("<fetch><entity name='contact' /></fetch>" to "does not match the entity set 'accounts'"),
            "unknown attribute" to ("<fetch><entity name='account'><attribute name='bogus' /></entity></fetch>" to "Name = 'bogus'"),
            "unknown condition attribute" to (
                "<fetch><entity name='account'><filter><condition attribute='nope' operator='eq' value='1' /></filter></entity></fetch>" to "Name = 'nope'"
                ),
            "unsupported operator" to (
                "<fetch><entity name='account'><filter><condition attribute='createdon' operator='last-x-days' value='3' /></filter></entity></fetch>" to
                    "'last-x-days' (on 'createdon') is not supported"
                ),
            "unsupported element" to ("<fetch><entity name='account'><foo /></entity></fetch>" to "<foo>"),
            "unsupported attribute" to ("<fetch datasource='retained'><entity name='account' /></fetch>" to "'datasource'"),
            "value of the wrong type" to (
                "<fetch><entity name='account'><filter><condition attribute='numberofemployees' operator='eq' value='many' /></filter></entity></fetch>" to "not a valid Edm.Int32"
                ),
            "in without values" to ("<fetch><entity name='account'><filter><condition attribute='name' operator='in' /></filter></entity></fetch>" to "at least one value"),
            "count above 5000" to ("<fetch count='5001'><entity name='account' /></fetch>" to "cannot exceed 5000"),
            "top with paging" to ("<fetch top='5' page='2'><entity name='account' /></fetch>" to "top"),
            "unsupported link type" to ("<fetch><entity name='account'><link-entity name='contact' from='contactid' to='primarycontactid' link-type='exists' /></entity></fetch>" to "link-type 'exists'"),
            "unknown linked table" to ("<fetch><entity name='account'><link-entity name='nothing' from='x' to='y' /></entity></fetch>" to "'nothing'"),
            "aggregate without alias" to ("<fetch aggregate='true'><entity name='account'><attribute name='revenue' aggregate='sum' /></entity></fetch>" to "needs an alias"),
            "sum of text" to ("<fetch aggregate='true'><entity name='account'><attribute name='name' alias='s' aggregate='sum' /></entity></fetch>" to "cannot be applied"),
            "a DTD (no external entities)" to ("<!DOCTYPE fetch [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><fetch><entity name='account' /></fetch>" to "not well-formed"),
            "a garbled paging cookie" to ("<fetch count='2' page='2' paging-cookie='not xml'><entity name='account' /></fetch>" to "paging-cookie"),
        ) { (_, case) ->
            val (xml, message) = case
            val response = client.fetchXml("accounts", xml)
            response.status shouldBe 400
            response.errorMessage shouldContain message
        }
    }

    test("fetchXml cannot be combined with other query options") {
        val response = client.get("accounts?fetchXml=${TestClient.encode("<fetch><entity name='account' /></fetch>")}&\$select=name")
        response.status shouldBe 400
        response.errorMessage shouldContain "\$select"
        val single = client.get("contacts($ada)?fetchXml=${TestClient.encode("<fetch><entity name='contact' /></fetch>")}")
        single.status shouldBe 400
        single.errorMessage shouldContain "fetchXml"
    }
})
