package dev.dataverse.integration

import dev.dataverse.EntityReference
import dev.dataverse.Expand
import dev.dataverse.Filter
import dev.dataverse.ListOptions
import dev.dataverse.ManyToManySpec
import dev.dataverse.RetrieveOptions
import dev.dataverse.TableSpec
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactlyInAnyOrder
import io.kotest.matchers.nulls.shouldNotBeNull
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.flow.toList

/**
 * Records nested in an `$expand` know their table and id. Learn ("Join tables using OData") shows an expanded
 * single-valued property (`primarycontactid($select=fullname)`) and a collection (`Account_Tasks($select=subject)`) whose
 * nested objects carry their own primary key (`contactid`, `activityid`) next to the selected columns; the table is the
 * navigation property's target in the relationship definitions ("Query table definitions using the Web API":
 * `ReferencedEntity`, `ReferencingEntity`, `Entity1LogicalName`/`Entity2LogicalName`).
 */
class ExpandedRecordsIntegrationSpec : FunSpec({
    val fixture = EmulatorFixture()
    extension(fixture)
    fun records() = fixture.records

    test("single-valued and one-to-many expands: nested records know their table and id, listing and reading one") {
        val grace = records().create("contact", mapOf("firstname" to "Grace", "lastname" to "Hopper"))
        val account = records().create("account", mapOf("name" to "Expand Navy", "primarycontactid" to EntityReference("contact", grace)))
        val members = (1..3).map { records().create("contact", mapOf("lastname" to "Member $it", "parentcustomerid_account" to EntityReference("account", account))) }
        val options = ListOptions(
            select = listOf("name"),
            filter = Filter.eq("name", "Expand Navy"),
            expand = listOf(Expand("primarycontactid", select = listOf("fullname")), Expand("contact_customer_accounts", select = listOf("lastname"))),
        )

        val listed = records().list("account", options).toList().single()
        val primary = listed.getExpanded("primarycontactid").shouldNotBeNull()
        primary.table shouldBe "contact"
        primary.primaryIdColumn shouldBe "contactid"
        primary.id shouldBe grace
        val nested = listed.getExpandedList("contact_customer_accounts")
        nested.map { it.table }.toSet() shouldBe setOf("contact")
        nested.map { it.id } shouldContainExactlyInAnyOrder members

        val read = records().get("account", account, RetrieveOptions(select = listOf("name"), expand = listOf(Expand.raw("primarycontactid(\$select=fullname)"))))
        read.getExpanded("primarycontactid").shouldNotBeNull().id shouldBe grace
    }

    test("the relationship metadata is read once per table: a second expanded listing costs one request") {
        val options = ListOptions(select = listOf("name"), expand = listOf(Expand("primarycontactid", select = listOf("fullname"))), top = 1)
        records().list("account", options).toList()
        fixture.requestsDuring { records().list("account", options).toList() } shouldBe 1
    }

    test("many-to-many expands from either side know the other table") {
        fixture.client.tables.create(TableSpec("new_Project", "Project"))
        fixture.client.tables.createRelationship(ManyToManySpec("new_project_account", "new_project", "account"))
        val project = records().create("new_project", mapOf("new_name" to "Apollo"))
        val account = records().create("account", mapOf("name" to "Fabrikam"))
        records().associate("new_project", project, "new_project_account", EntityReference("account", account))

        val fromProject = records().get("new_project", project, RetrieveOptions(expand = listOf(Expand("new_project_account", select = listOf("name")))))
            .getExpandedList("new_project_account").single()
        fromProject.table shouldBe "account"
        fromProject.id shouldBe account
        val fromAccount = records().get("account", account, RetrieveOptions(expand = listOf(Expand("new_project_account"))))
            .getExpandedList("new_project_account").single()
        fromAccount.table shouldBe "new_project"
        fromAccount.id shouldBe project
    }
})
