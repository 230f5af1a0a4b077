package dev.dataverse

import dev.dataverse.Filter
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.time.Instant
import java.time.LocalDate
import java.util.UUID

class FilterSpec : FunSpec({
    test("comparisons format their literal by type") {
        Filter.eq("name", "O'Neil").toODataString() shouldBe "name eq 'O''Neil'"
        Filter.ne("statecode", 1).toODataString() shouldBe "statecode ne 1"
        Filter.gt("revenue", java.math.BigDecimal("1E+3")).toODataString() shouldBe "revenue gt 1000"
        Filter.le("createdon", Instant.parse("2024-01-02T03:04:05Z")).toODataString() shouldBe "createdon le 2024-01-02T03:04:05Z"
        Filter.eq("birthdate", LocalDate.of(1990, 1, 31)).toODataString() shouldBe "birthdate eq 1990-01-31"
        Filter.eq("_primarycontactid_value", UUID.fromString("00000000-0000-0000-0000-000000000001")).toODataString() shouldBe
            "_primarycontactid_value eq 00000000-0000-0000-0000-000000000001"
        Filter.eq("creditonhold", false).toODataString() shouldBe "creditonhold eq false"
        Filter.isNull("telephone1").toODataString() shouldBe "telephone1 eq null"
        Filter.isNotNull("telephone1").toODataString() shouldBe "telephone1 ne null"
    }

    test("string functions quote their text") {
        Filter.contains("name", "a'b").toODataString() shouldBe "contains(name,'a''b')"
        Filter.startsWith("name", "x").toODataString() shouldBe "startswith(name,'x')"
        Filter.endsWith("name", "").toODataString() shouldBe "endswith(name,'')"
    }

    test("and/or/not are parenthesised only where precedence needs it") {
        val a = Filter.eq("a", 1)
        val b = Filter.eq("b", 2)
        val c = Filter.eq("c", 3)
        (a and b and c).toODataString() shouldBe "a eq 1 and b eq 2 and c eq 3"
        ((a or b) and c).toODataString() shouldBe "(a eq 1 or b eq 2) and c eq 3"
        (a or (b and c)).toODataString() shouldBe "a eq 1 or b eq 2 and c eq 3"
        (a and (b or c)).toODataString() shouldBe "a eq 1 and (b eq 2 or c eq 3)"
        (!(a or b)).toODataString() shouldBe "not (a eq 1 or b eq 2)"
        (Filter.raw("x eq 1 or y eq 2") and a).toODataString() shouldBe "(x eq 1 or y eq 2) and a eq 1"
    }

    test("in and between expand to comparisons") {
        Filter.isIn("statuscode", listOf(1, 2)).toODataString() shouldBe "statuscode eq 1 or statuscode eq 2"
        (Filter.isIn("statuscode", listOf(1, 2)) and Filter.eq("x", 0)).toODataString() shouldBe "(statuscode eq 1 or statuscode eq 2) and x eq 0"
        Filter.between("numberofemployees", 10, 20).toODataString() shouldBe "numberofemployees ge 10 and numberofemployees le 20"
    }

    test("the Kotlin DSL reads like the expression") {
        val filter = where { ("statecode" eq 0) and ("name" contains "Contoso") and not("creditonhold" eq true) and ("revenue" between 1..5) }
        filter.toODataString() shouldBe "statecode eq 0 and contains(name,'Contoso') and not (creditonhold eq true) and revenue ge 1 and revenue le 5"
        filter.columns shouldBe setOf("statecode", "name", "creditonhold", "revenue")
    }

    test("bad input fails at construction") {
        shouldThrow<InvalidInputException> { Filter.isIn("statuscode", emptyList()) }.message shouldContain "at least one value"
        shouldThrow<InvalidInputException> { Filter.eq("name'", 1) }
        shouldThrow<InvalidInputException> { Filter.eq("name", Any()) }.message shouldContain "filter column 'name'"
        shouldThrow<InvalidInputException> { Filter.eq("revenue", Double.NaN) }
        shouldThrow<InvalidInputException> { Filter.contains("name", "\uD800") }
        shouldThrow<InvalidInputException> { Filter.raw(" ") }
        shouldThrow<InvalidInputException> { Filter.all() }
    }

    test("expand clauses render nested options") {
        Expand("contact_customer_accounts", listOf("fullname"), Filter.eq("statecode", 0), listOf("fullname desc"), 5).toODataString() shouldBe
            "contact_customer_accounts(\$select=fullname;\$filter=statecode eq 0;\$orderby=fullname desc;\$top=5)"
        Expand("primarycontactid").toODataString() shouldBe "primarycontactid"
        Expand.raw("primarycontactid(\$select=fullname;\$expand=parentcustomerid_account(\$select=name))").toODataString() shouldBe
            "primarycontactid(\$select=fullname;\$expand=parentcustomerid_account(\$select=name))"
        Expand.raw("primarycontactid").navigationProperty shouldBe "primarycontactid"
        shouldThrow<InvalidInputException> { Expand.raw("primarycontactid(\$select=fullname") }
        shouldThrow<InvalidInputException> { Expand.raw("1nav") }
        shouldThrow<InvalidInputException> { Expand("x", top = 0) }
        ListOptions.builder().expand(Expand("primarycontactid", listOf("fullname"))).build().expand.map { it.toODataString() } shouldBe listOf("primarycontactid(\$select=fullname)")
    }
})
