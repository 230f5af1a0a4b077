package dev.dataverse.emulator

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
        command.shouldBeInstanceOf<EmulatorMain.Command.Serve>()
        command.options shouldBe EmulatorOptions(port = 8123, requiredToken = "abc", dopHint = 3)
        EmulatorMain.parse(emptyArray()) shouldBe EmulatorMain.Command.Serve(EmulatorOptions())
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
})
