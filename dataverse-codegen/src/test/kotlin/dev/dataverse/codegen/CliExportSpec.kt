package dev.dataverse.codegen

import dev.dataverse.DataverseClient
import dev.dataverse.emulator.CustomApi
import dev.dataverse.emulator.CustomApiParameter
import dev.dataverse.emulator.CustomApiProperty
import dev.dataverse.emulator.CustomApiType
import dev.dataverse.emulator.DataverseEmulator
import dev.dataverse.emulator.EmulatorOptions
import dev.dataverse.schema.SchemaSnapshot
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.io.ByteArrayOutputStream
import java.io.PrintStream
import java.nio.file.Files
import java.nio.file.Path

/**
 * The command line's `export`, run in-process against the emulator seeded with the test snapshot (any bearer token is
 * accepted there, handed over through `--token-env`): the file is the client's own export of the same names, byte for
 * byte; failures name what is missing and write nothing; usage errors exit with 2 before any request.
 */
class CliExportSpec : FunSpec({
    lateinit var emulator: DataverseEmulator
    lateinit var client: DataverseClient
    val directory = Files.createTempDirectory("cli-export")
    val env = mapOf("DV_TOKEN" to "cli-test-token", "DV_BLANK" to "  ")

    fun cli(vararg args: String): Pair<Int, String> {
        val out = ByteArrayOutputStream()
        val err = ByteArrayOutputStream()
        val status = run(arrayOf(*args), PrintStream(out, true, "UTF-8"), PrintStream(err, true, "UTF-8")) { env[it] }
        return status to (out.toString("UTF-8") + err.toString("UTF-8"))
    }

    beforeSpec {
        emulator = DataverseEmulator.start(EmulatorOptions(schema = Path.of("src/test/resources/test-snapshot.json")))
        client = DataverseClient {
            environmentUrl(emulator.baseUrl)
            token("test-token")
        }
    }
    afterSpec {
        client.close()
        emulator.close()
    }

    test("export writes what client.tables.exportSnapshot returns for the same names") {
        val file = directory.resolve("exported.json")
        val (status, output) = cli(
            "export", "--url", emulator.baseUrl, "--tables", "new_project, account,contact", "--source", "emulator test",
            "--out", file.toString(), "--token-env", "DV_TOKEN",
        )
        status shouldBe 0
        output shouldContain "Wrote 3 tables and 0 custom APIs"
        val expected = client.tables.exportSnapshot(listOf("new_project", "account", "contact"), source = "emulator test")
        Files.readString(file) shouldBe expected.toJson()
        SchemaSnapshot.read(file).table("new_project")!!.column("new_phase")!!.choice!!.options.map { it.value } shouldBe
            listOf(100000000, 100000001)
    }

    test("custom APIs are exported by unique name") {
        emulator.registerCustomApi(
            CustomApi(
                uniqueName = "new_CliPing",
                requestParameters = listOf(CustomApiParameter("Text", CustomApiType.STRING)),
                responseProperties = listOf(CustomApiProperty("Echo", CustomApiType.STRING)),
            ) { call -> mapOf("Echo" to call.parameters["Text"]) },
        )
        val file = directory.resolve("apis.json")
        val (status, _) = cli("export", "--url", emulator.baseUrl, "--custom-apis", "new_CliPing", "--out", file.toString(), "--token-env", "DV_TOKEN")
        status shouldBe 0
        Files.readString(file) shouldBe client.tables.exportSnapshot(emptyList(), listOf("new_CliPing")).toJson()
    }

    test("a table the environment lacks fails with 1, naming it, and writes no file") {
        val file = directory.resolve("missing.json")
        val (status, output) = cli(
            "export", "--url", emulator.baseUrl, "--tables", "account,new_nosuchtable", "--out", file.toString(), "--token-env", "DV_TOKEN",
        )
        status shouldBe 1
        output shouldContain "new_nosuchtable"
        Files.exists(file) shouldBe false
        Files.list(directory).use { files -> files.noneMatch { it.fileName.toString().startsWith(".missing.json") } } shouldBe true
    }

    test("a custom API the environment lacks fails with 1, naming it, and leaves an existing file as it was") {
        val file = directory.resolve("kept.json")
        Files.writeString(file, "before")
        val (status, output) = cli(
            "export", "--url", emulator.baseUrl, "--tables", "account", "--custom-apis", "new_NoSuchApi", "--out", file.toString(),
            "--token-env", "DV_TOKEN",
        )
        status shouldBe 1
        output shouldContain "new_NoSuchApi"
        Files.readString(file) shouldBe "before"
    }

    test("usage errors exit with 2 before anything is sent") {
        val file = directory.resolve("usage.json").toString()
        val url = emulator.baseUrl
        val cases = mapOf(
            arrayOf("export", "--url", url, "--out", file, "--token-env", "DV_TOKEN") to "Give --tables, --custom-apis or both",
            arrayOf("export", "--tables", "account", "--out", file) to "Missing --url",
            arrayOf("export", "--url", url, "--tables", "account") to "Missing --out",
            arrayOf("export", "--url", url, "--tables", "account,,contact", "--out", file) to "separated by commas",
            arrayOf("export", "--url", url, "--tables", "account,Account", "--out", file) to "names 'account' twice",
            arrayOf("export", "--url", url, "--tables", "account", "--out", file, "--token-env", "NOT_SET") to "'NOT_SET' is not set",
            arrayOf("export", "--url", url, "--tables", "account", "--out", file, "--token-env", "DV_BLANK") to "'DV_BLANK' is not set or empty",
            arrayOf("export", "--url", url, "--tables", "account", "--out", file, "--token-env", "\$X") to "name of an environment variable",
            arrayOf("export", "--url", "http://contoso.crm.dynamics.com", "--tables", "account", "--out", file, "--token-env", "DV_TOKEN") to "https",
            arrayOf("export", "--url", url, "--tables", "bad name!", "--out", file, "--token-env", "DV_TOKEN") to "bad name!",
            arrayOf("export", "--url", url, "--tables", "account", "--out", directory.resolve("no/such/dir.json").toString(), "--token-env", "DV_TOKEN") to "does not exist",
            arrayOf("export", "--url", url, "--tables", "account", "--out", directory.toString(), "--token-env", "DV_TOKEN") to "is a directory",
            arrayOf("export", "--url", url, "--tables", "account", "--snapshot", "x", "--out", file) to "Unknown option '--snapshot'",
            arrayOf("export", "--url", url, "--url", url, "--tables", "account", "--out", file) to "given twice",
            arrayOf("export", "--url", url, "--tables") to "needs a value",
            arrayOf("import") to "Unknown command 'import'",
            arrayOf("export", "--url", url, "--tables", "account", "--source", " ", "--out", file, "--token-env", "DV_TOKEN") to "--source cannot be blank",
        )
        val before = emulator.stats.requests
        for ((args, message) in cases) {
            val (status, output) = cli(*args)
            withClue(args.joinToString(" ")) {
                status shouldBe 2
                output shouldContain message
                output shouldContain "Usage:"
            }
        }
        emulator.stats.requests shouldBe before
        Files.exists(Path.of(file)) shouldBe false
    }
})


