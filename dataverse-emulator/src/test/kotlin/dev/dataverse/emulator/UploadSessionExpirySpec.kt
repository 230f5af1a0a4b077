package dev.dataverse.emulator

import dev.dataverse.emulator.internal.files.FileCondition
import dev.dataverse.emulator.internal.files.FileStore
import dev.dataverse.emulator.internal.files.FileTarget
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import java.nio.file.Files
import java.time.Duration
import java.util.UUID

/** Abandoned upload sessions expire instead of keeping their partial content for the emulator's lifetime. */
class UploadSessionExpirySpec : FunSpec({
    var now = 0L
    val timeout = Duration.ofMinutes(15)
    val target = FileTarget("account", UUID.randomUUID(), "new_document")

    test("a chunked session idle past the timeout expires and its partial content is deleted; one in use stays") {
        FileStore(timeout) { now }.use { store ->
            now = 0
            val abandoned = store.openChunkSession(target, "a.bin", FileCondition.ANY)
            store.writeAt(abandoned.file, 0, ByteArray(10), 0, 10)
            val active = store.openChunkSession(target, "b.bin", FileCondition.ANY)
            now = timeout.toNanos() - 1
            store.chunkSession(active.token) shouldNotBe null
            now = timeout.toNanos() + 1
            store.chunkSession(abandoned.token) shouldBe null
            Files.exists(abandoned.file) shouldBe false
            store.chunkSession(active.token) shouldNotBe null
            store.openSessionCount shouldBe 1
        }
    }

    test("a block session idle past the timeout expires and its blocks are deleted") {
        FileStore(timeout) { now }.use { store ->
            now = 0
            val session = store.openBlockSession(target, "c.bin")
            session.putBlock("AAAA", ByteArray(5))
            now = timeout.toNanos() + 1
            store.blockSession(session.token) shouldBe null
            Files.exists(session.directory) shouldBe false
            store.openSessionCount shouldBe 0
        }
    }
})
