package dev.dataverse.integration

import io.kotest.core.spec.style.FunSpec
import io.kotest.engine.spec.tempdir
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldNotContain
import java.nio.file.Files
import java.nio.file.Path
import java.security.MessageDigest
import java.util.HexFormat
import java.util.UUID
import kotlin.random.Random

/**
 * A 50 MB file through a client JVM whose heap ([HEAP_MB] MB) is half the file: only streaming in chunks can pass.
 * The emulator runs in this JVM and keeps the file on disk.
 */
class LargeFileIntegrationSpec : FunSpec({
    val fixture = EmulatorFixture()
    extension(fixture)
    beforeSpec { TestFileColumns.addTo(fixture.client) }
    val directory = tempdir().toPath()

    test("a 50 MB file goes up from a Path and from a Flow of unknown size, and comes back intact, in a $HEAP_MB MB heap") {
        val source = directory.resolve("large.bin")
        val expected = writeRandom(source, 50L * 1024 * 1024, seed = 20_261_122)
        val target = directory.resolve("large-downloaded.bin")
        val id = fixture.records.create("account", mapOf("name" to "Large"))

        val (code, output) = runChild(fixture.emulator.baseUrl, id, source, target)

        output shouldNotContain "OutOfMemoryError"
        code shouldBe 0
        val reported = output.lines().filter { it.startsWith(FileTransferChildMain.PREFIX) }
            .associate { it.removePrefix(FileTransferChildMain.PREFIX).substringBefore('=') to it.substringAfter('=') }
        reported["path-size"] shouldBe (50L * 1024 * 1024).toString()
        reported["path"] shouldBe expected
        reported["flow"] shouldBe expected
        FileTransferChildMain.sha256(target) shouldBe expected
        (reported.getValue("heap-max").toLong() < 50L * 1024 * 1024) shouldBe true
    }
})

/** Writes [size] bytes from a seeded generator, a megabyte at a time, and returns their SHA-256. */
private fun writeRandom(path: Path, size: Long, seed: Int): String {
    val random = Random(seed)
    val digest = MessageDigest.getInstance("SHA-256")
    val buffer = ByteArray(1024 * 1024)
    Files.newOutputStream(path).use { out ->
        var written = 0L
        while (written < size) {
            val count = minOf(buffer.size.toLong(), size - written).toInt()
            random.nextBytes(buffer, 0, count)
            out.write(buffer, 0, count)
            digest.update(buffer, 0, count)
            written += count
        }
    }
    return HexFormat.of().formatHex(digest.digest())
}

/** The child's heap: well below the 50 MB file, with room for the HTTP client's own buffers and pools. */
private const val HEAP_MB = 24

/** Runs [FileTransferChildMain] with a [HEAP_MB] heap; returns its exit code and output. */
private fun runChild(baseUrl: String, id: UUID, source: Path, target: Path): Pair<Int, String> = ChildJvm.run(
    FileTransferChildMain::class.java, HEAP_MB,
    listOf(baseUrl, "account", id.toString(), TestFileColumns.DOCUMENT, source.toString(), target.toString()),
)
