package dev.dataverse.emulator

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactlyInAnyOrder
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldEndWith
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject

/**
 * Nested `$expand`, as Learn "Join tables using OData"
 * (https://learn.microsoft.com/en-us/power-apps/developer/data-platform/webapi/query/join-tables) documents it:
 * single-valued navigation properties expand to several levels by nesting `$expand` in `$expand` (section "Nested
 * expand of single-valued navigation properties"); with a nested `$expand` anywhere in the query, expanded collections
 * take neither `$top` nor `$orderby` and N:N relationships cannot be expanded, each refused with the error JSON the page
 * shows (`0x80060888`); and "You can include up to 15 `$expand` options in a query."
 */
class NestedExpandSpec : FunSpec({
    val emulator = DataverseEmulator.start()
    val client = TestClient(emulator)
    afterSpec {
        client.close()
        emulator.close()
    }
    beforeSpec {
        client.post("EntityDefinitions", tableMetadata("new_Project")).status shouldBe 204
        client.post(
            "RelationshipDefinitions",
            """{"@odata.type":"Microsoft.Dynamics.CRM.ManyToManyRelationshipMetadata","SchemaName":"new_project_contact",
               "Entity1LogicalName":"new_project","Entity2LogicalName":"contact","IntersectEntityName":"new_project_contact"}""",
        ).status shouldBe 204
    }
    beforeTest { emulator.reset() }

    fun JsonObject.obj(name: String): JsonObject = getValue(name).jsonObject

    /** An account whose primary contact belongs to another account, as in the page's examples. */
    suspend fun seed(): Triple<String, String, String> {
        val parent = client.create("accounts", """{"name":"Litware, Inc."}""")
        val contact = client.create("contacts", """{"lastname":"Stubberod","parentcustomerid_account@odata.bind":"/accounts($parent)"}""")
        val account = client.create("accounts", """{"name":"Adventure Works","primarycontactid@odata.bind":"/contacts($contact)"}""")
        return Triple(account, contact, parent)
    }

    val notWithNested =
        "Only \$select and \$filter clause can be provided while doing \$expand on many-to-one relationship or nested one-to-many relationship."

    test("join-tables: a single-valued navigation property expanded inside another returns the nested record") {
        val (account, contact, parent) = seed()
        val response = client.get(
            "accounts($account)?\$select=name&\$expand=primarycontactid(\$select=fullname;\$expand=parentcustomerid_account(\$select=name))",
        )
        response.status shouldBe 200
        val primary = response.json.obj("primarycontactid")
        primary.text("contactid") shouldBe contact
        val nested = primary.obj("parentcustomerid_account")
        nested.text("name") shouldBe "Litware, Inc."
        nested.text("accountid") shouldBe parent
        nested.keys.filterNot { it.startsWith("@") } shouldContainExactlyInAnyOrder listOf("name", "accountid")
        response.json.text("@odata.context")!! shouldEndWith "#accounts(name,primarycontactid(fullname,parentcustomerid_account(name)))/\$entity"
    }

    test("join-tables: the same nested expand on a collection, three levels deep, with null where a lookup is empty") {
        val (account, _, _) = seed()
        val path = "accounts?\$select=name&\$expand=primarycontactid(\$select=fullname;" +
            "\$expand=parentcustomerid_account(\$select=name;\$expand=primarycontactid(\$select=fullname)))"
        val response = client.get(path)
        response.status shouldBe 200
        val rows = response.values.associateBy { it.text("accountid") }
        rows.keys shouldHaveSize 2
        val litware = rows.getValue(account).obj("primarycontactid").obj("parentcustomerid_account")
        litware.text("name") shouldBe "Litware, Inc."
        litware["primarycontactid"] shouldBe JsonNull
        response.json.text("@odata.context")!! shouldEndWith
            "#accounts(name,primarycontactid(fullname,parentcustomerid_account(name,primarycontactid(fullname))))"
    }

    test("join-tables: a nested single-valued expand inside an expanded collection is returned for each related record") {
        val (_, contact, parent) = seed()
        val body = client.get(
            "accounts($parent)?\$select=name&\$expand=contact_customer_accounts(\$select=lastname;\$expand=parentcustomerid_account(\$select=name))",
        ).json
        val related = body.getValue("contact_customer_accounts").jsonArray.map { it.jsonObject }
        related.map { it.text("contactid") } shouldBe listOf(contact)
        related.single().obj("parentcustomerid_account").text("accountid") shouldBe parent
    }

    test("join-tables: with a nested \$expand in the query, \$top or \$orderby on an expanded collection is refused with the page's error") {
        val (_, _, parent) = seed()
        val nested = "parentcustomerid_account(\$select=name)"
        // Without a nested $expand both are fine.
        client.get("accounts($parent)?\$expand=contact_customer_accounts(\$select=lastname;\$top=1;\$orderby=lastname)").status shouldBe 200
        for (limit in listOf("\$top=1", "\$orderby=lastname")) {
            val refused = client.get("accounts($parent)?\$expand=contact_customer_accounts(\$select=lastname;$limit;\$expand=$nested)")
            refused.status shouldBe 400
            refused.errorCode shouldBe "0x80060888"
            refused.errorMessage shouldBe notWithNested
            // Anywhere in the query: the nested $expand sits on a sibling.
            val sibling = client.get("accounts($parent)?\$expand=contact_customer_accounts(\$select=lastname;$limit),primarycontactid(\$expand=$nested)")
            sibling.status shouldBe 400
            sibling.errorMessage shouldBe notWithNested
        }
    }

    test("join-tables: an N:N relationship cannot be expanded in a query with a nested \$expand, with the page's error") {
        val project = client.create("new_projects", """{"new_name":"Apollo"}""")
        client.get("new_projects($project)?\$expand=new_project_contact(\$select=fullname)").status shouldBe 200
        val refused = client.get("new_projects($project)?\$expand=new_project_contact(\$select=fullname;\$expand=parentcustomerid_account)")
        refused.status shouldBe 400
        refused.errorCode shouldBe "0x80060888"
        refused.errorMessage shouldBe
            "The navigation property 'new_project_contact' cannot be expanded. Only many-to-one relationships are supported for nested expansion."
    }

    test("join-tables: up to 15 \$expand options in a query are served, a 16th is refused, however deep they nest") {
        val (account, _, _) = seed()
        // A chain alternating account -> primary contact -> its account, one $expand option per level.
        fun chain(levels: Int): String {
            val names = (0 until levels).map { if (it % 2 == 0) "primarycontactid" else "parentcustomerid_account" }
            return names.reversed().fold("") { inner, name -> if (inner.isEmpty()) name else "$name(\$expand=$inner)" }
        }
        client.get("accounts($account)?\$select=name&\$expand=${chain(15)}").status shouldBe 200
        val sixteen = client.get("accounts($account)?\$select=name&\$expand=${chain(15)},parentaccountid")
        sixteen.status shouldBe 400
        sixteen.errorCode shouldBe "0x80060888"
        sixteen.errorMessage shouldContain "up to 15"
        val deep = client.get("accounts($account)?\$expand=${chain(16)}")
        deep.status shouldBe 400
        deep.errorMessage shouldContain "up to 15"
        // Thousands of levels are refused by the same count, long before they could exhaust the parser's stack.
        val hostile = client.get("accounts($account)?\$expand=${chain(800)}")
        hostile.status shouldBe 400
        hostile.errorMessage shouldContain "up to 15"
    }
})
