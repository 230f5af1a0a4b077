package dev.dataverse.integration

import dev.dataverse.Expand
import dev.dataverse.AlternateKeySpec
import dev.dataverse.ChoiceLabel
import dev.dataverse.ColumnSpec
import dev.dataverse.ColumnType
import dev.dataverse.DuplicateRecordException
import dev.dataverse.EntityReference
import dev.dataverse.InvalidInputException
import dev.dataverse.KeyIndexStatus
import dev.dataverse.ManyToManySpec
import dev.dataverse.NotFoundException
import dev.dataverse.OneToManySpec
import dev.dataverse.RecordChange
import dev.dataverse.RecordKey
import dev.dataverse.RelationshipType
import dev.dataverse.RetrieveOptions
import dev.dataverse.TableListOptions
import dev.dataverse.TableOwnership
import dev.dataverse.TableSpec
import dev.dataverse.batch
import dev.dataverse.emulator.EmulatorOptions
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContain
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.collections.shouldContainExactlyInAnyOrder
import io.kotest.matchers.collections.shouldNotContain
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.math.BigDecimal
import java.time.Instant
import java.time.LocalDate

/** The schema scenario end to end against the emulator: a table with every column type, relationships, keys. */
class TablesIntegrationSpec : FunSpec({
    val fixture = EmulatorFixture(EmulatorOptions(keyActivationDelayMillis = 200))
    extension(fixture)
    fun tables() = fixture.client.tables
    fun records() = fixture.records

    val product = TableSpec(
        schemaName = "new_Product",
        displayName = "Product",
        columns = listOf(
            ColumnSpec.string("new_Code", "Code", maxLength = 20),
            ColumnSpec.memo("new_Notes", "Notes"),
            ColumnSpec.integer("new_Stock", "Stock", 0, 1_000_000),
            ColumnSpec.decimal("new_Rate", "Rate", precision = 3),
            ColumnSpec.double("new_Weight", "Weight"),
            ColumnSpec.money("new_Price", "Price"),
            ColumnSpec.boolean("new_Active", "Active", "Yes please", "No thanks"),
            ColumnSpec.dateTime("new_Released", "Released"),
            ColumnSpec.dateOnly("new_Due", "Due"),
            ColumnSpec.choice("new_Size", "Size", "Small", "Medium", "Large"),
            ColumnSpec.multiChoice("new_Colours", "Colours", "Red", "Green", "Blue"),
            ColumnSpec.lookup("new_AccountId", "Account", "account"),
            ColumnSpec.file("new_Manual", "Manual", maxSizeInKB = 2048),
            ColumnSpec.image("new_Photo", "Photo"),
        ),
    )

    test("create a table with one column of every type, write and read a record through each") {
        val info = tables().create(product)
        info.logicalName shouldBe "new_product"
        info.entitySetName shouldBe "new_products"
        info.primaryIdAttribute shouldBe "new_productid"
        info.isCustom shouldBe true
        info.ownership shouldBe TableOwnership.USER_OWNED

        val columns = tables().columns("new_product").associateBy { it.logicalName }
        columns.getValue("new_code").maxLength shouldBe 20
        columns.getValue("new_weight").type shouldBe ColumnType.DOUBLE
        columns.getValue("new_due").type shouldBe ColumnType.DATE_ONLY
        columns.getValue("new_released").type shouldBe ColumnType.DATE_TIME
        columns.getValue("new_colours").type shouldBe ColumnType.MULTI_CHOICE
        columns.getValue("new_accountid").type shouldBe ColumnType.LOOKUP
        columns.getValue("new_accountid").targets shouldContainExactly listOf("account")
        columns.getValue("new_manual").type shouldBe ColumnType.FILE
        columns.getValue("new_manual").maxSizeInKB shouldBe 2048
        columns.getValue("new_photo").type shouldBe ColumnType.IMAGE

        val account = records().create("account", mapOf("name" to "Contoso"))
        val released = Instant.parse("2024-03-04T05:06:07Z")
        val id = records().create(
            "new_product",
            mapOf(
                "new_name" to "Widget", "new_code" to "W-1", "new_notes" to "line one\nline two", "new_stock" to 42,
                "new_rate" to BigDecimal("1.234"), "new_weight" to 2.5, "new_price" to BigDecimal("9.99"),
                "new_active" to ChoiceLabel("Yes please"), "new_released" to released, "new_due" to LocalDate.of(2024, 5, 6),
                "new_size" to ChoiceLabel("Medium"), "new_colours" to ChoiceLabel.of("Blue", "Red"),
                "new_AccountId" to EntityReference("account", account),
            ),
        )
        val record = records().get("new_product", id, RetrieveOptions(includeAnnotations = true))
        record.getString("new_code") shouldBe "W-1"
        record.getString("new_notes") shouldBe "line one\nline two"
        record.getInt("new_stock") shouldBe 42
        record.getDecimal("new_rate") shouldBe BigDecimal("1.234")
        record.getDouble("new_weight") shouldBe 2.5
        record.getDecimal("new_price") shouldBe BigDecimal("9.99")
        record.getBoolean("new_active") shouldBe true
        record.formattedValue("new_active") shouldBe "Yes please"
        record.getInstant("new_released") shouldBe released
        record.getLocalDate("new_due") shouldBe LocalDate.of(2024, 5, 6)
        record.getInt("new_size") shouldBe 100_000_001
        record.formattedValue("new_size") shouldBe "Medium"
        record.getString("new_colours") shouldBe "100000002,100000000"
        record.formattedValue("new_colours") shouldBe "Blue; Red"
        record.getUuid("_new_accountid_value") shouldBe account
        record.lookupLogicalName("_new_accountid_value") shouldBe "account"
        record.isNull("new_manual") shouldBe true
        record.isNull("new_photo") shouldBe true

        val size = tables().choices("new_product", "new_size")
        size.labelOf(record.getInt("new_size")!!) shouldBe "Medium"
        tables().choices("new_product", "new_colours").isMultiSelect shouldBe true
        tables().choices("new_product", "new_active").valueOf("No thanks") shouldBe 0

        records().update("new_product", id, mapOf("new_size" to ChoiceLabel("large")))
        records().get("new_product", id).getInt("new_size") shouldBe 100_000_002
    }

    test("choice labels work in bulk and batch writes; an unknown label fails before anything is sent") {
        val ids = records().createMany(
            "new_product",
            listOf(mapOf("new_name" to "A", "new_size" to ChoiceLabel("Small")), mapOf("new_name" to "B", "new_colours" to ChoiceLabel.of("Green"))),
        ).ids.filterNotNull()
        records().get("new_product", ids[0]).getInt("new_size") shouldBe 100_000_000
        records().get("new_product", ids[1]).getString("new_colours") shouldBe "100000001"
        fixture.client.batch { update("new_product", RecordKey.id(ids[0]), mapOf("new_size" to ChoiceLabel("Large"))) }
        records().get("new_product", ids[0]).getInt("new_size") shouldBe 100_000_002

        // The options are cached by now, so the refused write costs no request at all.
        val before = fixture.emulator.stats.requests
        val error = shouldThrow<InvalidInputException> {
            records().create("new_product", mapOf("new_name" to "C", "new_size" to ChoiceLabel("Huge")))
        }
        fixture.emulator.stats.requests shouldBe before
        error.message shouldContain "new_product"
        error.message shouldContain "new_size"
        error.message shouldContain "Huge"
        error.message shouldContain "'Small'"
        shouldThrow<InvalidInputException> { tables().choices("new_product", "new_code") }
        shouldThrow<InvalidInputException> {
            records().updateMany("new_product", listOf(RecordChange.of(ids[0], mapOf("new_size" to ChoiceLabel("Nope")))))
        }.message shouldContain "Nope"
    }

    test("one-to-many and many-to-many relationships: bind, expand both ways, associate and disassociate") {
        tables().create(TableSpec("new_Project", "Project"))
        val oneToMany = tables().createRelationship(OneToManySpec("new_project", "contact", "new_ProjectId", "Project"))
        oneToMany.type shouldBe RelationshipType.ONE_TO_MANY
        oneToMany.referencingNavigationProperty shouldBe "new_ProjectId"
        oneToMany.referencedNavigationProperty shouldBe "new_project_contact_new_ProjectId"
        val manyToMany = tables().createRelationship(ManyToManySpec("new_project_account", "new_project", "account"))
        manyToMany.type shouldBe RelationshipType.MANY_TO_MANY
        tables().relationships("new_project").map { it.schemaName } shouldContainExactlyInAnyOrder
            listOf("new_project_contact_new_ProjectId", "new_project_account", "user_new_project") + // user_: the owner lookup
                listOf("createdby", "createdonbehalfby", "modifiedby", "modifiedonbehalfby").map { "lk_new_project_$it" } // the audit lookups
        tables().relationship("new_project_account").table2 shouldBe "account"

        val project = records().create("new_project", mapOf("new_name" to "Apollo"))
        val alice = records().create("contact", mapOf("lastname" to "Alice", "new_ProjectId" to EntityReference("new_project", project)))
        val bob = records().create("contact", mapOf("lastname" to "Bob"))
        val account = records().create("account", mapOf("name" to "Fabrikam"))

        records().get("contact", alice, RetrieveOptions(expand = listOf(Expand.raw("new_ProjectId(\$select=new_name)"))))
            .getExpanded("new_ProjectId")!!.getString("new_name") shouldBe "Apollo"
        records().associate("new_project", project, "new_project_contact_new_ProjectId", EntityReference("contact", bob))
        records().associate("new_project", project, "new_project_account", EntityReference("account", account))
        val expanded = records().get("new_project", project, RetrieveOptions(expand = listOf(Expand.raw("new_project_contact_new_ProjectId(\$select=lastname)"), Expand.raw("new_project_account(\$select=name)"))))
        expanded.getExpandedList("new_project_contact_new_ProjectId").map { it.getString("lastname") } shouldContainExactlyInAnyOrder listOf("Alice", "Bob")
        expanded.getExpandedList("new_project_account").map { it.getString("name") } shouldContainExactly listOf("Fabrikam")
        records().get("account", account, RetrieveOptions(expand = listOf(Expand.raw("new_project_account"))))
            .getExpandedList("new_project_account").map { it.getUuid("new_projectid") } shouldContainExactly listOf(project)

        records().disassociate("new_project", project, "new_project_contact_new_ProjectId", EntityReference("contact", alice))
        records().disassociate("new_project", project, "new_project_account", EntityReference("account", account))
        records().get("contact", alice).isNull("_new_projectid_value") shouldBe true
        records().get("new_project", project, RetrieveOptions(expand = listOf(Expand.raw("new_project_account")))).getExpandedList("new_project_account").size shouldBe 0

        records().associate("contact", bob, "new_ProjectId", EntityReference("new_project", project))
        records().get("contact", bob).getUuid("_new_projectid_value") shouldBe project
        records().disassociate("contact", bob, "new_ProjectId")
        records().get("contact", bob).isNull("_new_projectid_value") shouldBe true
        shouldThrow<NotFoundException> {
            records().disassociate("new_project", project, "new_project_account", EntityReference("account", account))
        }

        tables().deleteRelationship("new_project_account")
        shouldThrow<NotFoundException> { tables().relationship("new_project_account") }
    }

    test("an alternate key is awaited until Active, then upserts use it") {
        val key = tables().createKey("new_product", AlternateKeySpec("new_CodeKey", listOf("new_code")))
        key.columns shouldContainExactly listOf("new_code")
        val active = tables().awaitKey("new_product", "new_CodeKey")
        active.status shouldBe KeyIndexStatus.ACTIVE
        records().upsert("new_product", RecordKey.alternate("new_code", "K-9"), mapOf("new_name" to "By key"))
        records().upsert("new_product", RecordKey.alternate("new_code", "K-9"), mapOf("new_name" to "By key again"))
        records().get("new_product", RecordKey.alternate("new_code", "K-9")).getString("new_name") shouldBe "By key again"
        shouldThrow<DuplicateRecordException> { tables().createKey("new_product", AlternateKeySpec("new_CodeKey", listOf("new_name"))) }
        tables().deleteKey("new_product", "new_CodeKey")
        tables().keys("new_product").map { it.schemaName } shouldNotContain "new_CodeKey"
    }

    test("columns are added and removed; lists and deletes tables") {
        val added = tables().addColumn("new_product", ColumnSpec.integer("new_Rank", "Rank"))
        added.type shouldBe ColumnType.INTEGER
        val lookup = tables().addColumn("new_product", ColumnSpec.lookup("new_ContactId", "Contact", "contact"))
        lookup.type shouldBe ColumnType.LOOKUP
        tables().removeColumn("new_product", "new_rank")
        tables().removeColumn("new_product", "new_contactid")
        tables().columns("new_product").map { it.logicalName }.let {
            it shouldNotContain "new_rank"
            it shouldNotContain "new_contactid"
        }
        tables().list(TableListOptions(customOnly = true)).map { it.logicalName } shouldContainExactly listOf("new_product", "new_project")
        tables().list().map { it.logicalName } shouldContain "account"
        tables().delete("new_project")
        shouldThrow<NotFoundException> { tables().get("new_project") }
        shouldThrow<NotFoundException> { records().create("new_project", mapOf("new_name" to "gone")) }
    }

    test("bad input gets clear typed errors") {
        shouldThrow<InvalidInputException> { TableSpec("Product", "Product") }.message shouldContain "prefix"
        shouldThrow<InvalidInputException> { TableSpec("new_Pro duct", "Product") }
        shouldThrow<InvalidInputException> { ColumnSpec.string("new_Bad-Name", "Bad") }
        shouldThrow<DuplicateRecordException> { tables().create(TableSpec("new_Product", "Again")) }
        shouldThrow<DuplicateRecordException> { tables().addColumn("new_product", ColumnSpec.string("new_Code", "Code")) }
        shouldThrow<NotFoundException> { tables().addColumn("new_nosuchtable", ColumnSpec.string("new_X", "X")) }
        shouldThrow<NotFoundException> { tables().column("new_product", "new_nosuch") }
    }

    test("a table whose lookup cannot be created is deleted again, so creating it can be retried") {
        val broken = TableSpec("new_Orphan", "Orphan", columns = listOf(ColumnSpec.lookup("new_ParentId", "Parent", "new_nosuchtable")))
        shouldThrow<NotFoundException> { tables().create(broken) }
        shouldThrow<NotFoundException> { tables().get("new_orphan") }

        val fixed = TableSpec("new_Orphan", "Orphan", columns = listOf(ColumnSpec.lookup("new_ParentId", "Parent", "account")))
        tables().create(fixed).logicalName shouldBe "new_orphan"
        tables().column("new_orphan", "new_parentid").targets shouldContainExactly listOf("account")
        tables().delete("new_orphan")
    }
})
