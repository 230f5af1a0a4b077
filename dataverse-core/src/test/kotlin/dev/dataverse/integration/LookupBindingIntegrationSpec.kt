package dev.dataverse.integration

import dev.dataverse.BulkOptions
import dev.dataverse.EntityReference
import dev.dataverse.InvalidInputException
import dev.dataverse.OneToManySpec
import dev.dataverse.RecordChange
import dev.dataverse.RecordKey
import dev.dataverse.RetrieveOptions
import dev.dataverse.TableSpec
import dev.dataverse.batch
import dev.dataverse.changeSet
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContain
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldNotContain
import java.util.UUID

/**
 * Lookups written under the column's logical name, as `columns()` lists it, reach the service under the exact
 * single-valued navigation property it requires (Learn: "Create a table row using the Web API", associate table rows on
 * create with `<navigation property>@odata.bind`; "Update and delete table rows using the Web API"; navigation property
 * names from the table's ManyToOneRelationships, "Web API EntityType" navigation properties). The emulator refuses any
 * other name with "Could not find a property named ..." (see the emulator's LookupBindingSpec), so every write below
 * would fail if the client sent the key as given.
 */
class LookupBindingIntegrationSpec : FunSpec({
    val fixture = EmulatorFixture()
    extension(fixture)

    suspend fun parentOf(contact: UUID): UUID? = fixture.records.get("contact", contact).getUuid("_parentcustomerid_value")

    test("the Customer lookup under its logical name binds the navigation property of the reference's table") {
        val account = fixture.records.create("account", mapOf("name" to "Parent account"))
        val person = fixture.records.create("contact", mapOf("lastname" to "Parent contact"))

        val toAccount = fixture.records.create("contact", mapOf("lastname" to "Doe", "parentcustomerid" to EntityReference("account", account)))
        val toContact = fixture.records.create("contact", mapOf("lastname" to "Roe", "ParentCustomerId" to EntityReference("contact", person)))

        parentOf(toAccount) shouldBe account
        parentOf(toContact) shouldBe person
        val expanded = fixture.records.get("contact", toContact, RetrieveOptions(expand = listOf(dev.dataverse.Expand.raw("parentcustomerid_contact(\$select=lastname)"))))
        expanded.getExpanded("parentcustomerid_contact")!!.getString("lastname") shouldBe "Parent contact"
    }

    test("update, upsert and their AndGet/WithResponse forms map the key too") {
        val first = fixture.records.create("account", mapOf("name" to "First"))
        val second = fixture.records.create("account", mapOf("name" to "Second"))
        val person = fixture.records.create("contact", mapOf("lastname" to "Mover"))

        fixture.records.update("contact", person, mapOf("parentcustomerid" to EntityReference("account", first)))
        parentOf(person) shouldBe first
        fixture.records.updateAndGet("contact", RecordKey.id(person), mapOf("PARENTCUSTOMERID" to EntityReference("account", second)))
            .getUuid("_parentcustomerid_value") shouldBe second
        fixture.records.updateWithResponse("contact", RecordKey.id(person), mapOf("parentcustomerid_account" to EntityReference("account", first))).statusCode shouldBe 200
        parentOf(person) shouldBe first

        val upserted = UUID.randomUUID()
        fixture.records.upsert("contact", upserted, mapOf("lastname" to "Upserted", "parentcustomerid" to EntityReference("account", second)))
        parentOf(upserted) shouldBe second
        fixture.records.upsertWithResponse("contact", RecordKey.id(upserted), mapOf("parentcustomerid" to EntityReference("contact", person))).statusCode shouldBe 200
        parentOf(upserted) shouldBe person
        fixture.records.upsertAndGet("contact", RecordKey.id(UUID.randomUUID()), mapOf("lastname" to "New", "parentcustomerid" to EntityReference("account", first)))
            .getUuid("_parentcustomerid_value") shouldBe first
        fixture.records.createWithResponse("contact", mapOf("lastname" to "R", "parentcustomerid" to EntityReference("account", first))).statusCode shouldBe 201
        fixture.records.createAndGet("contact", mapOf("lastname" to "G", "parentcustomerid" to EntityReference("account", first)))
            .getUuid("_parentcustomerid_value") shouldBe first
    }

    test("bad references fail before anything is sent, naming the valid choices; metadata is read once") {
        val account = fixture.records.create("account", mapOf("name" to "Parent"))
        fixture.records.create("contact", mapOf("lastname" to "Warm-up", "parentcustomerid" to EntityReference("account", account)))

        // The lookups are cached by now: a write with a lookup costs its own request only.
        val before = fixture.emulator.stats.requests
        fixture.records.create("contact", mapOf("lastname" to "One request", "parentcustomerid" to EntityReference("account", account)))
        fixture.emulator.stats.requests shouldBe before + 1

        val wrongTable = shouldThrow<InvalidInputException> {
            fixture.records.create("contact", mapOf("lastname" to "X", "parentcustomerid" to EntityReference("systemuser", UUID.randomUUID())))
        }
        wrongTable.message shouldContain "'parentcustomerid'"
        wrongTable.message shouldContain "account (through 'parentcustomerid_account')"
        wrongTable.message shouldContain "contact (through 'parentcustomerid_contact')"
        val wrongNavigation = shouldThrow<InvalidInputException> {
            fixture.records.update("contact", UUID.randomUUID(), mapOf("parentcustomerid_account" to EntityReference("contact", UUID.randomUUID())))
        }
        wrongNavigation.message shouldContain "parentcustomerid_contact"
        val bothKeys = shouldThrow<InvalidInputException> {
            fixture.records.create(
                "contact",
                mapOf("lastname" to "X", "parentcustomerid" to EntityReference("account", account), "parentcustomerid_account" to EntityReference("account", account)),
            )
        }
        bothKeys.message shouldContain "both set 'parentcustomerid_account'"
        fixture.emulator.stats.requests shouldBe before + 1

        // A column that is no lookup, and a name that is nothing, are told apart (the column names are read once for it).
        shouldThrow<InvalidInputException> {
            fixture.records.create("contact", mapOf("lastname" to EntityReference("account", account)))
        }.message shouldContain "Column 'lastname' of table 'contact' is not a lookup"
        shouldThrow<InvalidInputException> {
            fixture.records.create("contact", mapOf("lastname" to "X", "nosuchlookup" to EntityReference("account", account)))
        }.message shouldContain "no lookup column or navigation property named 'nosuchlookup'"
    }

    test("a custom lookup created through the schema API binds under its logical name; its navigation property is schema-cased") {
        fixture.client.tables.create(TableSpec("new_Order", "Order"))
        val relationship = fixture.client.tables.createRelationship(OneToManySpec("account", "new_order", "new_AccountId", "Account"))
        relationship.referencingNavigationProperty shouldBe "new_AccountId"
        fixture.client.tables.columns("new_order").map { it.logicalName } shouldContain "new_accountid"

        val account = fixture.records.create("account", mapOf("name" to "Customer"))
        val order = fixture.records.create("new_order", mapOf("new_name" to "O-1", "new_accountid" to EntityReference("account", account)))
        fixture.records.get("new_order", order).getUuid("_new_accountid_value") shouldBe account
        val other = fixture.records.create("account", mapOf("name" to "Other"))
        fixture.records.update("new_order", order, mapOf("NEW_ACCOUNTID" to EntityReference("account", other)))
        fixture.records.get("new_order", order).getUuid("_new_accountid_value") shouldBe other
        // The exact navigation property still works as it always did.
        fixture.records.update("new_order", order, mapOf("new_AccountId" to EntityReference("account", account)))
        fixture.records.get("new_order", order).getUuid("_new_accountid_value") shouldBe account
        shouldThrow<InvalidInputException> {
            fixture.records.update("new_order", order, mapOf("new_accountid" to EntityReference("contact", UUID.randomUUID())))
        }.message shouldContain "account (through 'new_AccountId')"
    }

    test("bulk createMany, updateMany and upsertMany map the key; an invalid input sends nothing") {
        val first = fixture.records.create("account", mapOf("name" to "Bulk 1"))
        val second = fixture.records.create("account", mapOf("name" to "Bulk 2"))
        val created = fixture.records.createMany(
            "contact",
            (1..5).map { mapOf("lastname" to "Bulk $it", "parentcustomerid" to EntityReference("account", first)) },
            BulkOptions(chunkSize = 2),
        ).ids.filterNotNull()
        created.size shouldBe 5
        created.forEach { parentOf(it) shouldBe first }

        fixture.records.updateMany("contact", created.map { RecordChange.of(it, mapOf("parentcustomerid" to EntityReference("account", second))) })
        created.forEach { parentOf(it) shouldBe second }
        val upserted = UUID.randomUUID()
        fixture.records.upsertMany("contact", listOf(RecordChange.of(upserted, mapOf("lastname" to "U", "parentcustomerid" to EntityReference("contact", created[0])))))
        parentOf(upserted) shouldBe created[0]

        val before = fixture.emulator.stats.requests
        shouldThrow<InvalidInputException> {
            fixture.records.createMany(
                "contact",
                listOf(mapOf("lastname" to "Fine", "parentcustomerid" to EntityReference("account", first)), mapOf("lastname" to "Bad", "parentcustomerid" to EntityReference("team", first))),
            )
        }.message shouldContain "Input #1"
        fixture.emulator.stats.requests shouldBe before
    }

    test("\$batch maps the key of an EntityReference and of a change set's reference to a record it creates") {
        val account = fixture.records.create("account", mapOf("name" to "Batch parent"))
        var direct: dev.dataverse.BatchReference? = null
        var viaReference: dev.dataverse.BatchReference? = null
        val result = fixture.client.batch {
            direct = create("contact", mapOf("lastname" to "Direct", "parentcustomerid" to EntityReference("account", account)))
            changeSet {
                val parent = create("account", mapOf("name" to "Created in the change set"))
                viaReference = create("contact", mapOf("lastname" to "Child", "parentcustomerid" to parent))
            }
        }
        result.isSuccess shouldBe true
        parentOf(result[direct!!].entityId!!) shouldBe account
        val child = result[viaReference!!].entityId!!
        fixture.records.get("account", parentOf(child)!!).getString("name") shouldBe "Created in the change set"

        val before = fixture.emulator.stats.requests
        shouldThrow<InvalidInputException> {
            fixture.client.batch { create("contact", mapOf("lastname" to "X", "parentcustomerid" to EntityReference("systemuser", account))) }
        }.message.also { it shouldContain "Operation #0" }.shouldNotContain("Could not find")
        fixture.emulator.stats.requests shouldBe before
    }
})
