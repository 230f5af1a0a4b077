package dev.dataverse.codegen

import dev.dataverse.emulator.DataverseEmulator
import dev.dataverse.emulator.EmulatorOptions
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldNotContain
import java.nio.file.Files
import java.nio.file.Path

/**
 * The shaded `-cli` jar as users run it, `java -jar` in a JVM of its own (run by the `cli-jar` execution after
 * `package`, which passes the jar's path): `generate` and an `export` that goes through the client and its logging
 * to the emulator, with nothing on stderr — in particular no "No SLF4J providers were found" warning.
 */
class CliJarIT : FunSpec({
    val jar: String? = System.getProperty("cli.jar")
    // Only the cli-jar execution has the jar; a -Dtest naming this class also reaches the test phase, before package.
    if (jar != null) {
        val directory = Files.createTempDirectory("cli-jar")
        val emulator = DataverseEmulator.start(EmulatorOptions(schema = Path.of("src/test/resources/test-snapshot.json")))
        afterSpec { emulator.close() }

        /** Exit status, stdout and stderr of `java -jar <cli jar> args`. */
        fun runJar(vararg args: String): Triple<Int, String, String> {
            val java = Path.of(System.getProperty("java.home"), "bin", "java").toString()
            // stdout to a file, so that reading stderr to its end cannot block on a full stdout pipe.
            val stdout = Files.createTempFile(directory, "stdout", ".txt")
            val builder = ProcessBuilder(listOf(java, "-jar", jar) + args).redirectOutput(stdout.toFile())
            builder.environment()["DV_TOKEN"] = "cli-jar-token"
            val process = builder.start()
            process.outputStream.close()
            val err = process.errorStream.readAllBytes().toString(Charsets.UTF_8)
            return Triple(process.waitFor(), Files.readString(stdout), err)
        }

        test("export signs in, reads the environment and writes the snapshot, with nothing on stderr") {
            val file = directory.resolve("exported.json")
            val (status, out, err) = runJar(
                "export", "--url", emulator.baseUrl, "--tables", "account,new_project", "--out", file.toString(), "--token-env", "DV_TOKEN",
            )
            withClue(err) { status shouldBe 0 }
            out shouldContain "Wrote 2 tables"
            Files.readString(file) shouldContain "\"new_project\""
            err shouldNotContain "SLF4J"
            err shouldBe ""
        }

        test("generate writes the models, with nothing on stderr") {
            val out = directory.resolve("models")
            val (status, _, err) = runJar(
                "generate", "--snapshot", "src/test/resources/test-snapshot.json", "--out", out.toString(), "--language", "java",
                "--package", "com.example.model",
            )
            withClue(err) { status shouldBe 0 }
            Files.exists(out.resolve("com/example/model/Account.java")) shouldBe true
            err shouldNotContain "SLF4J"
            err shouldBe ""
        }
    }
})
