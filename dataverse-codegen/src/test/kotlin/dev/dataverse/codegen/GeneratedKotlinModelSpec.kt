package dev.dataverse.codegen

import dev.dataverse.DataverseClient
import dev.dataverse.EntityReference
import dev.dataverse.Filter
import dev.dataverse.InvalidInputException
import dev.dataverse.ListOptions
import dev.dataverse.NotFoundException
import dev.dataverse.RecordKey
import dev.dataverse.RetrieveOptions
import dev.dataverse.ColumnSpec
import dev.dataverse.codegen.it.kotlin.Account
import dev.dataverse.codegen.it.kotlin.DataverseModels
import dev.dataverse.schema.SchemaDriftException
import dev.dataverse.schema.SchemaDriftKind
import dev.dataverse.schema.SchemaSnapshot
import java.nio.file.Path
import dev.dataverse.codegen.it.kotlin.AccountId
import dev.dataverse.codegen.it.kotlin.AccountIndustryCode
import dev.dataverse.codegen.it.kotlin.AccountState
import dev.dataverse.codegen.it.kotlin.Contact
import dev.dataverse.codegen.it.kotlin.ContactId
import dev.dataverse.codegen.it.kotlin.NewColors
import dev.dataverse.codegen.it.kotlin.NewProject
import dev.dataverse.codegen.it.kotlin.NewProjectId
import dev.dataverse.codegen.it.kotlin.NewProjectNewPhase
import dev.dataverse.codegen.it.kotlin.eq
import dev.dataverse.codegen.it.kotlin.get
import dev.dataverse.emulator.DataverseEmulator
import dev.dataverse.emulator.EmulatorOptions
import dev.dataverse.model.WriteOperation
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.collections.shouldContainExactlyInAnyOrder
import io.kotest.matchers.nulls.shouldNotBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlinx.coroutines.flow.toList
import java.math.BigDecimal
import java.time.LocalDate
import java.util.UUID

/**
 * The Kotlin sources generated from src/test/resources/test-snapshot.json (by this module's command line, in the
 * build), compiled and run against the emulator: typed CRUD, filters, lookups, choices, read-only and create-only columns.
 */
class GeneratedKotlinModelSpec : FunSpec({
    lateinit var emulator: DataverseEmulator
    lateinit var client: DataverseClient

    beforeSpec {
        // Seeded with the snapshot the models were generated from, as a user's tests would be.
        emulator = DataverseEmulator.start(EmulatorOptions(schema = SNAPSHOT))
        client = DataverseClient {
            environmentUrl(emulator.baseUrl)
            token("test-token")
        }
    }
    afterSpec {
        client.close()
        emulator.close()
    }

    test("column constants build the same filters as the string forms") {
        (Account.NAME startsWith "Con") shouldBe Filter.startsWith("name", "Con")
        (Account.STATECODE eq AccountState.ACTIVE) shouldBe Filter.eq("statecode", 0)
        val id = UUID.randomUUID()
        (Account.PRIMARYCONTACTID eq ContactId(id)) shouldBe Filter.eq("_primarycontactid_value", id)
        Account.MODEL shouldBe Account
        Account.columns shouldContainExactly listOf(
            "accountid", "accountnumber", "createdon", "creditonhold", "industrycode", "name", "numberofemployees", "_ownerid_value",
            "_primarycontactid_value", "revenue", "statecode", "statuscode",
        )
    }

    test("create, get, update, list and delete through the generated model") {
        val accounts = client.records.typed(Account)
        val contacts = client.records.typed(Contact)
        val contactId = contacts.create(Contact(firstName = "Ada", lastName = "Lovelace", birthDate = LocalDate.of(1815, 12, 10)))
        val id = accounts.create(
            Account(
                name = "Contoso typed", revenue = BigDecimal("1000.50"), numberOfEmployees = 12, creditOnHold = false,
                industryCode = AccountIndustryCode.CONSULTING, primaryContactId = ContactId(contactId),
            ),
        )

        val read = accounts.get(AccountId(id))
        read.accountId shouldBe AccountId(id)
        read.name shouldBe "Contoso typed"
        read.revenue!!.compareTo(BigDecimal("1000.50")) shouldBe 0
        read.industryCode shouldBe AccountIndustryCode.CONSULTING
        read.primaryContactId shouldBe ContactId(contactId)
        read.stateCode shouldBe AccountState.ACTIVE
        read.createdOn.shouldNotBeNull() // read-only, filled by the service

        accounts.update(read.copy(name = "Contoso renamed", numberOfEmployees = null), clear = listOf(Account.ACCOUNTNUMBER))
        val updated = accounts.get(id)
        updated.name shouldBe "Contoso renamed"
        updated.numberOfEmployees shouldBe 12 // unset properties are not written

        val listed = accounts.list((Account.NAME startsWith "Contoso ren") and (Account.PRIMARYCONTACTID eq ContactId(contactId))).toList()
        listed.map { it.accountId } shouldContainExactly listOf(AccountId(id))

        contacts.get(contactId).fullName shouldBe "Ada Lovelace"
        contacts.get(contactId).birthDate shouldBe LocalDate.of(1815, 12, 10)
        accounts.delete(id)
        shouldThrow<NotFoundException> { accounts.get(id) }
    }

    test("a polymorphic lookup binds through the navigation property of the referenced table and reads back its table") {
        val accountId = client.records.typed(Account).create(Account(name = "Parent"))
        val contacts = client.records.typed(Contact)
        val id = contacts.create(Contact(lastName = "Child", parentCustomerId = EntityReference("account", accountId)))
        contacts.get(id).parentCustomerId shouldBe EntityReference("account", accountId)
        Contact.toValues(Contact(parentCustomerId = EntityReference("contact", id)), WriteOperation.CREATE).keys shouldContainExactly
            listOf("parentcustomerid_contact")
        shouldThrow<InvalidInputException> { contacts.create(Contact(parentCustomerId = EntityReference("systemuser", id))) }
            .message shouldContain "cannot point to table 'systemuser'"
    }

    test("a custom table: multi-select choices, a custom lookup, create-only and file columns") {
        val accountId = client.records.typed(Account).create(Account(name = "Sponsor"))
        val projects = client.records.typed(NewProject)
        val id = projects.create(
            NewProject(
                newName = "Apollo", newClass = "A", newColors = setOf(NewColors.RED_100000001, NewColors._2ND_CHOICE),
                newPhase = NewProjectNewPhase.IN_PROGRESS, newAccountId = AccountId(accountId), newBudget = BigDecimal("12.50"),
                newDue = LocalDate.of(2030, 1, 2), newCount = 3,
            ),
        )
        val read = projects.get(NewProjectId(id))
        read.newColors shouldBe setOf(NewColors.RED_100000001, NewColors._2ND_CHOICE)
        read.newPhase shouldBe NewProjectNewPhase.IN_PROGRESS
        read.newAccountId shouldBe AccountId(accountId)
        read.newDue shouldBe LocalDate.of(2030, 1, 2)
        read.newCount shouldBe 3

        NewProject.toValues(read.copy(newCount = 9), WriteOperation.UPDATE).containsKey("new_count") shouldBe false
        projects.update(read.copy(newCount = 9, newClass = "B"))
        projects.get(id).newCount shouldBe 3
        projects.get(id).newClass shouldBe "B"
        NewProject.NEW_DOCUMENT.logicalName shouldBe "new_document"
        NewProject.columns.contains("new_document") shouldBe false
    }

    test("bulk and upsert run the untyped operations; an instance without an id is refused before anything is sent") {
        val accounts = client.records.typed(Account)
        val created = accounts.createMany(listOf(Account(name = "Bulk 1"), Account(name = "Bulk 2")))
        val ids = created.ids.map { it!! }
        accounts.updateMany(ids.map { Account(accountId = AccountId(it), numberOfEmployees = 7) })
        ids.map { accounts.get(it).numberOfEmployees } shouldBe listOf(7, 7)

        val chosen = UUID.randomUUID()
        accounts.upsert(Account(accountId = AccountId(chosen), name = "Upserted")) shouldBe chosen
        accounts.get(RecordKey.id(chosen)).name shouldBe "Upserted"

        val e = shouldThrow<InvalidInputException> { accounts.updateMany(listOf(Account(accountId = AccountId(chosen)), Account(name = "no id"))) }
        e.message shouldContain "position 1"
        shouldThrow<InvalidInputException> { accounts.update(Account(name = "no id")) }.message shouldContain "no 'accountid'"
        accounts.list(Account.NAME startsWith "Bulk", ListOptions(orderBy = listOf("name"))).toList().map { it.name } shouldContainExactlyInAnyOrder
            listOf("Bulk 1", "Bulk 2")
        client.records.get("account", chosen, RetrieveOptions(select = listOf("name"))).getString("name") shouldBe "Upserted"
    }

    test("DataverseModels embeds the snapshot the models were generated from") {
        DataverseModels.snapshot shouldBe SchemaSnapshot.read(SNAPSHOT)
        DataverseModels.snapshot.source shouldBe "dataverse-codegen tests"
        DataverseModels.TABLES shouldContainExactly listOf("account", "contact", "new_project")
        DataverseModels.CUSTOM_APIS shouldBe listOf("new_Archive", "new_CountAccounts", "new_FindNames", "new_ScoreLead", "new_Touch")
    }

    test("DataverseModels.verify passes on an emulator seeded with the snapshot and names the drift after a column changes") {
        DataverseEmulator.start(EmulatorOptions(schema = SNAPSHOT)).use { drifting ->
            DataverseClient { environmentUrl(drifting.baseUrl); token("test-token") }.use { other ->
                DataverseModels.verify(other)
                DataverseModels.check(other).isEmpty shouldBe true
                // new_count becomes a text column, new_due disappears: what the models rely on no longer holds.
                other.tables.removeColumn("new_project", "new_count")
                other.tables.addColumn("new_project", ColumnSpec.string("new_Count", "Count"))
                other.tables.removeColumn("new_project", "new_due")
                val report = DataverseModels.check(other)
                report.differences.map { Triple(it.kind, it.table, it.member) } shouldContainExactlyInAnyOrder listOf(
                    Triple(SchemaDriftKind.COLUMN_TYPE_CHANGED, "new_project", "new_count"),
                    Triple(SchemaDriftKind.COLUMN_MISSING, "new_project", "new_due"),
                )
                val thrown = shouldThrow<SchemaDriftException> { DataverseModels.verify(other) }
                thrown.report shouldBe report
                thrown.message shouldContain "new_project.new_count"
            }
        }
    }

    test("new_project created through the schema API matches the snapshot the models were generated from") {
        DataverseEmulator.start(EmulatorOptions()).use { fresh ->
            DataverseClient { environmentUrl(fresh.baseUrl); token("test-token") }.use { other ->
                ProjectTable.ensure(other)
                DataverseModels.check(other).differences.filter { it.table == "new_project" } shouldBe emptyList()
                val projects = other.records.typed(NewProject)
                val id = projects.create(NewProject(newName = "Through the schema API", newPhase = NewProjectNewPhase.IN_PROGRESS, newCount = 2))
                val read = projects.get(NewProjectId(id))
                read.newPhase shouldBe NewProjectNewPhase.IN_PROGRESS
                read.newCount shouldBe 2
            }
        }
    }
})

private val SNAPSHOT: Path = Path.of("src/test/resources/test-snapshot.json")

