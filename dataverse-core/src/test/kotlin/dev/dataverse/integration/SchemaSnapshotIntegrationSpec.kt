package dev.dataverse.integration

import dev.dataverse.AlternateKeySpec
import dev.dataverse.BadRequestException
import dev.dataverse.ChoiceOption
import dev.dataverse.ColumnSpec
import dev.dataverse.DataverseClient
import dev.dataverse.InvalidInputException
import dev.dataverse.ManyToManySpec
import dev.dataverse.MessageRequest
import dev.dataverse.NotFoundException
import dev.dataverse.TableSpec
import dev.dataverse.emulator.CustomApi
import dev.dataverse.emulator.CustomApiBindingType
import dev.dataverse.emulator.CustomApiParameter
import dev.dataverse.emulator.CustomApiProperty
import dev.dataverse.emulator.CustomApiType
import dev.dataverse.emulator.DataverseEmulator
import dev.dataverse.emulator.EmulatorOptions
import dev.dataverse.emulator.EmulatorSchemaException
import dev.dataverse.schema.CustomApiBindingType as SnapshotBinding
import dev.dataverse.schema.RelationshipKind
import dev.dataverse.schema.SchemaDrift
import dev.dataverse.schema.SchemaDriftException
import dev.dataverse.schema.SchemaDriftKind
import dev.dataverse.schema.SchemaSnapshot
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContain
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.collections.shouldContainExactlyInAnyOrder
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.nio.file.Files
import java.nio.file.Path

/**
 * Schema snapshots end to end: exported from an emulator through the client, loaded into a fresh emulator (`schema`
 * option) and exported again byte for byte; then the drift check against a changed schema.
 *
 * Expectations come from Learn: "Retrieve table definitions by name or MetadataId" and "Query table definitions using the
 * Web API" (attribute types, `AttributeTypeName` of multi-select, file and image columns, `Targets` of customer and owner
 * lookups), "Lookup properties" (`parentcustomerid_account` / `parentcustomerid_contact`), "CustomAPI tables" (the
 * `customapis` query with `CustomAPIRequestParameters` and `CustomAPIResponseProperties`, `Type` 10 = String).
 */
class SchemaSnapshotIntegrationSpec : FunSpec({
    val fixture = EmulatorFixture(EmulatorOptions(keyActivationDelayMillis = 0))
    extension(fixture)
    val directory = Files.createTempDirectory("schema-snapshots")
    val names = listOf("account", "contact", "new_object")

    suspend fun withEmulator(schema: Path, block: suspend (DataverseEmulator, DataverseClient) -> Unit) {
        DataverseEmulator.start(EmulatorOptions(schema = schema, keyActivationDelayMillis = 0)).use { emulator ->
            DataverseClient {
                environmentUrl(emulator.baseUrl)
                token("test-token")
            }.use { client -> block(emulator, client) }
        }
    }

    beforeSpec {
        val tables = fixture.client.tables
        // Names a code generator must escape: Java/Kotlin keywords, labels that repeat or are no identifier at all.
        tables.create(
            TableSpec(
                schemaName = "new_Object",
                displayName = "Object",
                columns = listOf(
                    ColumnSpec.string("new_Class", "class", maxLength = 40),
                    ColumnSpec.integer("new_Fun", "fun", 0, 10),
                    ColumnSpec.decimal("new_When", "when", precision = 3),
                    ColumnSpec.money("new_Price", "Price"),
                    ColumnSpec.boolean("new_Is", "is", "Yes", "No"),
                    ColumnSpec.dateOnly("new_Due", "Due"),
                    ColumnSpec.dateTime("new_At", "At"),
                    ColumnSpec.choice(
                        "new_Kind", "Kind",
                        listOf(ChoiceOption(100000000, "class"), ChoiceOption(100000001, "Same"), ChoiceOption(100000002, "fun"), ChoiceOption(100000003, "1st-choice / ok?")),
                    ),
                    ColumnSpec.multiChoice("new_Tags", "Tags", "Red", "object", "fun"),
                    ColumnSpec.lookup("new_AccountId", "Account", "account"),
                    ColumnSpec.file("new_Manual", "Manual", maxSizeInKB = 2048),
                    ColumnSpec.image("new_Photo", "Photo"),
                ),
            ),
        )
        tables.createKey("new_object", AlternateKeySpec("new_ClassKey", listOf("new_class")))
        tables.createRelationship(ManyToManySpec("new_object_account", "new_object", "account"))
        fixture.emulator.registerCustomApi(
            CustomApi(
                "new_Ping", bindingType = CustomApiBindingType.ENTITY, boundEntityLogicalName = "account",
                requestParameters = listOf(CustomApiParameter("Text", CustomApiType.STRING), CustomApiParameter("Count", CustomApiType.INTEGER, isOptional = true)),
                responseProperties = listOf(CustomApiProperty("Echo", CustomApiType.STRING)),
            ) { call -> mapOf("Echo" to call.parameters["Text"]) },
        )
    }

    test("the export records types, choices, lookups, keys, relationships and custom APIs as the metadata describes them") {
        val snapshot = fixture.client.tables.exportSnapshot(names, listOf("new_Ping"), source = "emulator")
        snapshot.source shouldBe "emulator"
        snapshot.tables.map { it.logicalName } shouldContainExactly names
        val contact = snapshot.table("contact")!!
        val customer = contact.column("parentcustomerid")!!
        customer.attributeType shouldBe "Customer"
        customer.targets.map { it.table to it.navigationProperty } shouldContainExactly
            listOf("account" to "parentcustomerid_account", "contact" to "parentcustomerid_contact")
        contact.column("ownerid")!!.attributeType shouldBe "Owner"
        contact.column("ownerid")!!.targets.map { it.table } shouldContain "systemuser"

        val objects = snapshot.table("new_object")!!
        objects.isCustom shouldBe true
        objects.column("new_class")!!.maxLength shouldBe 40
        objects.column("new_tags")!!.attributeType shouldBe "MultiSelectPicklist"
        objects.column("new_manual")!!.attributeType shouldBe "File"
        objects.column("new_manual")!!.maxSizeInKB shouldBe 2048
        objects.column("new_photo")!!.attributeType shouldBe "Image"
        objects.column("new_manual_name") shouldBe null // a supporting column (AttributeOf) is no column of its own
        objects.column("new_due")!!.dateTimeBehavior shouldBe "DateOnly"
        objects.column("new_is")!!.choice!!.options.map { it.value } shouldContainExactly listOf(0, 1)
        objects.column("new_kind")!!.choice!!.options.map { it.label } shouldContainExactly listOf("class", "Same", "fun", "1st-choice / ok?")
        objects.column("new_accountid")!!.targets.single().table shouldBe "account"
        objects.alternateKeys.single().columns shouldContainExactly listOf("new_class")
        objects.relationships(RelationshipKind.MANY_TO_MANY).single().schemaName shouldBe "new_object_account"
        snapshot.table("account")!!.relationships(RelationshipKind.ONE_TO_MANY).map { it.schemaName } shouldContain "contact_customer_accounts"

        val ping = snapshot.customApi("new_Ping")!!
        ping.bindingType shouldBe SnapshotBinding.ENTITY
        ping.boundTable shouldBe "account"
        ping.isFunction shouldBe false
        ping.requestParameters.map { Triple(it.uniqueName, it.type, it.isOptional) } shouldContainExactly
            listOf(Triple("Count", "Integer", true), Triple("Text", "String", false))
        ping.responseProperties.map { it.uniqueName to it.type } shouldContainExactly listOf("Echo" to "String")
    }

    test("a snapshot loaded into a fresh emulator exports byte for byte the same") {
        val first = directory.resolve("first.json")
        // The client refuses repeated labels when it creates a choice; an environment may have them, so the snapshot
        // given to the fresh emulator repeats one, and has an option without a label.
        val exported = fixture.client.tables.exportSnapshot(names, listOf("new_Ping"))
        val table = exported.table("new_object")!!
        val kind = table.column("new_kind")!!
        val repeated = kind.choice!!.options.map {
            when (it.value) {
                100000002 -> dev.dataverse.schema.ChoiceOptionSchema(it.value, "Same")
                100000003 -> dev.dataverse.schema.ChoiceOptionSchema(it.value, null)
                else -> it
            }
        }
        val edited = table.toBuilder().columns(table.columns.map { if (it === kind) it.toBuilder().choice(dev.dataverse.schema.ChoiceSchema(repeated)).build() else it }).build()
        SchemaSnapshot(exported.tables.map { if (it.logicalName == "new_object") edited else it }, exported.customApis).write(first)
        Regex("\"label\": \"Same\"").findAll(Files.readString(first)).count() shouldBe 2
        val second = directory.resolve("second.json")
        withEmulator(first) { emulator, client ->
            client.tables.exportSnapshot(names, listOf("new_Ping")).write(second)
            emulator.customApis shouldContain "new_Ping"
            // The loaded tables take records: lookups bind through their navigation properties, choices check values.
            val account = client.records.create("account", mapOf("name" to "Contoso"))
            val id = client.records.create(
                "new_object",
                mapOf("new_class" to "A", "new_kind" to 100000003, "new_tags" to "100000000,100000002", "new_AccountId@odata.bind" to "/accounts($account)"),
            )
            client.records.get("new_object", id).getString("new_class") shouldBe "A"
        }
        Files.readAllBytes(second).contentEquals(Files.readAllBytes(first)) shouldBe true
    }

    test("a custom API loaded from a snapshot is checked like any other and then refused, having no implementation") {
        val file = directory.resolve("api.json")
        fixture.client.tables.exportSnapshot(listOf("account"), listOf("new_Ping")).write(file)
        withEmulator(file) { _, client ->
            val account = client.records.create("account", mapOf("name" to "A"))
            val error = shouldThrow<BadRequestException> {
                client.messages.execute(MessageRequest.action("new_Ping") { boundTo("account", account); parameter("Text", "hi") })
            }
            error.errorCode shouldBe "0x80040265"
            error.message shouldContain "schema snapshot"
        }
    }

    test("unknown tables and custom APIs are typed errors and nothing is returned; bad names fail before sending") {
        shouldThrow<NotFoundException> { fixture.client.tables.exportSnapshot(listOf("account", "new_nothing")) }.message shouldContain "new_nothing"
        shouldThrow<NotFoundException> { fixture.client.tables.exportSnapshot(listOf("account"), listOf("new_Ping", "new_Absent")) }.message shouldContain "new_Absent"
        val before = fixture.emulator.stats.requests
        shouldThrow<InvalidInputException> { fixture.client.tables.exportSnapshot(listOf("bad name")) }
        shouldThrow<InvalidInputException> { fixture.client.tables.exportSnapshot(listOf("account"), listOf("new-Ping")) }
        shouldThrow<InvalidInputException> { fixture.client.tables.exportSnapshot(emptyList()) }
        fixture.emulator.stats.requests shouldBe before
    }

    test("the drift check is empty for the environment a snapshot came from and names every change made since") {
        val file = directory.resolve("drift.json")
        val snapshot = fixture.client.tables.exportSnapshot(names, listOf("new_Ping"))
        snapshot.write(file)
        withEmulator(file) { emulator, client ->
            client.tables.checkSnapshot(snapshot).isEmpty shouldBe true
            client.tables.requireSnapshot(snapshot)

            client.tables.removeColumn("new_object", "new_when")
            client.tables.deleteKey("new_object", "new_ClassKey")
            client.tables.addColumn("new_object", ColumnSpec.string("new_Extra", "Extra")) // more than the snapshot: no drift
            emulator.unregisterCustomApi("new_Ping") shouldBe true

            val report = client.tables.checkSnapshot(snapshot)
            report.differences shouldContainExactlyInAnyOrder listOf(
                SchemaDrift(SchemaDriftKind.COLUMN_MISSING, "new_object", "new_when", "Decimal", null),
                SchemaDrift(SchemaDriftKind.ALTERNATE_KEY_CHANGED, "new_object", snapshot.table("new_object")!!.alternateKeys.single().logicalName, "new_class", null),
                SchemaDrift(SchemaDriftKind.CUSTOM_API_MISSING, null, "new_Ping", "new_Ping", null),
            )
            val error = shouldThrow<SchemaDriftException> { client.tables.requireSnapshot(snapshot) }
            error.report shouldBe report
            error.message shouldContain "new_object.new_when: COLUMN_MISSING"
        }
    }

    test("the drift check reports changed types, choice options, lookup targets and custom API parameters") {
        val snapshot = fixture.client.tables.exportSnapshot(listOf("new_object"), listOf("new_Ping"))
        val table = snapshot.table("new_object")!!
        val kind = table.column("new_kind")!!
        val changed = SchemaSnapshot(
            listOf(
                table.toBuilder().columns(
                    table.columns.map {
                        when (it.logicalName) {
                            "new_class" -> it.toBuilder().build().let { c -> dev.dataverse.schema.ColumnSchema.builder(c.logicalName, c.schemaName, "Memo").build() }
                            "new_kind" -> it.toBuilder().choice(dev.dataverse.schema.ChoiceSchema(kind.choice!!.options.drop(1) + dev.dataverse.schema.ChoiceOptionSchema(7, "Seven"))).build()
                            "new_accountid" -> it.toBuilder().targets(listOf(dev.dataverse.schema.LookupTargetSchema("contact", null))).build()
                            else -> it
                        }
                    },
                ).build(),
            ),
            listOf(dev.dataverse.schema.CustomApiSchema("new_Ping", SnapshotBinding.ENTITY, "account", false, listOf(dev.dataverse.schema.CustomApiParameterSchema("Text", "Integer", false)))),
        )
        val kinds = fixture.client.tables.checkSnapshot(changed).differences.map { it.kind to it.member }
        kinds shouldContainExactlyInAnyOrder listOf(
            SchemaDriftKind.COLUMN_TYPE_CHANGED to "new_class",
            SchemaDriftKind.CHOICE_OPTION_ADDED to "new_kind",
            SchemaDriftKind.CHOICE_OPTION_REMOVED to "new_kind",
            SchemaDriftKind.LOOKUP_TARGETS_CHANGED to "new_accountid",
            SchemaDriftKind.CUSTOM_API_PARAMETER_CHANGED to "new_Ping.Count",
            SchemaDriftKind.CUSTOM_API_PARAMETER_CHANGED to "new_Ping.Echo",
            SchemaDriftKind.CUSTOM_API_PARAMETER_CHANGED to "new_Ping.Text",
        )
    }

    test("the emulator refuses a bad snapshot at start, naming the file and the JSON path") {
        val file = directory.resolve("bad.json")
        val text = fixture.client.tables.exportSnapshot(listOf("new_object")).toJson()
        Files.writeString(file, text.replaceFirst("\"attributeType\": \"String\"", "\"attributeType\": 7"))
        val error = shouldThrow<EmulatorSchemaException> { DataverseEmulator.start(EmulatorOptions(schema = file)) }
        error.file shouldBe file
        error.jsonPath!! shouldContain ".attributeType"
        error.message shouldContain file.toString()

        Files.writeString(file, text.replace("\"formatVersion\": 1", "\"formatVersion\": 9"))
        shouldThrow<EmulatorSchemaException> { DataverseEmulator.start(EmulatorOptions(schema = file)) }.jsonPath shouldBe "formatVersion"
        shouldThrow<EmulatorSchemaException> { DataverseEmulator.start(EmulatorOptions(schema = directory.resolve("missing.json"))) }.jsonPath shouldBe null
    }
})
