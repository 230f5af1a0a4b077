package dev.dataverse.emulator

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainAll
import io.kotest.matchers.shouldBe

/**
 * What a client needs to bind lookups, served and enforced as Learn documents it:
 * - "Create a table row using the Web API", associate table rows on create: a lookup is set with
 *   `"<single-valued navigation property>@odata.bind"`; for the Customer lookup `parentcustomerid` of contact these are
 *   `parentcustomerid_account` and `parentcustomerid_contact`. Any other name (the column's logical name, another case)
 *   is not a property of the entity type: "Could not find a property named ...", as for any unknown property.
 * - "Query table definitions using the Web API" / "OneToManyRelationshipMetadata EntityType": a table's
 *   `ManyToOneRelationships` give `ReferencingAttribute`, `ReferencingEntityNavigationPropertyName` and
 *   `ReferencedEntity`, one relationship per target of a polymorphic lookup.
 */
class LookupBindingSpec : FunSpec({
    val emulator = DataverseEmulator.start()
    val client = TestClient(emulator)
    afterSpec {
        client.close()
        emulator.close()
    }
    beforeTest { emulator.reset() }

    test("ManyToOneRelationships of contact give each target of the Customer lookup its navigation property") {
        val relationships = client.get(
            "EntityDefinitions(LogicalName='contact')/ManyToOneRelationships" +
                "?\$select=ReferencingAttribute,ReferencingEntityNavigationPropertyName,ReferencedEntity",
        )
        relationships.status shouldBe 200
        relationships.values.map { Triple(it.text("ReferencingAttribute"), it.text("ReferencingEntityNavigationPropertyName"), it.text("ReferencedEntity")) } shouldContainAll
            listOf(Triple("parentcustomerid", "parentcustomerid_account", "account"), Triple("parentcustomerid", "parentcustomerid_contact", "contact"))
    }

    test("a lookup bound under its column's logical name or in another case is an unknown property: 400") {
        val account = client.create("accounts", """{"name":"Parent"}""")
        val byColumn = client.post("contacts", """{"lastname":"Doe","parentcustomerid@odata.bind":"/accounts($account)"}""")
        byColumn.status shouldBe 400
        byColumn.errorMessage shouldBe "Could not find a property named 'parentcustomerid' on type 'Microsoft.Dynamics.CRM.contact'."
        val otherCase = client.post("contacts", """{"lastname":"Doe","ParentCustomerId_Account@odata.bind":"/accounts($account)"}""")
        otherCase.status shouldBe 400
        otherCase.errorMessage shouldBe "Could not find a property named 'ParentCustomerId_Account' on type 'Microsoft.Dynamics.CRM.contact'."
        emulator.recordCount("contact") shouldBe 0

        client.post("contacts", """{"lastname":"Doe","parentcustomerid_account@odata.bind":"/accounts($account)"}""").status shouldBe 204
        emulator.recordCount("contact") shouldBe 1
    }
})
