package dev.dataverse.schema

import dev.dataverse.InvalidInputException
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldEndWith
import io.kotest.matchers.string.shouldNotContain
import java.math.BigDecimal
import java.nio.file.Files

/** The snapshot file format (README "Schema snapshots"): round trip, deterministic bytes, typed errors naming the path. */
class SchemaSnapshotSpec : FunSpec({

    fun sample(shuffle: Boolean = false): SchemaSnapshot {
        fun <T> order(list: List<T>) = if (shuffle) list.reversed() else list
        val columns = listOf(
            ColumnSchema("accountid", "AccountId", "Uniqueidentifier", isPrimaryId = true, validForUpdate = false),
            ColumnSchema("name", "Name", "String", displayName = "Account Name", requiredLevel = "ApplicationRequired", isPrimaryName = true, maxLength = 160, format = "Text"),
            ColumnSchema("revenue", "Revenue", "Money", minValue = BigDecimal("-922337203685477.0000"), maxValue = BigDecimal("922337203685477"), precision = 2),
            ColumnSchema(
                "industrycode", "IndustryCode", "Picklist",
                choice = ChoiceSchema(order(listOf(ChoiceOptionSchema(2, "Consulting"), ChoiceOptionSchema(1, "Accounting"), ChoiceOptionSchema(3, "1st \"class\""), ChoiceOptionSchema(4, "Accounting")))),
            ),
            ColumnSchema(
                "ownerid", "OwnerId", "Owner",
                targets = order(listOf(LookupTargetSchema("team", "ownerid_team"), LookupTargetSchema("systemuser", "ownerid_systemuser"))),
            ),
            ColumnSchema("new_tags", "new_Tags", "MultiSelectPicklist", isCustom = true, choice = ChoiceSchema(listOf(ChoiceOptionSchema(100000000, "été")), "new_tags")),
            ColumnSchema("new_doc", "new_Doc", "File", isCustom = true, maxSizeInKB = 32768),
        )
        val account = TableSchema(
            "account", "Account", "accounts", "accountid", "name", "Account", "Accounts", "Standard", "UserOwned",
            columns = order(columns),
            alternateKeys = order(listOf(AlternateKeySchema("new_name_key", listOf("name", "revenue")), AlternateKeySchema("new_a_key", listOf("name")))),
            relationships = order(
                listOf(
                    RelationshipSchema("contact_customer_accounts", RelationshipKind.ONE_TO_MANY, "account", "accountid", "contact", "parentcustomerid", "contact_customer_accounts"),
                    RelationshipSchema("account_parent_account", RelationshipKind.ONE_TO_MANY, "account", "accountid", "account", "parentaccountid", "account_parent_account"),
                    RelationshipSchema("account_parent_account", RelationshipKind.MANY_TO_ONE, "account", "accountid", "account", "parentaccountid", "parentaccountid"),
                ),
            ),
        )
        val contact = TableSchema("contact", "Contact", "contacts", "contactid", columns = listOf(ColumnSchema("contactid", "ContactId", "Uniqueidentifier", isPrimaryId = true)))
        val api = CustomApiSchema(
            "new_Ping", CustomApiBindingType.ENTITY, "account", false,
            order(listOf(CustomApiParameterSchema("Text", "String", false), CustomApiParameterSchema("Count", "Integer", true))),
            listOf(CustomApiPropertySchema("Echo", "String"), CustomApiPropertySchema("Target", "EntityReference", "account")),
        )
        return SchemaSnapshot(order(listOf(contact, account)), order(listOf(api, CustomApiSchema("new_Clock", CustomApiBindingType.GLOBAL, null, true))), "unit")
    }

    test("a snapshot written and read back is equal and writes the same bytes") {
        val snapshot = sample()
        val text = snapshot.toJson()
        val read = SchemaSnapshot.parse(text)
        read shouldBe snapshot
        read.toJson() shouldBe text
        read.table("ACCOUNT")!!.column("industrycode")!!.choice!!.options.map { it.label } shouldBe listOf("Accounting", "Consulting", "1st \"class\"", "Accounting")
        read.table("account")!!.column("revenue")!!.minValue shouldBe BigDecimal("-922337203685477")
        read.customApi("NEW_PING")!!.requestParameters.map { it.uniqueName } shouldBe listOf("Count", "Text")
    }

    test("the same schema given in another order is written to identical bytes, in the documented layout") {
        val text = sample().toJson()
        sample(shuffle = true).toJson() shouldBe text
        text shouldEndWith "}\n"
        text shouldNotContain "\r"
        text shouldNotContain "null"
        text.lines()[0] shouldBe "{"
        text.lines()[1] shouldBe "  \"formatVersion\": 1,"
        text.lines()[2] shouldBe "  \"source\": \"unit\","
        // Sorting: tables, columns, options by value, targets by table, relationships by schema name then kind.
        text.indexOf("\"logicalName\": \"account\"") shouldBe text.indexOf("\"logicalName\": \"a")
        (text.indexOf("\"accountid\"") < text.indexOf("\"industrycode\"")) shouldBe true
        (text.indexOf("\"value\": 1,") < text.indexOf("\"value\": 2,")) shouldBe true
        (text.indexOf("ownerid_systemuser") < text.indexOf("ownerid_team")) shouldBe true
        (text.indexOf("\"new_Clock\"") < text.indexOf("\"new_Ping\"")) shouldBe true
        text shouldContain "\"minValue\": \"-922337203685477\""
        text shouldContain "\"relationships\": []"
        text shouldContain "\"label\": \"été\""
        text shouldContain "      \"columns\": [\n        {\n          \"logicalName\": \"accountid\","
    }

    test("write and read go through a file; the file is UTF-8 and replaces what was there") {
        val dir = Files.createTempDirectory("snapshot")
        val file = dir.resolve("schema.json")
        Files.writeString(file, "old content that is longer than nothing")
        sample().write(file)
        String(Files.readAllBytes(file), Charsets.UTF_8) shouldBe sample().toJson()
        SchemaSnapshot.read(file) shouldBe sample()
        Files.list(dir).use { it.count() } shouldBe 1L
    }

    test("unknown properties are ignored, so newer writers may add some") {
        val text = sample().toJson().replace("\"formatVersion\": 1,", "\"formatVersion\": 1, \"exportedBy\": {\"tool\": \"x\"},")
            .replace("\"attributeType\": \"File\",", "\"attributeType\": \"File\", \"futureFlag\": true,")
        SchemaSnapshot.parse(text) shouldBe sample()
    }

    test("a newer format version is refused naming the version") {
        val error = shouldThrow<InvalidSnapshotException> { SchemaSnapshot.parse("""{"formatVersion": 2, "tables": [], "customApis": []}""") }
        error.jsonPath shouldBe "formatVersion"
        error.message shouldContain "format version 2"
    }

    test("a missing required property is a typed error naming its JSON path and the file") {
        val text = sample().toJson().replaceFirst("\"schemaName\": \"Name\",", "")
        val file = Files.createTempFile("broken", ".json")
        Files.writeString(file, text)
        val error = shouldThrow<InvalidSnapshotException> { SchemaSnapshot.read(file) }
        error.jsonPath shouldBe "tables[0].columns[2].schemaName"
        error.file shouldBe file
        error.message shouldContain file.toString()
        error.message shouldContain "tables[0].columns[2].schemaName"
    }

    test("wrong types, bad enum names, duplicates and non-JSON are typed errors with paths") {
        fun failure(text: String) = shouldThrow<InvalidSnapshotException> { SchemaSnapshot.parse(text) }
        failure("[]").jsonPath shouldBe null
        failure("{not json").jsonPath shouldBe null
        failure("""{"tables": [], "customApis": []}""").jsonPath shouldBe "formatVersion"
        failure("""{"formatVersion": "1", "tables": [], "customApis": []}""").jsonPath shouldBe "formatVersion"
        failure("""{"formatVersion": 1, "tables": {}, "customApis": []}""").jsonPath shouldBe "tables"
        failure("""{"formatVersion": 1, "tables": [], "customApis": [7]}""").jsonPath shouldBe "customApis[0]"
        val good = sample().toJson()
        failure(good.replace("\"kind\": \"ManyToOne\"", "\"kind\": \"SideWays\"")).jsonPath shouldBe "tables[0].relationships[0].kind"
        failure(good.replace("\"isFunction\": true", "\"isFunction\": \"yes\"")).jsonPath shouldBe "customApis[0].isFunction"
        failure(good.replace("\"maxLength\": 160", "\"maxLength\": 1.5")).jsonPath shouldBe "tables[0].columns[2].maxLength"
        failure(good.replace("\"minValue\": \"-922337203685477\"", "\"minValue\": \"lots\"")).jsonPath shouldBe "tables[0].columns[6].minValue"
        val duplicate = failure(good.replace("\"logicalName\": \"contact\"", "\"logicalName\": \"Account\""))
        duplicate.jsonPath shouldBe null
        duplicate.message shouldContain "Two tables are named"
        failure(good.replace("\"value\": 2,", "\"value\": 1,")).jsonPath shouldBe "tables[0].columns[1].choice"
        failure(Files.readString(Files.createTempFile("x", ".json"))).jsonPath shouldBe null
    }

    test("the model refuses bad values when built in code, before anything is written") {
        shouldThrow<InvalidInputException> { ColumnSchema(" ", "Name", "String") }.message shouldContain "'logicalName'"
        shouldThrow<InvalidInputException> { RelationshipSchema("x", RelationshipKind.MANY_TO_MANY, "a", "aid", "b", "bid") }.message shouldContain "intersectTable"
        shouldThrow<InvalidInputException> { CustomApiSchema("new_X", CustomApiBindingType.ENTITY, null, false) }.message shouldContain "boundTable"
        shouldThrow<InvalidInputException> {
            TableSchema("t", "T", "ts", "tid", columns = listOf(ColumnSchema("tid", "TId", "Uniqueidentifier")), alternateKeys = listOf(AlternateKeySchema("k", listOf("missing"))))
        }.message shouldContain "'missing'"
        shouldThrow<InvalidInputException> { AlternateKeySchema("k", emptyList()) }
    }

    test("builders give the same model as constructors") {
        val built = ColumnSchema.builder("name", "Name", "String").maxLength(160).primaryName(true).displayName("Account Name")
            .requiredLevel("ApplicationRequired").format("Text").build()
        built shouldBe sample().table("account")!!.column("name")
        val table = sample().table("account")!!
        table.toBuilder().build() shouldBe table
        table.column("name")!!.toBuilder().build() shouldBe table.column("name")
        table.toBuilder().custom(true).build().isCustom shouldBe true
    }
})
