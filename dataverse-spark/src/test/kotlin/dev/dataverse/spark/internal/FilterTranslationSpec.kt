package dev.dataverse.spark.internal

import dev.dataverse.ColumnType
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.nulls.shouldBeNull
import io.kotest.matchers.shouldBe
import org.apache.spark.sql.sources.And
import org.apache.spark.sql.sources.EqualNullSafe
import org.apache.spark.sql.sources.EqualTo
import org.apache.spark.sql.sources.GreaterThan
import org.apache.spark.sql.sources.In
import org.apache.spark.sql.sources.IsNull
import org.apache.spark.sql.sources.LessThanOrEqual
import org.apache.spark.sql.sources.Not
import org.apache.spark.sql.sources.Or
import org.apache.spark.sql.sources.StringContains
import org.apache.spark.sql.sources.StringStartsWith
import java.math.BigDecimal
import java.time.Instant
import java.time.LocalDate

class FilterTranslationSpec : FunSpec({
    val bindings = listOf(
        ColumnBinding("name", "name", ColumnType.STRING, BindingKind.VALUE),
        ColumnBinding("n", "n", ColumnType.INTEGER, BindingKind.VALUE),
        ColumnBinding("revenue", "revenue", ColumnType.MONEY, BindingKind.VALUE),
        ColumnBinding("createdon", "createdon", ColumnType.DATE_TIME, BindingKind.VALUE),
        ColumnBinding("birthday", "birthday", ColumnType.DATE_ONLY, BindingKind.VALUE),
        ColumnBinding("flag", "flag", ColumnType.BOOLEAN, BindingKind.VALUE),
        ColumnBinding("industrycode", "industrycode", ColumnType.CHOICE, BindingKind.VALUE),
        ColumnBinding("industrycode_label", "industrycode", ColumnType.CHOICE, BindingKind.CHOICE_LABEL),
        ColumnBinding("primarycontactid", "primarycontactid", ColumnType.LOOKUP, BindingKind.LOOKUP_ID),
        ColumnBinding("accountid", "accountid", ColumnType.UNIQUE_IDENTIFIER, BindingKind.VALUE),
    ).associateBy { it.name }

    fun pushed(filter: org.apache.spark.sql.sources.Filter) = FilterTranslation.translate(filter, bindings)?.let { it.filter.toODataString() to it.exact }

    test("numbers, dates, booleans and choices are pushed exactly, with escaped literals") {
        pushed(GreaterThan("n", 5)) shouldBe ("n gt 5" to true)
        pushed(LessThanOrEqual("revenue", BigDecimal("10.50"))) shouldBe ("revenue le 10.50" to true)
        pushed(EqualTo("createdon", java.sql.Timestamp.from(Instant.parse("2024-05-01T10:00:00Z")))) shouldBe ("createdon eq 2024-05-01T10:00:00Z" to true)
        pushed(GreaterThan("birthday", LocalDate.parse("2000-01-31"))) shouldBe ("birthday gt 2000-01-31" to true)
        pushed(EqualTo("flag", true)) shouldBe ("flag eq true" to true)
        pushed(In("industrycode", arrayOf(1, 2))) shouldBe ("industrycode eq 1 or industrycode eq 2" to true)
        pushed(Not(EqualTo("n", 3))) shouldBe ("not (n eq 3)" to true)
        pushed(And(GreaterThan("n", 1), Or(IsNull("revenue"), EqualTo("flag", false)))) shouldBe
            ("n gt 1 and (revenue eq null or flag eq false)" to true)
    }

    test("text is pushed as a superset Spark checks again (the service ignores case); text ranges and negations are not pushed") {
        pushed(EqualTo("name", "O'Neil")) shouldBe ("name eq 'O''Neil'" to false)
        pushed(StringStartsWith("name", "Con")) shouldBe ("startswith(name,'Con')" to false)
        pushed(StringContains("name", "a")) shouldBe ("contains(name,'a')" to false)
        pushed(And(EqualTo("name", "x"), GreaterThan("n", 1))) shouldBe ("name eq 'x' and n gt 1" to false)
        pushed(GreaterThan("name", "B")).shouldBeNull()
        pushed(Not(EqualTo("name", "x"))).shouldBeNull()
        pushed(Or(GreaterThan("name", "B"), GreaterThan("n", 1))).shouldBeNull()
    }

    test("GUIDs (ids, lookups) are compared for equality only: the service orders them as SQL Server does") {
        val id = "5e000000-0000-4000-8000-000000000001"
        pushed(EqualTo("primarycontactid", id)) shouldBe ("_primarycontactid_value eq $id" to false)
        pushed(EqualTo("accountid", id)) shouldBe ("accountid eq $id" to false)
        pushed(GreaterThan("accountid", id)).shouldBeNull()
        pushed(EqualTo("accountid", "not-a-guid")).shouldBeNull()
    }

    test("labels, unknown columns, null comparisons and null-safe equality stay with Spark") {
        pushed(EqualTo("industrycode_label", "Consulting")).shouldBeNull()
        pushed(EqualTo("missing", 1)).shouldBeNull()
        pushed(EqualTo("n", null)).shouldBeNull()
        pushed(EqualNullSafe("n", 1)).shouldBeNull()
        pushed(EqualTo("n", "five")).shouldBeNull()
        pushed(GreaterThan("n", Double.NaN)).shouldBeNull()
    }
})
