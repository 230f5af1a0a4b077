package dev.dataverse.emulator

import dev.dataverse.emulator.internal.ApiException
import dev.dataverse.emulator.internal.odata.KeyPredicate
import dev.dataverse.emulator.internal.odata.Literal
import dev.dataverse.emulator.internal.odata.PathSegment
import dev.dataverse.emulator.internal.odata.PercentCoding
import dev.dataverse.emulator.internal.odata.RequestTarget
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe

class RequestTargetSpec : FunSpec({
    val root = "/api/data/v9.2"

    test("path segments keep quoted slashes and parentheses; query options decode both spellings") {
        val target = RequestTarget.parse("$root/accounts(accountnumber='A%2FB(1)')/name?%24select=a,b&\$filter=x+eq+'1%2B1'", root)!!
        target.segments shouldBe listOf(PathSegment("accounts", "accountnumber='A/B(1)'"), PathSegment("name", null))
        target.option("\$select") shouldBe "a,b"
        target.option("\$FILTER") shouldBe "x eq '1+1'"
        target.rawPath shouldBe "accounts(accountnumber='A%2FB(1)')/name"
    }

    test("the root, trailing slashes and foreign paths") {
        RequestTarget.parse(root, root)!!.segments shouldBe emptyList()
        RequestTarget.parse("$root/", root)!!.segments shouldBe emptyList()
        RequestTarget.parse("$root/accounts/", root)!!.segments shouldBe listOf(PathSegment("accounts", null))
        RequestTarget.parse("/api/data/v9.1/accounts", root) shouldBe null
    }

    test("percent-decoding is UTF-8, keeps + in paths and rejects broken escapes") {
        PercentCoding.decodePath("Z%C3%BCrich+1") shouldBe "Zürich+1"
        PercentCoding.decodeQuery("a+b%2Bc") shouldBe "a b+c"
        PercentCoding.encodeQuery("<cookie a=\"1\"/> ü") shouldBe "%3Ccookie%20a%3D%221%22%2F%3E%20%C3%BC"
        shouldThrow<ApiException> { PercentCoding.decodePath("%G1") }.status shouldBe 400
    }

    test("key predicates: empty, single value, named values, invalid") {
        KeyPredicate.parse("") shouldBe KeyPredicate.Empty
        KeyPredicate.parse("12345678-1234-1234-1234-123456789012") shouldBe
            KeyPredicate.Single(Literal.Guid(java.util.UUID.fromString("12345678-1234-1234-1234-123456789012")))
        KeyPredicate.parse("firstname='Joe',age=3") shouldBe
            KeyPredicate.Named(mapOf("firstname" to Literal.Text("Joe"), "age" to Literal.Integer(3)))
        KeyPredicate.parse("name='O''Neil'") shouldBe KeyPredicate.Named(mapOf("name" to Literal.Text("O'Neil")))
        KeyPredicate.parse("name=") shouldBe null
        KeyPredicate.parse("name='x' extra") shouldBe null
        KeyPredicate.parse("a=1,a=2") shouldBe null
        KeyPredicate.parse("name='unterminated") shouldBe null
    }
})
