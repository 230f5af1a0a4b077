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

    // The parsers are hand-written for speed; these compare them with the grammar written as a regex, on near misses.
    test("GUID parsing agrees with the 8-4-4-4-12 grammar on every one-character change of a GUID") {
        val grammar = Regex("\\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})}?")
        val base = "{0123abcd-4567-89EF-aBcD-0123456789ef}"
        val replacements = "0aF-{}g G\u0663\uFF10/x\u0000"
        val candidates = buildList {
            for (text in listOf(base, base.trim('{', '}'))) {
                add(text)
                for (i in text.indices) {
                    add(text.removeRange(i, i + 1))
                    for (c in replacements) add(text.substring(0, i) + c + text.substring(i + 1))
                }
                add("$text ")
                add("{$text")
            }
        }
        for (text in candidates) {
            val match = grammar.matchEntire(text)?.takeIf { text.startsWith('{') == text.endsWith('}') }
            parseGuidOrNull(text) shouldBe match?.let { java.util.UUID.fromString(it.groupValues[1]) }
        }
    }

    test("identifier checks agree with [A-Za-z_][A-Za-z0-9_]{0,127} on letters, digits, edges and lengths") {
        val grammar = Regex("[A-Za-z_][A-Za-z0-9_]{0,127}")
        val characters = "aZz_09@`[{/:\u00E9\u0663 -"
        val candidates = buildList {
            for (a in characters) {
                add("$a")
                for (b in characters) add("$a$b")
            }
            for (length in listOf(127, 128, 129)) {
                add("a".repeat(length))
                add("_" + "9".repeat(length - 1))
            }
        }
        for (name in candidates) Identifiers.isIdentifier(name) shouldBe grammar.matches(name)
    }
})
