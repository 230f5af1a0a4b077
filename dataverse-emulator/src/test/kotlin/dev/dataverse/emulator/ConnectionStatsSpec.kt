package dev.dataverse.emulator

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldStartWith
import io.kotest.matchers.types.shouldBeSameInstanceAs
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import kotlinx.serialization.json.long
import java.io.ByteArrayInputStream
import java.io.IOException
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.security.cert.CertificateException
import java.security.cert.CertificateFactory
import java.security.cert.X509Certificate
import javax.net.ssl.SSLContext
import javax.net.ssl.SSLHandshakeException

/** Connection and handshake counters, and https, checked with the JDK's own client as any user would. */
class ConnectionStatsSpec : FunSpec({

    fun client(ssl: SSLContext? = null): HttpClient =
        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).apply { ssl?.let(::sslContext) }.build()

    fun HttpClient.get(url: String): HttpResponse<String> =
        send(HttpRequest.newBuilder(URI(url)).header("Authorization", "Bearer t").build(), HttpResponse.BodyHandlers.ofString())

    fun HttpClient.whoAmI(emulator: DataverseEmulator): Int = get("${emulator.apiUrl}/WhoAmI").statusCode()

    fun statsJson(emulator: DataverseEmulator, via: HttpClient) =
        Json.parseToJsonElement(via.get("${emulator.baseUrl}/_emulator/stats").body()).jsonObject

    test("over http, a client that keeps its connection alive is counted once however many requests it sends") {
        DataverseEmulator.start().use { emulator ->
            val http = client()
            repeat(20) { http.whoAmI(emulator) shouldBe 200 }
            emulator.stats.connectionsAccepted shouldBe 1
            emulator.stats.tlsHandshakes shouldBe 0
            emulator.stats.requests shouldBe 20
        }
    }

    test("over http, every new client opens a new connection, and the admin API reports the counters") {
        DataverseEmulator.start().use { emulator ->
            repeat(3) { client().whoAmI(emulator) shouldBe 200 }
            emulator.stats.connectionsAccepted shouldBe 3
            val admin = client()
            val json = statsJson(emulator, admin)
            // The admin client's own connection is a connection too.
            json.getValue("connectionsAccepted").jsonPrimitive.long shouldBe 4
            json.getValue("tlsHandshakes").jsonPrimitive.long shouldBe 0
        }
    }

    test("reset restarts the connection counters; a connection kept across the reset is not counted again") {
        DataverseEmulator.start(EmulatorOptions(tls = true)).use { emulator ->
            val https = client(emulator.clientSslContext())
            https.whoAmI(emulator) shouldBe 200
            client(emulator.clientSslContext()).whoAmI(emulator) shouldBe 200
            emulator.stats.connectionsAccepted shouldBe 2
            emulator.reset()
            emulator.stats.connectionsAccepted shouldBe 0
            emulator.stats.tlsHandshakes shouldBe 0
            https.whoAmI(emulator) shouldBe 200
            emulator.stats.connectionsAccepted shouldBe 0
        }
    }

    test("over https, keep-alive reuse is one connection and one handshake; a second client adds one of each") {
        DataverseEmulator.start(EmulatorOptions(tls = true)).use { emulator ->
            emulator.baseUrl shouldStartWith "https://127.0.0.1:"
            val first = client(emulator.clientSslContext())
            repeat(10) { first.whoAmI(emulator) shouldBe 200 }
            emulator.stats.connectionsAccepted shouldBe 1
            emulator.stats.tlsHandshakes shouldBe 1
            client(emulator.clientSslContext()).whoAmI(emulator) shouldBe 200
            emulator.stats.connectionsAccepted shouldBe 2
            emulator.stats.tlsHandshakes shouldBe 2
            val json = statsJson(emulator, first)
            json.getValue("connectionsAccepted").jsonPrimitive.long shouldBe 2
            json.getValue("tlsHandshakes").jsonPrimitive.long shouldBe 2
            emulator.stats.requests shouldBe 11
        }
    }

    test("over https, a client that does not trust the certificate fails its handshake and sends no request") {
        DataverseEmulator.start(EmulatorOptions(tls = true)).use { emulator ->
            shouldThrow<SSLHandshakeException> { client(SSLContext.getDefault()).whoAmI(emulator) }
            awaitUntil("the refused connection is counted") { emulator.stats.connectionsAccepted == 1L }
            emulator.stats.tlsHandshakes shouldBe 0
            emulator.stats.requests shouldBe 0
        }
    }

    test("the certificate names 127.0.0.1 and localhost, and the admin API serves it as PEM") {
        DataverseEmulator.start(EmulatorOptions(tls = true)).use { emulator ->
            val certificate = emulator.certificate!!
            certificate.checkValidity()
            certificate.subjectAlternativeNames.map { it[1] }.toSet() shouldBe setOf("127.0.0.1", "localhost")
            val response = client(emulator.clientSslContext()).get("${emulator.baseUrl}/_emulator/certificate")
            response.statusCode() shouldBe 200
            response.headers().firstValue("Content-Type").orElse("") shouldStartWith "application/x-pem-file"
            val parsed = CertificateFactory.getInstance("X.509")
                .generateCertificate(ByteArrayInputStream(response.body().toByteArray())) as X509Certificate
            parsed shouldBe certificate
        }
    }

    test("clientTrustManager trusts the emulator's certificate alone, the same instance on each call") {
        DataverseEmulator.start(EmulatorOptions(tls = true)).use { emulator ->
            val trustManager = emulator.clientTrustManager()
            trustManager.acceptedIssuers.toList() shouldBe listOf(emulator.certificate)
            emulator.clientTrustManager() shouldBeSameInstanceAs trustManager
            DataverseEmulator.start(EmulatorOptions(tls = true)).use { other ->
                shouldThrow<CertificateException> { trustManager.checkServerTrusted(arrayOf(other.certificate), "RSA") }
            }
        }
    }

    test("over plain http there is no certificate: null, an IllegalStateException and a 404") {
        DataverseEmulator.start().use { emulator ->
            emulator.certificate shouldBe null
            shouldThrow<IllegalStateException> { emulator.clientSslContext() }
            shouldThrow<IllegalStateException> { emulator.clientTrustManager() }
            client().get("${emulator.baseUrl}/_emulator/certificate").statusCode() shouldBe 404
        }
    }

    test("a fault that drops the connection drops the https connection too, before the request is applied") {
        DataverseEmulator.start(EmulatorOptions(tls = true, faults = listOf(FaultRule(FaultKind.RESET_BEFORE_APPLY, pathPattern = "WhoAmI")))).use { emulator ->
            val https = client(emulator.clientSslContext())
            shouldThrow<IOException> { https.whoAmI(emulator) }
            // The JDK client retries a GET once on a dropped connection: each attempt had its own connection, dropped.
            val dropped = emulator.stats.faultsInjected(FaultKind.RESET_BEFORE_APPLY)
            dropped shouldBe emulator.stats.requests
            emulator.stats.connectionsAccepted shouldBe dropped
            emulator.faults().clear()
            https.whoAmI(emulator) shouldBe 200
            emulator.stats.connectionsAccepted shouldBe dropped + 1
        }
    }
})
