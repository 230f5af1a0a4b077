package dev.dataverse.integration

import dev.dataverse.ColumnSpec
import dev.dataverse.DownloadOptions
import dev.dataverse.InvalidInputException
import dev.dataverse.NotFoundException
import dev.dataverse.PreconditionFailedException
import dev.dataverse.RetrieveOptions
import dev.dataverse.UploadOptions
import dev.dataverse.integration.TestFileColumns.DOCUMENT
import dev.dataverse.integration.TestFileColumns.PICTURE
import dev.dataverse.integration.TestFileColumns.SMALL
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.engine.spec.tempdir
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.flow.asFlow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.launch
import java.io.ByteArrayInputStream
import java.io.ByteArrayOutputStream
import java.nio.file.Files
import java.security.MessageDigest
import java.util.HexFormat
import java.util.UUID
import kotlin.random.Random

class FilesIntegrationSpec : FunSpec({
    val fixture = EmulatorFixture()
    extension(fixture)
    beforeSpec { TestFileColumns.addTo(fixture.client) }
    val directory = tempdir().toPath()

    val chunk = 4 * 1024 * 1024
    fun content(size: Int) = Random(size * 31 + 7).nextBytes(size)
    fun sha(bytes: ByteArray): String = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes))
    suspend fun account(): UUID = fixture.records.create("account", mapOf("name" to "Files"))

    suspend fun downloadAll(id: UUID, column: String = DOCUMENT): ByteArray {
        val out = ByteArrayOutputStream()
        fixture.client.files.download("account", id, column, out)
        return out.toByteArray()
    }

    /** Pieces of odd sizes, so re-chunking is exercised. */
    fun pieces(bytes: ByteArray) = (0 until bytes.size step 999_983).map { bytes.copyOfRange(it, minOf(it + 999_983, bytes.size)) }.asFlow()

    for (size in listOf(0, 1, chunk - 1, chunk, chunk + 1, 9_000_000)) {
        test("$size bytes round-trip from a Path and from a Flow of unknown size, read back to a Path, a stream and a flow") {
            val id = account()
            val bytes = content(size)
            val source = directory.resolve("source-$size.bin").also { Files.write(it, bytes) }
            fixture.client.files.upload("account", id, DOCUMENT, source)
            val target = directory.resolve("target-$size.bin")
            val info = fixture.client.files.download("account", id, DOCUMENT, target)
            info.size shouldBe size.toLong()
            info.fileName shouldBe "source-$size.bin"
            sha(Files.readAllBytes(target)) shouldBe sha(bytes)

            fixture.client.files.upload("account", id, DOCUMENT, pieces(bytes), "flow-$size.bin")
            sha(downloadAll(id)) shouldBe sha(bytes)
            val collected = ByteArrayOutputStream()
            fixture.client.files.downloadFlow("account", id, DOCUMENT).collect { collected.write(it) }
            sha(collected.toByteArray()) shouldBe sha(bytes)
        }
    }

    for (size in listOf(1, chunk + 1)) {
        test("$size bytes round-trip from an InputStream and a Flow, each with and without a declared size") {
            val id = account()
            val bytes = content(size)
            fixture.client.files.upload("account", id, DOCUMENT, ByteArrayInputStream(bytes), "a.bin", UploadOptions(size = size.toLong()))
            sha(downloadAll(id)) shouldBe sha(bytes)
            fixture.client.files.upload("account", id, DOCUMENT, ByteArrayInputStream(bytes), "b.bin")
            sha(downloadAll(id)) shouldBe sha(bytes)
            fixture.client.files.upload("account", id, DOCUMENT, pieces(bytes), "c.bin", UploadOptions(size = size.toLong()))
            sha(downloadAll(id)) shouldBe sha(bytes)
        }
    }

    test("downloads in chunks smaller than the service's read the same bytes") {
        val id = account()
        val bytes = content(300_000)
        fixture.client.files.upload("account", id, DOCUMENT, ByteArrayInputStream(bytes), "x.bin", UploadOptions(size = 300_000L))
        val out = ByteArrayOutputStream()
        val progress = mutableListOf<Long>()
        fixture.client.files.download("account", id, DOCUMENT, out, DownloadOptions(64 * 1024, onProgress = { progress += it.transferredBytes }))
        out.toByteArray() shouldBe bytes
        progress shouldBe listOf(65_536L, 131_072L, 196_608L, 262_144L, 300_000L)
    }

    test("the content type and a non-ASCII file name are stored and read back, also on the record") {
        val id = account()
        fixture.client.files.upload("account", id, DOCUMENT, ByteArrayInputStream(content(10)), "Übersicht 日本.pdf", UploadOptions(size = 10))
        val info = fixture.client.files.download("account", id, DOCUMENT, ByteArrayOutputStream())
        info.fileName shouldBe "Übersicht 日本.pdf"
        info.contentType shouldBe "application/pdf"
        val record = fixture.records.get("account", id, RetrieveOptions(select = listOf(DOCUMENT, "${DOCUMENT}_name")))
        record.getString("${DOCUMENT}_name") shouldBe "Übersicht 日本.pdf"

        fixture.client.files.upload("account", id, PICTURE, pieces(content(100)), "photo", UploadOptions(contentType = "image/webp"))
        fixture.client.files.download("account", id, PICTURE, ByteArrayOutputStream()).contentType shouldBe "image/webp"
        fixture.client.files.upload("account", id, PICTURE, ByteArrayInputStream(content(100)), "photo.png", UploadOptions(size = 100))
        fixture.client.files.download("account", id, PICTURE, ByteArrayOutputStream()).contentType shouldBe "image/png"
    }

    test("overwrite = false on a full column fails with PreconditionFailedException and keeps the file") {
        val id = account()
        val first = content(100)
        fixture.client.files.upload("account", id, DOCUMENT, ByteArrayInputStream(first), "first.bin", UploadOptions(size = 100, overwrite = false))
        shouldThrow<PreconditionFailedException> {
            fixture.client.files.upload("account", id, DOCUMENT, ByteArrayInputStream(content(50)), "second.bin", UploadOptions(size = 50, overwrite = false))
        }
        shouldThrow<PreconditionFailedException> {
            fixture.client.files.upload("account", id, DOCUMENT, ByteArrayInputStream(content(50)), "second.bin", UploadOptions(overwrite = false))
        }
        downloadAll(id) shouldBe first
    }

    test("content over the column's limit is refused before any of it is sent, when the size is known") {
        val id = account()
        val before = fixture.emulator.stats.fileUploads
        val source = directory.resolve("big.bin").also { Files.write(it, content(64 * 1024 + 1)) }
        shouldThrow<InvalidInputException> { fixture.client.files.upload("account", id, SMALL, source) }.message shouldContain "65537 bytes, larger than the 65536 bytes"
        shouldThrow<InvalidInputException> {
            fixture.client.files.upload("account", id, SMALL, ByteArrayInputStream(content(70_000)), "x.bin", UploadOptions(size = 70_000))
        }
        fixture.emulator.stats.fileUploads shouldBe before
        fixture.client.files.upload("account", id, SMALL, ByteArrayInputStream(content(64 * 1024)), "fits.bin", UploadOptions(size = 64 * 1024L))
        fixture.emulator.stats.fileUploads shouldBe before + 2 // the session start and its one chunk
    }

    test("content of unknown size over the limit fails once it crosses it, and nothing is stored") {
        val id = account()
        shouldThrow<InvalidInputException> { fixture.client.files.upload("account", id, SMALL, ByteArrayInputStream(content(70_000)), "x.bin") }
        shouldThrow<NotFoundException> { downloadAll(id, SMALL) }
    }

    test("uploading to a column that is not a file column, or does not exist, is InvalidInputException before anything is sent") {
        val id = account()
        val before = fixture.emulator.stats.fileUploads
        shouldThrow<InvalidInputException> { fixture.client.files.upload("account", id, "name", ByteArrayInputStream(content(10)), "a.bin") }.message shouldContain "not a file or image column"
        shouldThrow<InvalidInputException> { fixture.client.files.upload("account", id, "new_nothing", ByteArrayInputStream(content(10)), "a.bin") }
        fixture.emulator.stats.fileUploads shouldBe before
        fixture.records.get("account", id).getString("name") shouldBe "Files"
    }

    test("a missing record is NotFoundException; an empty column too, and a failed download to a Path leaves no file behind") {
        shouldThrow<NotFoundException> { fixture.client.files.upload("account", UUID.randomUUID(), DOCUMENT, ByteArrayInputStream(content(10)), "a.bin", UploadOptions(size = 10)) }
        val id = account()
        val target = directory.resolve("nothing").also { Files.createDirectories(it) }.resolve("x.bin")
        shouldThrow<NotFoundException> { fixture.client.files.download("account", id, DOCUMENT, target) }
        Files.list(target.parent).use { it.toList() }.shouldBeEmpty()
    }

    test("a download to a Path replaces an existing file") {
        val id = account()
        fixture.client.files.upload("account", id, DOCUMENT, ByteArrayInputStream(content(1000)), "a.bin", UploadOptions(size = 1000))
        val target = directory.resolve("replace.bin").also { Files.write(it, content(5000)) }
        fixture.client.files.download("account", id, DOCUMENT, target)
        Files.readAllBytes(target) shouldBe content(1000)
    }

    test("delete empties the column; deleting the record deletes its file from the emulator") {
        val id = account()
        val stored = fixture.emulator.storedFileCount
        fixture.client.files.upload("account", id, DOCUMENT, ByteArrayInputStream(content(10)), "a.bin", UploadOptions(size = 10))
        fixture.client.files.upload("account", id, PICTURE, ByteArrayInputStream(content(10)), "a.png", UploadOptions(size = 10))
        fixture.emulator.storedFileCount shouldBe stored + 2
        fixture.client.files.delete("account", id, DOCUMENT)
        shouldThrow<NotFoundException> { downloadAll(id) }
        shouldThrow<NotFoundException> { fixture.client.files.delete("account", id, DOCUMENT) }
        fixture.emulator.storedFileCount shouldBe stored + 1
        fixture.records.delete("account", id)
        fixture.emulator.storedFileCount shouldBe stored
    }

    test("cancelling an upload mid-way keeps the column's previous content") {
        val id = account()
        val old = content(1234)
        fixture.client.files.upload("account", id, DOCUMENT, ByteArrayInputStream(old), "old.bin", UploadOptions(size = 1234))
        val firstChunkRead = CompletableDeferred<Unit>()
        val source = flow {
            emit(content(chunk))
            emit(content(10)) // the first chunk is only sent once more bytes arrive
            firstChunkRead.complete(Unit)
            awaitCancellation()
        }
        for (options in listOf(UploadOptions(size = chunk + 100L), UploadOptions())) {
            coroutineScope {
                val upload = launch { fixture.client.files.upload("account", id, DOCUMENT, source, "new.bin", options) }
                firstChunkRead.await()
                upload.cancelAndJoin()
            }
            downloadAll(id) shouldBe old
            fixture.client.files.download("account", id, DOCUMENT, ByteArrayOutputStream()).fileName shouldBe "old.bin"
        }
    }

    test("a file whose size differs from the declared one is refused and nothing is stored") {
        val id = account()
        shouldThrow<InvalidInputException> {
            fixture.client.files.upload("account", id, DOCUMENT, ByteArrayInputStream(content(chunk + 10)), "x.bin", UploadOptions(size = chunk + 20L))
        }
        shouldThrow<InvalidInputException> {
            fixture.client.files.upload("account", id, DOCUMENT, ByteArrayInputStream(content(chunk + 30)), "x.bin", UploadOptions(size = chunk + 20L))
        }
        shouldThrow<NotFoundException> { downloadAll(id) }
    }

    test("removing a file column deletes its files, and this client stops treating it as a file column") {
        fixture.client.tables.addColumn("account", ColumnSpec.file("new_Temporary", "Temporary", maxSizeInKB = 64))
        val id = account()
        val stored = fixture.emulator.storedFileCount
        fixture.client.files.upload("account", id, "new_temporary", ByteArrayInputStream(content(10)), "t.bin", UploadOptions(size = 10))
        fixture.emulator.storedFileCount shouldBe stored + 1
        fixture.client.tables.removeColumn("account", "new_temporary")
        fixture.emulator.storedFileCount shouldBe stored
        shouldThrow<InvalidInputException> {
            fixture.client.files.upload("account", id, "new_temporary", ByteArrayInputStream(content(10)), "t.bin", UploadOptions(size = 10))
        }
    }
})
