package dev.dataverse

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.math.BigDecimal
import java.util.UUID

/** A record made from JSON text, as deserializers and caches make them: the same record, or a clear refusal. */
class DataverseRecordFromJsonSpec : FunSpec({
    val id = UUID.fromString("7a4c1e2b-3d5f-4a6b-8c9d-0e1f2a3b4c5d")

    test("the record answers as one from the service: its table, id column, values and annotations, numbers exact") {
        val json = """{"@odata.etag":"W/\"7\"","accountid":"$id","revenue":1000.50,"revenue@OData.Community.Display.V1.FormattedValue":"$1,000.50"}"""
        val record = DataverseRecord.fromJson("Account", "accountid", json)
        record.table shouldBe "account"
        record.primaryIdColumn shouldBe "accountid"
        record.id shouldBe id
        record.etag shouldBe "W/\"7\""
        record.getDecimal("revenue")!!.scale() shouldBe 2
        record.getDecimal("revenue") shouldBe BigDecimal("1000.50")
        record.formattedValue("revenue") shouldBe "$1,000.50"
        record.toJsonString() shouldBe json
        DataverseRecord.fromJson("account", "accountid", record.toJsonString()) shouldBe record
    }

    test("a nested record has neither table nor id column") {
        val record = DataverseRecord.fromJson(null, null, """{"contactid":"$id"}""")
        record.table shouldBe null
        record.id shouldBe null
        record.getUuid("contactid") shouldBe id
    }

    test("expanded records keep the tables this library's annotations name, at any depth, and lose the annotations") {
        val contact = UUID.fromString("0d7f2b8e-1c2a-4b3c-8d4e-5f6a7b8c9d0e")
        val json = """{"accountid":"$id","primarycontactid":{"@dataverse.table":"contact","@dataverse.primaryidcolumn":"contactid",""" +
            """"contactid":"$contact","parentcustomerid_account":{"@dataverse.table":"account","@dataverse.primaryidcolumn":"accountid","accountid":"$id"}},""" +
            """"contact_customer_accounts":[{"@dataverse.table":"contact","@dataverse.primaryidcolumn":"contactid","contactid":"$contact"},{"contactid":"$id"}],""" +
            """"plain":{"x":1}}"""
        val record = DataverseRecord.fromJson("account", "accountid", json)

        val primary = record.getExpanded("primarycontactid")!!
        primary.table shouldBe "contact"
        primary.id shouldBe contact
        primary.columns shouldBe setOf("contactid", "parentcustomerid_account")
        primary.getExpanded("parentcustomerid_account")!!.id shouldBe id
        // One target per navigation property, as the client resolves them: every item of a list is of the first's table.
        record.getExpandedList("contact_customer_accounts").map { it.table to it.id } shouldBe listOf("contact" to contact, "contact" to id)
        record.getExpanded("plain")!!.table shouldBe null
        record.toJsonString() shouldContain """"primarycontactid":{"contactid":"$contact","parentcustomerid_account":{"accountid":"$id"}}"""
        record.toJsonString().contains("@dataverse") shouldBe false

        shouldThrow<InvalidInputException> { DataverseRecord.fromJson(null, null, """{"n":{"@dataverse.table":"no such/table"}}""") }
            .message shouldContain "Invalid table name"
    }

    test("anything but a JSON object, or a name that is not a logical name, is refused before a record exists") {
        shouldThrow<InvalidInputException> { DataverseRecord.fromJson("account", "accountid", "[1]") }.message shouldContain "must be a JSON object"
        shouldThrow<InvalidInputException> { DataverseRecord.fromJson("account", "accountid", "{\"a\":") }.message shouldContain "not valid JSON"
        shouldThrow<InvalidInputException> { DataverseRecord.fromJson("account/../x", "accountid", "{}") }.message shouldContain "Invalid table name"
        shouldThrow<InvalidInputException> { DataverseRecord.fromJson("account", "id'", "{}") }.message shouldContain "primary id column"
    }
})
