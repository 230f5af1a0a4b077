package dev.dataverse.internal.protocol

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe

class RedactionSpec : FunSpec({
    test("bearer tokens and JWTs are removed, other text kept") {
        Redaction.redact("Authorization: Bearer abc.DEF-123_x") shouldBe "Authorization: Bearer <redacted>"
        Redaction.redact("""{"token":"eyJhbGciOi.eyJzdWIiOiIx.sig-_1","name":"Contoso"}""") shouldBe
            """{"token":"<redacted-jwt>","name":"Contoso"}"""
        Redaction.redact("""{"name":"Contoso","revenue":1000}""") shouldBe """{"name":"Contoso","revenue":1000}"""
    }

    test("a token in use is removed wherever it appears, in values quoted from responses too, until it is forgotten") {
        val token = "plain-fixed-token-${java.util.UUID.randomUUID()}"
        Redaction.redact("echo $token") shouldBe "echo $token"
        Redaction.remember(token)
        try {
            Redaction.redact("echo $token and $token") shouldBe "echo <redacted> and <redacted>"
            Identifiers.quote("not a GUID: $token") shouldBe "'not a GUID: <redacted>'"
        } finally {
            Redaction.forget(token)
        }
        Redaction.redact("echo $token") shouldBe "echo $token"
    }

    test("the token cache remembers the token it holds, forgets the one it replaces and its last one when closed") {
        val first = "first-token-${java.util.UUID.randomUUID()}"
        val second = "second-token-${java.util.UUID.randomUUID()}"
        var next = first
        val cache = dev.dataverse.internal.transport.TokenCache(
            { dev.dataverse.AccessToken(next, java.time.Instant.now().plusSeconds(3600)) }, "scope",
        )
        kotlinx.coroutines.runBlocking { cache.token() } shouldBe first
        Redaction.redact(first) shouldBe "<redacted>"
        cache.invalidate(first)
        next = second
        kotlinx.coroutines.runBlocking { cache.token() } shouldBe second
        Redaction.redact("$first $second") shouldBe "$first <redacted>"
        cache.close()
        Redaction.redact(second) shouldBe second
    }
})
