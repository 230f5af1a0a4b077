package dev.dataverse.internal.protocol

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.property.Arb
import io.kotest.property.arbitrary.string
import io.kotest.property.checkAll
import java.net.URLDecoder

class UrlEncodingSpec : FunSpec({
    test("query values keep OData punctuation readable and encode everything that could split the query") {
        UrlEncoding.query("name eq 'O''Neil'") shouldBe "name%20eq%20'O''Neil'"
        UrlEncoding.query("a&b=c#d+e%f?g") shouldBe "a%26b%3Dc%23d%2Be%25f%3Fg"
        UrlEncoding.query("\$select") shouldBe "\$select"
        UrlEncoding.query("é") shouldBe "%C3%A9"
    }

    test("path segments encode slashes, question marks and hashes but keep key syntax") {
        UrlEncoding.pathSegment("accountnumber='A/B?C#D'") shouldBe "accountnumber='A%2FB%3FC%23D'"
        UrlEncoding.pathSegment("firstname='Joe',lastname='Doe'") shouldBe "firstname='Joe',lastname='Doe'"
    }

    test("every encoded string decodes back to itself") {
        checkAll(2_000, Arb.string(0..40)) { text ->
            val wellFormed = runCatching { ODataLiterals.requireWellFormed(text) }.isSuccess
            if (wellFormed) {
                // URLDecoder treats '+' as space, which is exactly why '+' must always be percent-encoded.
                URLDecoder.decode(UrlEncoding.query(text), Charsets.UTF_8) shouldBe text
                URLDecoder.decode(UrlEncoding.pathSegment(text), Charsets.UTF_8) shouldBe text
            }
        }
    }
})
