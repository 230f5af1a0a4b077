package dev.dataverse.jackson

import com.fasterxml.jackson.databind.ObjectMapper
import dev.dataverse.BulkOptions
import dev.dataverse.BulkResult
import dev.dataverse.DataverseClient
import dev.dataverse.DataverseRecord
import dev.dataverse.EntityReference
import dev.dataverse.Expand
import dev.dataverse.ListOptions
import dev.dataverse.Page
import dev.dataverse.RetrieveOptions
import dev.dataverse.emulator.DataverseEmulator
import dev.dataverse.jackson2.DataverseJackson2Module
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContain
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain as shouldContainText
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import tools.jackson.databind.DatabindException
import tools.jackson.databind.json.JsonMapper
import java.math.BigDecimal
import java.time.OffsetDateTime
import java.util.UUID

/**
 * Records read from the emulator, with every kind of value a record holds, written and read back by both Jacksons: the
 * JSON is the Web API's own (Learn: "Query data using the Web API", formatted values and lookup annotations) plus the
 * record's table, and what reads back answers every getter as the original.
 */
class JacksonModuleSpec : FunSpec({
    val emulator = DataverseEmulator.start()
    val client = DataverseClient { environmentUrl(emulator.baseUrl); token("jackson") }
    afterSpec {
        client.close()
        emulator.close()
    }

    val jackson3 = JsonMapper.builder().addModule(DataverseJacksonModule()).build()
    val jackson2: ObjectMapper = ObjectMapper().registerModule(DataverseJackson2Module())

    /** An account holding a string, money (a decimal with its scale), an integer, a boolean, a choice and a lookup. */
    suspend fun account(): DataverseRecord {
        val contact = client.records.create("contact", mapOf("lastname" to "O'Neil \"Quoted\" \\ back\nslash", "firstname" to "Ann"))
        val id = client.records.create(
            "account",
            mapOf(
                "name" to "Contoso ☃",
                "revenue" to BigDecimal("1000.50"),
                "numberofemployees" to 120,
                "creditonhold" to true,
                "industrycode" to 1,
                "primarycontactid" to EntityReference("contact", contact),
            ),
        )
        return client.records.get(
            "account", id,
            RetrieveOptions(expand = listOf(Expand("primarycontactid", select = listOf("lastname", "firstname"))), includeAnnotations = true),
        )
    }

    fun checkSame(original: DataverseRecord, copy: DataverseRecord) {
        copy shouldBe original
        copy.table shouldBe "account"
        copy.primaryIdColumn shouldBe "accountid"
        copy.id shouldBe original.id
        copy.etag shouldBe original.etag
        copy.getString("name") shouldBe "Contoso ☃"
        copy.getDecimal("revenue") shouldBe BigDecimal("1000.50")
        copy.getDecimal("revenue")!!.scale() shouldBe original.getDecimal("revenue")!!.scale()
        copy.getInt("numberofemployees") shouldBe 120
        copy.getBoolean("creditonhold") shouldBe true
        copy.formattedValue("creditonhold") shouldBe original.formattedValue("creditonhold")
        copy.formattedValue("industrycode") shouldBe original.formattedValue("industrycode")
        copy.getUuid("_primarycontactid_value") shouldBe original.getUuid("_primarycontactid_value")
        copy.lookupLogicalName("_primarycontactid_value") shouldBe "contact"
        copy.formattedValue("_primarycontactid_value") shouldBe original.formattedValue("_primarycontactid_value")
        copy.getInstant("createdon") shouldBe original.getInstant("createdon")
        copy.getOffsetDateTime("modifiedon") shouldBe original.getOffsetDateTime("modifiedon")
        copy.getExpanded("primarycontactid")!!.getString("lastname") shouldBe "O'Neil \"Quoted\" \\ back\nslash"
        // The expanded record keeps the table and id the read gave it (a lookup's target: Learn, "Retrieve related table
        // rows with a query"), rather than coming back as a record of no table.
        val contact = copy.getExpanded("primarycontactid")!!
        contact.table shouldBe "contact"
        contact.primaryIdColumn shouldBe "contactid"
        contact.id shouldBe original.getUuid("_primarycontactid_value")
        contact.toJson() shouldBe original.getExpanded("primarycontactid")!!.toJson()
        copy.toMap() shouldBe original.toMap()
    }

    test("a record is the Web API's object plus its table, and reads back as the same record (Jackson 3 and Jackson 2)") {
        val original = account()
        original.formattedValue("creditonhold") shouldBe "Yes"
        original.lookupLogicalName("_primarycontactid_value") shouldBe "contact"
        original.getExpanded("primarycontactid")!!.table shouldBe "contact"

        val written3 = jackson3.writeValueAsString(original)
        val written2 = jackson2.writeValueAsString(original)
        written2 shouldBe written3
        val json = Json.parseToJsonElement(written3).jsonObject
        json["@dataverse.table"]!!.jsonPrimitive.content shouldBe "account"
        json["@dataverse.primaryidcolumn"]!!.jsonPrimitive.content shouldBe "accountid"
        // Every column and annotation as the service sent it, in its order, after the two of this library; the expanded
        // record the same, with the two of this library naming its own table.
        val nested = json["primarycontactid"]!!.jsonObject
        nested["@dataverse.table"]!!.jsonPrimitive.content shouldBe "contact"
        nested["@dataverse.primaryidcolumn"]!!.jsonPrimitive.content shouldBe "contactid"
        val columns = json - "@dataverse.table" - "@dataverse.primaryidcolumn" +
            ("primarycontactid" to JsonObject(nested - "@dataverse.table" - "@dataverse.primaryidcolumn"))
        JsonObject(columns) shouldBe original.toJson()
        json.keys.drop(2) shouldBe original.toJson().keys.toList()
        written3 shouldContainText "\"revenue\":1000.50"

        checkSame(original, jackson3.readValue(written3, DataverseRecord::class.java))
        checkSame(original, jackson2.readValue(written2, DataverseRecord::class.java))
    }

    test("dates, GUIDs and big numbers keep their exact text; a nested record has no table") {
        val record = DataverseRecord.fromJson(
            "account", "accountid",
            """{"accountid":"9f1c3a52-0b6e-4a7e-9f0a-5b2d8c7e6a10","big":123456789012345678901234567890,"tiny":1.5E-7,""" +
                """"exact":0.10000000000000000001,"day":"2024-05-31","at":"2024-05-31T08:00:00Z","none":null,""" +
                """"list":[{"x":1},{"x":2}],"nested":{"contactid":"0d7f2b8e-1c2a-4b3c-8d4e-5f6a7b8c9d0e"}}""",
        )
        for (mapper in listOf<(DataverseRecord) -> String>({ jackson3.writeValueAsString(it) }, { jackson2.writeValueAsString(it) })) {
            val text = mapper(record)
            text shouldContainText "\"big\":123456789012345678901234567890"
            text shouldContainText "\"tiny\":1.5E-7"
            text shouldContainText "\"exact\":0.10000000000000000001"
            val copy = jackson3.readValue(text, DataverseRecord::class.java)
            copy shouldBe record
            copy.getDecimal("exact") shouldBe BigDecimal("0.10000000000000000001")
            copy.getLocalDate("day").toString() shouldBe "2024-05-31"
            copy.getOffsetDateTime("at") shouldBe OffsetDateTime.parse("2024-05-31T08:00:00Z")
            copy.id shouldBe UUID.fromString("9f1c3a52-0b6e-4a7e-9f0a-5b2d8c7e6a10")
            copy.isNull("none") shouldBe true
            copy.getExpanded("nested")!!.table shouldBe null
            copy.getExpandedList("list") shouldHaveSize 2
            jackson2.readValue(text, DataverseRecord::class.java) shouldBe record
        }
    }

    test("a page: its records, continuation token and count; it reads back and continues where it stopped") {
        repeat(3) { client.records.create("contact", mapOf("lastname" to "Paged $it")) }
        val first = client.records.page("contact", ListOptions(select = listOf("lastname"), pageSize = 2, count = true))
        val written = jackson3.writeValueAsString(first)
        val json = Json.parseToJsonElement(written).jsonObject
        json["records"]!!.jsonArray shouldHaveSize 2
        json["hasNext"]!!.jsonPrimitive.content shouldBe "true"
        json["totalCount"]!!.jsonPrimitive.content shouldBe first.totalCount.toString()
        jackson2.writeValueAsString(first) shouldBe written
        for (copy in listOf(jackson3.readValue(written, Page::class.java), jackson2.readValue(written, Page::class.java))) {
            copy.records shouldBe first.records
            copy.continuationToken shouldBe first.continuationToken
            copy.totalCount shouldBe first.totalCount
            copy.totalCountLimitExceeded shouldBe first.totalCountLimitExceeded
            // The token read back fetches the next page, as across two HTTP requests of a web application.
            client.records.page("contact", ListOptions(select = listOf("lastname"), pageSize = 2, count = true), copy.continuationToken)
                .records.first().id shouldBe client.records.page("contact", ListOptions(select = listOf("lastname"), pageSize = 2, count = true), first.continuationToken).records.first().id
        }
    }

    test("a bulk result: counts, outcomes and ids by position, failures with their error but not the inputs") {
        val existing = UUID.randomUUID()
        client.records.create("account", mapOf("accountid" to existing.toString(), "name" to "Existing"))
        val result: BulkResult = client.records.createMany(
            "account",
            listOf(mapOf("name" to "New one"), mapOf("accountid" to existing.toString(), "name" to "Clash"), mapOf("name" to "New two")),
            BulkOptions(chunkSize = 1, continueOnError = true),
        )
        val written = jackson3.writeValueAsString(result)
        jackson2.writeValueAsString(result) shouldBe written
        val json = Json.parseToJsonElement(written).jsonObject
        json["size"]!!.jsonPrimitive.content shouldBe "3"
        json["succeeded"]!!.jsonPrimitive.content shouldBe "2"
        json["failed"]!!.jsonPrimitive.content shouldBe "1"
        json["success"]!!.jsonPrimitive.content shouldBe "false"
        json["outcomes"]!!.jsonArray.map { it.jsonPrimitive.content } shouldBe listOf("SUCCEEDED", "FAILED", "SUCCEEDED")
        json["ids"]!!.jsonArray.map { it.jsonPrimitive.let { p -> if (p.isString) UUID.fromString(p.content) else null } } shouldBe result.ids
        val failure = json["failures"]!!.jsonArray.single().jsonObject
        failure["index"]!!.jsonPrimitive.content shouldBe "1"
        val error = failure["error"]!!.jsonObject
        error["type"]!!.jsonPrimitive.content shouldBe result.failures.single().error.javaClass.name
        error["statusCode"]!!.jsonPrimitive.content shouldBe result.failures.single().error.statusCode.toString()
        failure.keys shouldBe setOf("index", "error")
    }

    test("an entity reference reads back; bad JSON fails as Jackson reports bad input, naming the problem") {
        val reference = EntityReference("contact", UUID.randomUUID())
        jackson3.writeValueAsString(reference) shouldBe """{"table":"contact","id":"${reference.id}"}"""
        jackson3.readValue(jackson3.writeValueAsString(reference), EntityReference::class.java) shouldBe reference
        jackson2.readValue(jackson2.writeValueAsString(reference), EntityReference::class.java) shouldBe reference

        shouldThrow<DatabindException> { jackson3.readValue("""{"table":"contact","id":"not-a-guid"}""", EntityReference::class.java) }
            .message shouldContainText "'id' of an EntityReference must be a GUID"
        shouldThrow<DatabindException> { jackson3.readValue("""{"table":"bad name","id":"${reference.id}"}""", EntityReference::class.java) }
            .message shouldContainText "Invalid table name"
        shouldThrow<DatabindException> { jackson3.readValue("[1,2]", DataverseRecord::class.java) }
            .message shouldContainText "A DataverseRecord is a JSON object"
        shouldThrow<com.fasterxml.jackson.databind.JsonMappingException> { jackson2.readValue("""{"@dataverse.table":"no such/table"}""", DataverseRecord::class.java) }
            .message shouldContainText "Invalid table name"
    }

    test("both modules are services that Jackson's module discovery finds") {
        JsonMapper.builder().findAndAddModules().build().registeredModules().map { it.moduleName } shouldContain DataverseJacksonModule.NAME
        ObjectMapper().findAndRegisterModules().registeredModuleIds shouldContain DataverseJackson2Module.NAME
    }
})
