package dev.dataverse.internal.protocol

import dev.dataverse.InvalidInputException
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.datatest.withData
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain

class IdentifiersSpec : FunSpec({
    test("table names are lower-cased") {
        Identifiers.requireTable("Account") shouldBe "account"
        Identifiers.requireTable("new_product") shouldBe "new_product"
    }

    context("names that are not identifiers are rejected") {
        withData({ s: String -> "'$s'" }, listOf("account/../x", "name'", "", " account", "acc ount", "1account", "account?", "accöunt", "a".repeat(129), "x\u0000")) { name: String ->
            shouldThrow<InvalidInputException> { Identifiers.requireTable(name) }.message shouldContain "Invalid table name"
            shouldThrow<InvalidInputException> { Identifiers.requireColumn(name) }.message shouldContain "Invalid column name"
        }
    }

    test("control characters are shown escaped in messages") {
        shouldThrow<InvalidInputException> { Identifiers.requireColumn("a\nb") }.message shouldContain "a\\u000ab"
    }

    test("order-by clauses are a column and an optional direction") {
        Identifiers.requireOrderBy("name")
        Identifiers.requireOrderBy("createdon desc")
        Identifiers.requireOrderBy("name ASC")
        shouldThrow<InvalidInputException> { Identifiers.requireOrderBy("name sideways") }
        shouldThrow<InvalidInputException> { Identifiers.requireOrderBy("name desc,revenue") }
    }

    test("expand clauses are a navigation property with balanced nested options") {
        Identifiers.requireExpand("primarycontactid")
        Identifiers.requireExpand("primarycontactid(\$select=fullname;\$filter=contains(fullname,'(x'))")
        shouldThrow<InvalidInputException> { Identifiers.requireExpand("primarycontactid(\$select=fullname") }
        shouldThrow<InvalidInputException> { Identifiers.requireExpand("a/b") }
        shouldThrow<InvalidInputException> { Identifiers.requireExpand("x)(") }
    }

    test("GUIDs are parsed strictly, braces allowed") {
        parseGuidOrNull("7b1c0000-0000-0000-0000-000000000001").toString() shouldBe "7b1c0000-0000-0000-0000-000000000001"
        parseGuidOrNull("{7B1C0000-0000-0000-0000-000000000001}").toString() shouldBe "7b1c0000-0000-0000-0000-000000000001"
        parseGuidOrNull("1-1-1-1-1") shouldBe null
        parseGuidOrNull("{7b1c0000-0000-0000-0000-000000000001") shouldBe null
        parseGuidOrNull("7b1c0000-0000-0000-0000-00000000000g") shouldBe null
        shouldThrow<InvalidInputException> { parseGuid("not-a-guid", "id") }.message shouldContain "Invalid id 'not-a-guid'"
    }
})
