package dev.dataverse.emulator

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.shouldBe
import io.ktor.http.HttpMethod
import kotlinx.coroutines.runBlocking
import java.nio.file.Files
import java.nio.file.Path
import java.util.UUID
import java.util.concurrent.TimeUnit
import kotlin.io.path.listDirectoryEntries
import kotlin.system.exitProcess

/**
 * An embedded emulator that its code never closes stores file content in a temporary directory; when the JVM exits, that
 * directory goes with it. Checked in a child JVM with a temporary directory of its own, which [UnclosedEmulatorMain]
 * leaves with an emulator (holding one stored file) still open.
 */
class UnclosedEmulatorCleanupSpec : FunSpec({
    test("the file content of an emulator never closed is deleted when the JVM exits") {
        val tmp = Files.createTempDirectory("unclosed-emulator-")
        try {
            val java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString())
            val process = ProcessBuilder(
                java, "-Djava.io.tmpdir=$tmp", "-cp", System.getProperty("java.class.path"), UnclosedEmulatorMain::class.java.name,
            ).redirectErrorStream(true).start()
            val output = process.inputStream.bufferedReader().readText()
            process.waitFor(60, TimeUnit.SECONDS) shouldBe true
            process.exitValue() shouldBe 0
            // The child saw its emulator's directory while it ran, so the check below cannot pass for want of one.
            output.lines().filter { it.startsWith("stored under ") } shouldHaveSize 1
            tmp.listDirectoryEntries("dataverse-emulator-files-*").shouldBeEmpty()
        } finally {
            tmp.toFile().deleteRecursively()
        }
    }
})

/** Starts an emulator, stores a file through it, and exits without closing it. */
object UnclosedEmulatorMain {
    @JvmStatic
    fun main(args: Array<String>) {
        val emulator = DataverseEmulator.start()
        emulator.addFileColumns()
        val id = UUID.randomUUID()
        FileTestClient(emulator).use { files ->
            runBlocking {
                check(files.send(HttpMethod.Post, "accounts", json = """{"accountid":"$id","name":"a"}""").status in 200..299)
                val upload = files.send(HttpMethod.Patch, "accounts($id)/new_document", randomBytes(1024), headers = mapOf("x-ms-file-name" to "a.bin"))
                check(upload.status in 200..299) { "upload: $upload" }
            }
        }
        val roots = Path.of(System.getProperty("java.io.tmpdir")).listDirectoryEntries("dataverse-emulator-files-*")
        check(roots.size == 1 && Files.walk(roots.single()).use { paths -> paths.anyMatch { Files.isRegularFile(it) } }) { "no stored file under $roots" }
        println("stored under ${roots.single()}")
        exitProcess(0)
    }
}
