package dev.dataverse.emulator

import dev.dataverse.emulator.internal.MainCommand
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldMatch
import io.kotest.matchers.types.shouldBeInstanceOf
import java.io.ByteArrayOutputStream
import java.io.PrintStream
import java.net.HttpURLConnection
import java.net.URI

class EmulatorMainSpec : FunSpec({

    class Captured {
        val bytes = ByteArrayOutputStream()
        val stream = PrintStream(bytes, true, Charsets.UTF_8)
        val text: String get() = bytes.toString(Charsets.UTF_8)
    }

    test("serving prints exactly the base URL, and the server answers on it until serve returns") {
        val out = Captured()
        val err = Captured()
        var status = 0
        val code = EmulatorMain.run(arrayOf("--dop-hint", "9"), out.stream, err.stream) { emulator ->
            val connection = URI("${emulator.apiUrl}/WhoAmI").toURL().openConnection() as HttpURLConnection
            connection.setRequestProperty("Authorization", "Bearer t")
            status = connection.responseCode
            connection.getHeaderField("x-ms-dop-hint") shouldBe "9"
        }
        code shouldBe 0
        status shouldBe 200
        out.text shouldMatch Regex("http://127\\.0\\.0\\.1:\\d+\\R")
        err.text shouldBe ""
    }

    test("options are parsed in both spellings") {
        val command = EmulatorMain.parse(arrayOf("--port", "8123", "--token=abc", "--dop-hint=3"))
        command.shouldBeInstanceOf<MainCommand.Serve>()
        command.options shouldBe EmulatorOptions(port = 8123, requiredToken = "abc", dopHint = 3)
        EmulatorMain.parse(emptyArray()) shouldBe MainCommand.Serve(EmulatorOptions())
    }

    test("help prints usage and exits 0") {
        val out = Captured()
        EmulatorMain.run(arrayOf("--help"), out.stream, Captured().stream) { error("must not serve") } shouldBe 0
        out.text shouldContain "--port N"
    }

    test("bad options print a message on stderr and exit 2") {
        listOf(arrayOf("--port", "abc"), arrayOf("--port"), arrayOf("--verbose", "1"), arrayOf("--port", "70000"), arrayOf("--dop-hint", "0"))
            .forEach { args ->
                val err = Captured()
                EmulatorMain.run(args, Captured().stream, err.stream) { error("must not serve") } shouldBe 2
                err.text shouldContain "dataverse-emulator:"
            }
    }

    test("an unknown option is named as such") {
        val err = Captured()
        EmulatorMain.run(arrayOf("--bogus"), Captured().stream, err.stream) { error("must not serve") } shouldBe 2
        err.text shouldContain "unknown option '--bogus'"
    }

    test("a port that is taken is reported with exit code 1") {
        DataverseEmulator.start().use { running ->
            val err = Captured()
            EmulatorMain.run(arrayOf("--port", running.port.toString()), Captured().stream, err.stream) { error("must not serve") } shouldBe 1
            err.text shouldContain "cannot listen on port ${running.port}"
        }
    }

    test("service-protection, fault and table options are parsed into the options") {
        val command = EmulatorMain.parse(
            arrayOf(
                "--concurrency-limit", "5", "--seed=42", "--fault", "SERVICE_UNAVAILABLE:0.05:accounts.*",
                "--fault", "reset_after_apply:1:\$batch|a:b", "--fault", "LATENCY:0.5", "--latency-ms", "20",
                "--synthetic-rows", "1000", "--bulk-unsupported", "Contact, account", "--key-activation-ms=250",
            ),
        )
        command.shouldBeInstanceOf<MainCommand.Serve>()
        command.options shouldBe EmulatorOptions(
            concurrencyLimit = 5,
            faultSeed = 42,
            faults = listOf(
                FaultRule(FaultKind.SERVICE_UNAVAILABLE, 0.05, pathPattern = "accounts.*"),
                FaultRule(FaultKind.RESET_AFTER_APPLY, 1.0, pathPattern = "\$batch|a:b"),
                FaultRule(FaultKind.LATENCY, 0.5, latencyMillis = 1000),
                FaultRule(FaultKind.LATENCY, 1.0, latencyMillis = 20),
            ),
            bulkUnsupportedTables = setOf("contact", "account"),
            syntheticRows = 1000,
            keyActivationDelayMillis = 250,
        )
    }

    test("bad service-protection and fault options are usage errors") {
        listOf(
            arrayOf("--fault", "EXPLODE:1"), arrayOf("--fault", "SERVICE_UNAVAILABLE"), arrayOf("--fault", "SERVICE_UNAVAILABLE:2"),
            arrayOf("--fault", "SERVICE_UNAVAILABLE:1:("), arrayOf("--concurrency-limit", "-1"), arrayOf("--seed", "x"),
            arrayOf("--latency-ms", "soon"), arrayOf("--synthetic-rows", "-5"), arrayOf("--key-activation-ms", "-1"),
        ).forEach { args ->
            val err = Captured()
            EmulatorMain.run(args, Captured().stream, err.stream) { error("must not serve") } shouldBe 2
            err.text shouldContain "dataverse-emulator:"
        }
    }

    test("a fault given on the command line is injected by the running server") {
        val code = EmulatorMain.run(arrayOf("--fault", "SERVICE_UNAVAILABLE:1:WhoAmI", "--concurrency-limit", "3"), Captured().stream, Captured().stream) { emulator ->
            val connection = URI("${emulator.apiUrl}/WhoAmI").toURL().openConnection() as HttpURLConnection
            connection.setRequestProperty("Authorization", "Bearer t")
            connection.responseCode shouldBe 503
            emulator.concurrencyLimit shouldBe 3
        }
        code shouldBe 0
    }

    test("help lists the fault kinds and the admin API") {
        val out = Captured()
        EmulatorMain.run(arrayOf("--help"), out.stream, Captured().stream) { error("must not serve") } shouldBe 0
        out.text shouldContain "RESET_AFTER_APPLY"
        out.text shouldContain "/_emulator/faults"
    }

    test("--tls serves https and --cert-out writes the certificate as PEM before the URL is printed") {
        val out = Captured()
        val err = Captured()
        val pem = java.nio.file.Files.createTempFile("emulator", ".pem")
        try {
            var written: java.security.cert.Certificate? = null
            val code = EmulatorMain.run(arrayOf("--tls", "--cert-out", pem.toString()), out.stream, err.stream) { emulator ->
                written = java.nio.file.Files.newInputStream(pem).use { java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(it) }
                written shouldBe emulator.certificate
            }
            code shouldBe 0
            written.shouldBeInstanceOf<java.security.cert.X509Certificate>()
            out.text shouldMatch Regex("https://127\\.0\\.0\\.1:\\d+\\R")
        } finally {
            java.nio.file.Files.deleteIfExists(pem)
        }
    }

    test("--tls is a flag and --cert-out needs it") {
        val command = EmulatorMain.parse(arrayOf("--tls", "--port", "8124"))
        command.shouldBeInstanceOf<MainCommand.Serve>()
        command.options shouldBe EmulatorOptions(port = 8124, tls = true)
        EmulatorMain.parse(arrayOf("--cert-out", "x.pem")) shouldBe MainCommand.Invalid("--cert-out needs --tls")
    }
})
