package dev.dataverse.internal.transport

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe

class RedactionSpec : FunSpec({
    test("bearer tokens and JWTs are removed, other text kept") {
        Redaction.redact("Authorization: Bearer abc.DEF-123_x") shouldBe "Authorization: Bearer <redacted>"
        Redaction.redact("""{"token":"eyJhbGciOi.eyJzdWIiOiIx.sig-_1","name":"Contoso"}""") shouldBe
            """{"token":"<redacted-jwt>","name":"Contoso"}"""
        Redaction.redact("""{"name":"Contoso","revenue":1000}""") shouldBe """{"name":"Contoso","revenue":1000}"""
    }
})
