package dev.dataverse.internal.protocol

import dev.dataverse.EntityReference
import dev.dataverse.InvalidInputException
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlinx.serialization.json.JsonPrimitive
import java.io.File
import java.math.BigDecimal
import java.time.Instant
import java.time.LocalDate
import java.util.UUID

class PayloadsSpec : FunSpec({
    val noReferences: (String) -> String = { error("unexpected lookup of $it") }

    test("values are converted by type") {
        val id = UUID.fromString("00000000-0000-0000-0000-000000000002")
        val json = Payloads.toJson(
            linkedMapOf(
                "name" to "Contoso \"quoted\"",
                "numberofemployees" to 12,
                "revenue" to BigDecimal("1234.50"),
                "creditonhold" to false,
                "description" to null,
                "accountid" to id,
                "lastonholdtime" to Instant.parse("2024-05-31T08:00:00Z"),
                "birthdate" to LocalDate.of(1990, 1, 31),
                "ratio" to 0.25,
                "custom" to JsonPrimitive("raw"),
            ),
            noReferences,
        )
        json.toString() shouldBe """{"name":"Contoso \"quoted\"","numberofemployees":12,"revenue":1234.50,"creditonhold":false,""" +
            """"description":null,"accountid":"00000000-0000-0000-0000-000000000002","lastonholdtime":"2024-05-31T08:00:00Z",""" +
            """"birthdate":"1990-01-31","ratio":0.25,"custom":"raw"}"""
    }

    test("entity references become @odata.bind with the resolved entity set") {
        val id = UUID.fromString("00000000-0000-0000-0000-000000000003")
        val values = mapOf("lastname" to "Doe", "parentcustomerid_account" to EntityReference("Account", id))
        Payloads.referencedTables(values) shouldBe setOf("account")
        Payloads.toJson(values) { "accounts" }.toString() shouldBe
            """{"lastname":"Doe","parentcustomerid_account@odata.bind":"/accounts(00000000-0000-0000-0000-000000000003)"}"""
    }

    test("nested maps and lists are sent as deep-insert objects, with their references") {
        val id = UUID.fromString("00000000-0000-0000-0000-000000000004")
        val values = mapOf("name" to "A", "contact_customer_accounts" to listOf(mapOf("lastname" to "B", "ownerid" to EntityReference("systemuser", id))))
        Payloads.referencedTables(values) shouldBe setOf("systemuser")
        Payloads.toJson(values) { "systemusers" }.toString() shouldBe
            """{"name":"A","contact_customer_accounts":[{"lastname":"B","ownerid@odata.bind":"/systemusers(00000000-0000-0000-0000-000000000004)"}]}"""
    }

    test("explicit @odata.bind strings pass through") {
        Payloads.toJson(mapOf("primarycontactid@odata.bind" to "/contacts(00000000-0000-0000-0000-000000000001)"), noReferences)
            .toString() shouldBe """{"primarycontactid@odata.bind":"/contacts(00000000-0000-0000-0000-000000000001)"}"""
    }

    test("an unsupported value fails naming the column") {
        val error = shouldThrow<InvalidInputException> { Payloads.toJson(mapOf("name" to "x", "attachment" to File("a")), noReferences) }
        error.message shouldContain "'attachment'"
        error.message shouldContain "java.io.File"
        shouldThrow<InvalidInputException> { Payloads.toJson(mapOf("nested" to mapOf("deep" to Any())), noReferences) }
            .message shouldContain "'nested.deep'"
        shouldThrow<InvalidInputException> { Payloads.toJson(mapOf("items" to listOf(1, Double.NaN)), noReferences) }
            .message shouldContain "'items[1]'"
        shouldThrow<InvalidInputException> { Payloads.toJson(mapOf("items" to listOf(mapOf("ok" to 1), mapOf("deep" to Any()))), noReferences) }
            .message shouldContain "'items[1].deep'"
        shouldThrow<InvalidInputException> { Payloads.toJson(mapOf("rows" to arrayOf(listOf("a", "\uD800"))), noReferences) }
            .message shouldContain "'rows[0][1]'"
    }

    test("invalid column names are rejected") {
        shouldThrow<InvalidInputException> { Payloads.toJson(mapOf("na me" to 1), noReferences) }.message shouldContain "'na me'"
        shouldThrow<InvalidInputException> { Payloads.toJson(mapOf("name'" to 1), noReferences) }
        shouldThrow<InvalidInputException> { Payloads.toJson(mapOf("x@odata.evil" to 1), noReferences) }
        shouldThrow<InvalidInputException> {
            Payloads.toJson(mapOf("a@odata.bind" to EntityReference("account", UUID.randomUUID())), noReferences)
        }.message shouldContain "without '@odata.bind'"
    }
})
