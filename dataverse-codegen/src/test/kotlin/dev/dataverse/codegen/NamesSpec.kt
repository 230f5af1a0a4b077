package dev.dataverse.codegen

import dev.dataverse.codegen.internal.Names
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe

/** The identifier rules of generated code, as the README lists them. */
class NamesSpec : FunSpec({
    test("type and property names come from schema names, keywords and generated members escaped") {
        Names.typeName("new_project", "T") shouldBe "NewProject"
        Names.typeName("Account", "T") shouldBe "Account"
        Names.typeName("9lives", "T") shouldBe "_9lives"
        Names.typeName("___", "Table") shouldBe "Table"
        Names.propertyName("PrimaryContactId", "c") shouldBe "primaryContactId"
        Names.propertyName("Class", "c") shouldBe "class_"
        Names.propertyName("When", "c") shouldBe "when_"
        Names.propertyName("Record", "c") shouldBe "record_"
        Names.propertyName("Copy", "c") shouldBe "copy_"
        Names.propertyName("ÉtatCivil", "c") shouldBe "etatCivil"
    }

    test("column constants are upper-cased logical names; MODEL is taken") {
        Names.constantName("new_color") shouldBe "NEW_COLOR"
        Names.constantName("model") shouldBe "MODEL_COLUMN"
    }

    test("choice constants: labels folded, missing labels, leading digits and duplicates") {
        Names.choiceConstants(
            listOf(1 to "Not started!", 2 to null, 3 to "2nd", 4 to "Red", 5 to "red", -1 to "", 6 to "Ünïcode façade", 7 to "Red 4"),
        ) shouldBe listOf("NOT_STARTED", "VALUE_2", "_2ND", "RED_4", "RED_5", "VALUE_MINUS_1", "UNICODE_FACADE", "RED_4_2")
    }

    test("literals and comments cannot break out of their syntax") {
        Names.literal("a\"b\\c\$d\n", kotlin = true) shouldBe "\"a\\\"b\\\\c\\\$d\\n\""
        Names.literal("a\$b", kotlin = false) shouldBe "\"a\$b\""
        Names.comment("x */ y /* z\nw") shouldBe "x *&#47; y &#47;* z w"
    }
})
