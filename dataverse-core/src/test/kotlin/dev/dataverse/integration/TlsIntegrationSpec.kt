package dev.dataverse.integration

import dev.dataverse.DataverseClient
import dev.dataverse.HttpEngine
import dev.dataverse.RetryOptions
import dev.dataverse.TlsHandshakeException
import dev.dataverse.emulator.DataverseEmulator
import dev.dataverse.emulator.EmulatorOptions
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.longs.shouldBeGreaterThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldStartWith

/**
 * The client over https against the emulator's self-signed certificate: trusted through `sslContext`, it works; with
 * the JVM's default trust the handshake fails, which must end the call at once (retrying cannot make a certificate
 * trusted) without the request, and so the token, ever reaching the server.
 */
class TlsIntegrationSpec : FunSpec({
    val emulator = DataverseEmulator.start(EmulatorOptions(tls = true, requiredToken = "the-token"))
    afterSpec { emulator.close() }
    beforeTest { emulator.reset() }

    test("with an SSLContext trusting the emulator, the JDK engine creates and reads over https, on one connection") {
        emulator.baseUrl shouldStartWith "https://"
        DataverseClient {
            environmentUrl(emulator.baseUrl)
            token("the-token")
            httpEngine(HttpEngine.JDK)
            sslContext(emulator.clientSslContext())
        }.use { client ->
            val ids = (1..5).map { client.records.create("account", mapOf("name" to "tls $it")) }
            client.records.get("account", ids.last()).getString("name") shouldBe "tls 5"
        }
        emulator.stats.connectionsAccepted shouldBe 1
        emulator.stats.tlsHandshakes shouldBe 1
    }

    test("CIO runs over the TLS emulator on the pair of its context and trust manager") {
        DataverseClient {
            environmentUrl(emulator.baseUrl)
            token("the-token")
            httpEngine(HttpEngine.CIO)
            sslContext(emulator.clientSslContext(), emulator.clientTrustManager())
        }.use { client ->
            val ids = (1..3).map { client.records.create("account", mapOf("name" to "cio tls $it")) }
            client.records.get("account", ids.last()).getString("name") shouldBe "cio tls 3"
        }
        emulator.recordCount("account") shouldBe 3
        // Every connection CIO opened completed its handshake with the emulator's certificate.
        emulator.stats.tlsHandshakes shouldBeGreaterThan 0L
        emulator.stats.tlsHandshakes shouldBe emulator.stats.connectionsAccepted
    }

    for (engine in HttpEngine.entries) {
        test("with the default trust, the $engine engine fails with a non-transient TlsHandshakeException, not retried, nothing sent") {
            DataverseClient {
                environmentUrl(emulator.baseUrl)
                token("the-token")
                httpEngine(engine)
                retry(RetryOptions(maxAttempts = 4))
            }.use { client ->
                val error = shouldThrow<TlsHandshakeException> { client.whoAmI() }
                withClue(error.stackTraceToString()) {
                    error.isTransient shouldBe false
                    error.mayHaveBeenApplied shouldBe false
                }
            }
            // One attempt: one connection, whose handshake the client aborted; no request reached the server.
            emulator.stats.connectionsAccepted shouldBe 1
            emulator.stats.tlsHandshakes shouldBe 0
            emulator.stats.requests shouldBe 0
        }
    }
})
