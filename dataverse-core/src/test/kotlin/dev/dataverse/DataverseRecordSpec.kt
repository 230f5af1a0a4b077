package dev.dataverse

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlinx.serialization.Serializable
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonObject
import java.math.BigDecimal
import java.time.Instant
import java.time.LocalDate
import java.util.UUID

class DataverseRecordSpec : FunSpec({
    val json = Json.parseToJsonElement(
        """{"@odata.etag":"W/\"81052965\"","accountid":"7b1c0000-0000-0000-0000-000000000001","name":"Contoso",
           "numberofemployees":1200,"revenue":20000.50,"creditonhold":true,"industrycode":1,
           "industrycode@OData.Community.Display.V1.FormattedValue":"Accounting","createdon":"2024-05-31T08:00:00Z",
           "birthdate":"1990-01-31","description":null,"big":9000000000,
           "_primarycontactid_value":"7b1c0000-0000-0000-0000-000000000002",
           "_primarycontactid_value@Microsoft.Dynamics.CRM.lookuplogicalname":"contact",
           "_primarycontactid_value@Microsoft.Dynamics.CRM.associatednavigationproperty":"primarycontactid",
           "primarycontactid":{"fullname":"Jo Doe","contactid":"7b1c0000-0000-0000-0000-000000000002"},
           "contact_customer_accounts":[{"fullname":"A"},{"fullname":"B"}]}""",
    ) as JsonObject
    val record = DataverseRecord("account", "accountid", json)

    test("typed getters read each kind of column") {
        record.id shouldBe UUID.fromString("7b1c0000-0000-0000-0000-000000000001")
        record.etag shouldBe "W/\"81052965\""
        record.getString("name") shouldBe "Contoso"
        record.getInt("numberofemployees") shouldBe 1200
        record.getLong("big") shouldBe 9_000_000_000L
        record.getDecimal("revenue") shouldBe BigDecimal("20000.50")
        record.getDouble("revenue") shouldBe 20000.5
        record.getBoolean("creditonhold") shouldBe true
        record.getInstant("createdon") shouldBe Instant.parse("2024-05-31T08:00:00Z")
        record.getLocalDate("birthdate") shouldBe LocalDate.of(1990, 1, 31)
        record.getUuid("_primarycontactid_value") shouldBe UUID.fromString("7b1c0000-0000-0000-0000-000000000002")
    }

    test("absent and null columns read as null") {
        record.getString("missing") shouldBe null
        record.getString("description") shouldBe null
        record.isNull("description") shouldBe true
        record.contains("description") shouldBe true
        record.contains("missing") shouldBe false
    }

    test("a getter of the wrong type names the column and the value") {
        shouldThrow<ColumnTypeException> { record.getInt("name") }.message shouldContain "Column 'name' of 'account'"
        shouldThrow<ColumnTypeException> { record.getInt("big") }.message shouldContain "not an Int"
        shouldThrow<ColumnTypeException> { record.getLong("revenue") }
        shouldThrow<ColumnTypeException> { record.getBoolean("industrycode") }
        shouldThrow<ColumnTypeException> { record.getUuid("name") }
        shouldThrow<ColumnTypeException> { record.getInstant("name") }
        shouldThrow<ColumnTypeException> { record.getString("primarycontactid") }
    }

    test("annotations give formatted values and lookup targets") {
        record.formattedValue("industrycode") shouldBe "Accounting"
        record.lookupLogicalName("_primarycontactid_value") shouldBe "contact"
        record.associatedNavigationProperty("_primarycontactid_value") shouldBe "primarycontactid"
        record.formattedValue("name") shouldBe null
    }

    test("columns exclude annotations and expansions are records") {
        record.columns.contains("industrycode") shouldBe true
        record.columns.any { '@' in it } shouldBe false
        record.getExpanded("primarycontactid")!!.getString("fullname") shouldBe "Jo Doe"
        record.getExpandedList("contact_customer_accounts").map { it.getString("fullname") } shouldBe listOf("A", "B")
        record.getExpanded("missing") shouldBe null
    }

    test("toMap converts to plain Java values") {
        val map = record.toMap()
        map["numberofemployees"] shouldBe 1200L
        map["revenue"] shouldBe BigDecimal("20000.50")
        map["creditonhold"] shouldBe true
        map["description"] shouldBe null
        (map["primarycontactid"] as Map<*, *>)["fullname"] shouldBe "Jo Doe"
        (map["contact_customer_accounts"] as List<*>).size shouldBe 2
    }

    test("records decode into serializable classes, ignoring annotations") {
        val account = record.decode<AccountView>()
        account shouldBe AccountView(name = "Contoso", numberofemployees = 1200, creditonhold = true)
        shouldThrow<IllegalArgumentException> { record.decode<WrongView>() }.message shouldContain "cannot be decoded"
    }
})

@Serializable
private data class AccountView(val name: String, val numberofemployees: Int, val creditonhold: Boolean)

@Serializable
private data class WrongView(val name: Int)
