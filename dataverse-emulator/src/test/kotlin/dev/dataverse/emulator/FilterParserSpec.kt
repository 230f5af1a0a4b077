package dev.dataverse.emulator

import dev.dataverse.emulator.internal.ApiException
import dev.dataverse.emulator.internal.odata.ComparisonOperator
import dev.dataverse.emulator.internal.odata.FilterExpression
import dev.dataverse.emulator.internal.odata.FilterExpression.And
import dev.dataverse.emulator.internal.odata.FilterExpression.Comparison
import dev.dataverse.emulator.internal.odata.FilterExpression.Not
import dev.dataverse.emulator.internal.odata.FilterExpression.Or
import dev.dataverse.emulator.internal.odata.FilterParser
import dev.dataverse.emulator.internal.odata.Literal
import dev.dataverse.emulator.internal.odata.QueryFunction
import dev.dataverse.emulator.internal.odata.StringFunction
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.datatest.withData
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.math.BigDecimal
import java.time.Instant
import java.time.LocalDate
import java.util.UUID

class FilterParserSpec : FunSpec({
    fun parse(text: String): FilterExpression = FilterParser.parse(text)
    fun eq(property: String, value: Literal) = Comparison(property, ComparisonOperator.EQ, value)

    test("and binds tighter than or") {
        parse("a eq 1 or b eq 2 and c eq 3") shouldBe
            Or(eq("a", Literal.Integer(1)), And(eq("b", Literal.Integer(2)), eq("c", Literal.Integer(3))))
    }

    test("not binds tighter than and, and applies to a whole comparison") {
        parse("not a eq 1 and b eq 2") shouldBe And(Not(eq("a", Literal.Integer(1))), eq("b", Literal.Integer(2)))
    }

    test("parentheses override precedence") {
        parse("(a eq 1 or b eq 2) and c eq 3") shouldBe
            And(Or(eq("a", Literal.Integer(1)), eq("b", Literal.Integer(2))), eq("c", Literal.Integer(3)))
    }

    test("and and or are left-associative") {
        parse("a eq 1 and b eq 2 and c eq 3") shouldBe
            And(And(eq("a", Literal.Integer(1)), eq("b", Literal.Integer(2))), eq("c", Literal.Integer(3)))
    }

    context("every comparison operator") {
        withData(ComparisonOperator.entries.toList()) { operator ->
            parse("x ${operator.keyword} 5") shouldBe Comparison("x", operator, Literal.Integer(5))
        }
    }

    test("a literal on the left is mirrored so the property is on the left") {
        parse("5 lt x") shouldBe Comparison("x", ComparisonOperator.GT, Literal.Integer(5))
        parse("'a' eq name") shouldBe eq("name", Literal.Text("a"))
    }

    test("string literals: doubled quotes, any Unicode, reserved characters") {
        parse("name eq 'O''Neil'") shouldBe eq("name", Literal.Text("O'Neil"))
        parse("name eq ''''") shouldBe eq("name", Literal.Text("'"))
        parse("name eq ''") shouldBe eq("name", Literal.Text(""))
        parse("name eq 'Zürich 東京 & (x) eq 1 or'") shouldBe eq("name", Literal.Text("Zürich 東京 & (x) eq 1 or"))
    }

    test("numeric literals: integers, negatives, decimals, exponents, beyond 64 bits") {
        parse("n eq 42") shouldBe eq("n", Literal.Integer(42))
        parse("n eq -3") shouldBe eq("n", Literal.Integer(-3))
        parse("n eq 12.5") shouldBe eq("n", Literal.Decimal(BigDecimal("12.5"), hasExponent = false))
        parse("n eq 1E10") shouldBe eq("n", Literal.Decimal(BigDecimal("1E10"), hasExponent = true))
        parse("n eq 99999999999999999999") shouldBe eq("n", Literal.Decimal(BigDecimal("99999999999999999999"), hasExponent = false))
    }

    test("boolean, null, GUID, date-time and date literals") {
        parse("b eq true") shouldBe eq("b", Literal.Bool(true))
        parse("b ne false") shouldBe Comparison("b", ComparisonOperator.NE, Literal.Bool(false))
        parse("x eq null") shouldBe eq("x", Literal.Null)
        val id = UUID.fromString("a1b2c3d4-0000-4000-8000-00000000abcd")
        parse("_primarycontactid_value eq $id") shouldBe eq("_primarycontactid_value", Literal.Guid(id))
        parse("id eq 12345678-1234-1234-1234-123456789012") shouldBe eq("id", Literal.Guid(UUID.fromString("12345678-1234-1234-1234-123456789012")))
        parse("d gt 2024-01-02T03:04:05Z") shouldBe Comparison("d", ComparisonOperator.GT, Literal.DateTime(Instant.parse("2024-01-02T03:04:05Z")))
        parse("d gt 2024-01-02T03:04:05.123+02:00") shouldBe
            Comparison("d", ComparisonOperator.GT, Literal.DateTime(Instant.parse("2024-01-02T01:04:05.123Z")))
        parse("d le 2024-01-02") shouldBe Comparison("d", ComparisonOperator.LE, Literal.Date(LocalDate.of(2024, 1, 2)))
    }

    test("string functions, alone, negated and compared with booleans") {
        parse("contains(name,'x')") shouldBe FilterExpression.Function(StringFunction.CONTAINS, "name", "x")
        parse("startswith(name, 'a''b')") shouldBe FilterExpression.Function(StringFunction.STARTS_WITH, "name", "a'b")
        parse("not endswith(name,'z')") shouldBe Not(FilterExpression.Function(StringFunction.ENDS_WITH, "name", "z"))
        parse("contains(name,'x') eq false") shouldBe Not(FilterExpression.Function(StringFunction.CONTAINS, "name", "x"))
        parse("contains(name,'x') eq true") shouldBe FilterExpression.Function(StringFunction.CONTAINS, "name", "x")
    }

    test("query functions of the Microsoft.Dynamics.CRM namespace") {
        parse("Microsoft.Dynamics.CRM.In(PropertyName='name',PropertyValues=['a','O''Neil'])") shouldBe
            FilterExpression.QueryFunctionCall(QueryFunction.IN, "name", listOf(Literal.Text("a"), Literal.Text("O'Neil")))
        parse("not Microsoft.Dynamics.CRM.Between(PropertyName='n',PropertyValues=['1',2]) or a eq 1") shouldBe
            Or(Not(FilterExpression.QueryFunctionCall(QueryFunction.BETWEEN, "n", listOf(Literal.Text("1"), Literal.Integer(2)))), eq("a", Literal.Integer(1)))
    }

    context("errors name what was not understood") {
        withData(
            mapOf(
                "empty" to ("" to "empty"),
                "missing operand" to ("name eq" to "ended"),
                "missing operator" to ("name 'x'" to "comparison operator"),
                "unknown operator" to ("name like 'x'" to "comparison operator"),
                "unterminated string" to ("name eq 'abc" to "unterminated"),
                "unbalanced parenthesis" to ("(name eq 'a'" to "')'"),
                "trailing token" to ("name eq 'a' 'b'" to "'and' or 'or'"),
                "unknown function" to ("tolower(name) eq 'a'" to "not supported"),
                "two properties" to ("name eq accountnumber" to "two properties"),
                "two literals" to ("1 eq 1" to "two literal"),
                "navigation path" to ("primarycontactid/fullname eq 'x'" to "not supported"),
                "unknown query function" to ("Microsoft.Dynamics.CRM.LastXDays(PropertyName='createdon',PropertyValue=3)" to "not supported"),
                "query function without values" to ("Microsoft.Dynamics.CRM.In(PropertyName='name')" to "PropertyValues"),
                "query function with an unknown parameter" to ("Microsoft.Dynamics.CRM.In(PropertyName='name',Values=['a'])" to "'Values'"),
                "Between with three values" to ("Microsoft.Dynamics.CRM.Between(PropertyName='n',PropertyValues=['1','2','3'])" to "exactly 2"),
                "query function with a non-string property name" to ("Microsoft.Dynamics.CRM.In(PropertyName=name,PropertyValues=['a'])" to "string literal"),
                "invalid character" to ("name eq @p1" to "'@'"),
                "bad literal" to ("n eq 12abc" to "not a valid literal"),
                "function with literal first" to ("contains('x',name)" to "first argument"),
                "function with non-string" to ("contains(name,1)" to "string literal"),
                "uppercase keyword" to ("a eq 1 AND b eq 2" to "'and' or 'or'"),
                "invalid date" to ("d eq 2024-13-45" to "not valid"),
            ),
        ) { (text, expected) ->
            val error = shouldThrow<ApiException> { parse(text) }
            error.status shouldBe 400
            error.code shouldBe "0x80060888"
            error.message shouldContain expected
        }
    }
})
