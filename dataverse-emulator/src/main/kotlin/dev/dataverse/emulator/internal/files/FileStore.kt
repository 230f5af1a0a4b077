package dev.dataverse.emulator.internal.files

import java.io.IOException
import java.nio.ByteBuffer
import java.nio.channels.FileChannel
import java.nio.file.Files
import java.nio.file.NoSuchFileException
import java.nio.file.Path
import java.nio.file.StandardCopyOption
import java.nio.file.StandardOpenOption
import java.time.Duration
import java.util.UUID
import java.util.concurrent.ConcurrentHashMap
import kotlin.io.path.deleteIfExists

/**
 * The content of file and image columns, on disk under one temporary directory per emulator (deleted by [close]), so
 * that files of any size cost no heap. Records only hold a [dev.dataverse.emulator.internal.store.StoredFile]
 * reference; the content lives here under its file id:
 *
 * - `files/<file id>`: committed content, read by downloads.
 * - `uploads/<token>`: the content of a chunked upload session, written at the offsets its chunks name.
 * - `blocks/<token>/<n>`: the blocks of a block upload, joined in commit order.
 *
 * Content that no record refers to any more (the record, its column or its table was deleted, or a newer upload replaced
 * it) is removed by [sweep]. Upload sessions left idle longer than [sessionIdleTimeout] expire: their tokens stop
 * working and their partial content is deleted, so abandoned uploads do not pile up on disk or in memory.
 */
internal class FileStore(
    /**
     * How long an upload session may sit unused. The service's lifetime for a session token is not documented: the
     * default is a guess, long enough for any client that is still uploading.
     */
    private val sessionIdleTimeout: Duration = DEFAULT_SESSION_IDLE_TIMEOUT,
    private val nanoTime: () -> Long = System::nanoTime,
) : AutoCloseable {
    private val root: Path = Files.createTempDirectory("dataverse-emulator-files-")
    private val contentDirectory: Path = Files.createDirectories(root.resolve("files"))
    private val uploadDirectory: Path = Files.createDirectories(root.resolve("uploads"))
    private val blockDirectory: Path = Files.createDirectories(root.resolve("blocks"))

    /**
     * Deletes the content when the JVM exits before [close]: an embedded emulator its test never closed would otherwise
     * leave every file it stored in the temporary directory.
     */
    private val cleanupOnExit = Thread({ deleteTree(root) }, "dataverse-emulator-files-cleanup")
        .also { Runtime.getRuntime().addShutdownHook(it) }

    /** Committed files that records refer to (or did): candidates for [sweep]. */
    private val committed = ConcurrentHashMap.newKeySet<UUID>()

    private val chunkSessions = ConcurrentHashMap<String, ChunkSession>()
    private val blockSessions = ConcurrentHashMap<String, BlockSession>()

    /** When each session (by token) was last opened or used, in [nanoTime] units. */
    private val lastUse = ConcurrentHashMap<String, Long>()

    /** Number of committed files with content on disk. */
    val fileCount: Int get() = committed.size

    /** Where the content of file [id] is. */
    fun contentPath(id: UUID): Path = contentDirectory.resolve(id.toString())

    /** A new file id whose content is [source], moved into place; it becomes sweepable once [adopt]ed. */
    fun store(source: Path): UUID {
        val id = UUID.randomUUID()
        Files.move(source, contentPath(id), StandardCopyOption.ATOMIC_MOVE)
        return id
    }

    /** Writes [bytes] as a new file's content; see [store]. */
    fun store(bytes: ByteArray): UUID {
        val id = UUID.randomUUID()
        Files.write(contentPath(id), bytes)
        return id
    }

    /** Marks file [id] as referenced by a record, so that [sweep] removes it once no record does. */
    fun adopt(id: UUID) {
        committed += id
    }

    /** Removes the content of a file no record ever referred to (a commit that was refused). */
    fun discard(id: UUID) {
        committed -= id
        contentPath(id).deleteIfExists()
    }

    /**
     * Removes the content of committed files that are not in [referenced]. [referenced] must be read after [sweepable],
     * under the locks of every table with file columns, so that a file committed meanwhile is never mistaken for garbage.
     */
    fun sweep(sweepable: Set<UUID>, referenced: Set<UUID>): Int {
        var removed = 0
        for (id in sweepable) {
            if (id in referenced) continue
            if (committed.remove(id)) {
                contentPath(id).deleteIfExists()
                removed++
            }
        }
        return removed
    }

    /** The committed files, for a [sweep] to start from. */
    fun sweepable(): Set<UUID> = HashSet(committed)

    /** Opens a chunked upload session; its chunks are written to a file of its own. */
    fun openChunkSession(target: FileTarget, fileName: String, condition: FileCondition): ChunkSession {
        expireIdle()
        val token = newToken()
        return ChunkSession(token, target, fileName, condition, uploadDirectory.resolve(token)).also {
            chunkSessions[token] = it
            lastUse[token] = nanoTime()
        }
    }

    /** The session of [token], or null when there is none or it expired. */
    fun chunkSession(token: String): ChunkSession? {
        expireIdle()
        return chunkSessions[token]?.also { lastUse[token] = nanoTime() }
    }

    /** Forgets a finished session; its completed state stays answerable (a retried last chunk) via [ChunkSession.committedFileId]. */
    fun closeChunkSession(session: ChunkSession) {
        session.file.deleteIfExists()
    }

    /** Opens a block upload session. */
    fun openBlockSession(target: FileTarget, fileName: String): BlockSession {
        expireIdle()
        val token = newToken()
        val directory = Files.createDirectories(blockDirectory.resolve(token))
        return BlockSession(token, target, fileName, directory).also {
            blockSessions[token] = it
            lastUse[token] = nanoTime()
        }
    }

    /** The session of [token], or null when there is none or it expired. */
    fun blockSession(token: String): BlockSession? {
        expireIdle()
        return blockSessions[token]?.also { lastUse[token] = nanoTime() }
    }

    /** Number of upload sessions (chunked or block) still open. */
    val openSessionCount: Int get() = chunkSessions.size + blockSessions.size

    /** Ends the sessions idle for longer than [sessionIdleTimeout], deleting their partial content. */
    fun expireIdle() {
        val now = nanoTime()
        val limit = sessionIdleTimeout.toNanos()
        for ((token, used) in lastUse) {
            if (now - used <= limit || !lastUse.remove(token, used)) continue
            chunkSessions.remove(token)?.file?.deleteIfExists()
            blockSessions.remove(token)?.let { deleteTree(it.directory) }
        }
    }

    /** Joins the blocks of [session] in [order] into a new file (not yet adopted); the session ends either way. */
    fun joinBlocks(session: BlockSession, order: List<String>): Pair<UUID, Long> {
        blockSessions.remove(session.token)
        lastUse.remove(session.token)
        try {
            val joined = session.directory.resolve("joined")
            var size = 0L
            FileChannel.open(joined, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).use { out ->
                for (blockId in order) {
                    val block = session.blockPath(blockId) ?: throw IllegalArgumentException(blockId)
                    FileChannel.open(block, StandardOpenOption.READ).use { input ->
                        var position = 0L
                        val length = input.size()
                        while (position < length) position += input.transferTo(position, length - position, out)
                        size += length
                    }
                }
            }
            return store(joined) to size
        } finally {
            deleteTree(session.directory)
        }
    }

    /** Ends a block session without a file. */
    fun abandon(session: BlockSession) {
        blockSessions.remove(session.token)
        lastUse.remove(session.token)
        deleteTree(session.directory)
    }

    /** Removes every file and session (the emulator's reset). */
    fun clear() {
        chunkSessions.values.forEach { it.file.deleteIfExists() }
        chunkSessions.clear()
        blockSessions.values.forEach { deleteTree(it.directory) }
        blockSessions.clear()
        lastUse.clear()
        committed.toList().forEach(::discard)
    }

    override fun close() {
        chunkSessions.clear()
        blockSessions.clear()
        committed.clear()
        deleteTree(root)
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupOnExit)
        } catch (e: IllegalStateException) {
            // The JVM is already shutting down: the hook runs anyway, and finds nothing left to delete.
        }
    }

    companion object {
        /** See [sessionIdleTimeout]: a guess, as the service's session lifetime is not documented. */
        val DEFAULT_SESSION_IDLE_TIMEOUT: Duration = Duration.ofMinutes(15)
    }

    private fun newToken(): String = UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "")

    private fun deleteTree(directory: Path) {
        try {
            Files.walk(directory).use { paths -> paths.sorted(Comparator.reverseOrder()).forEach { it.deleteIfExists() } }
        } catch (e: NoSuchFileException) {
            // Already gone.
        } catch (e: IOException) {
            // Best effort: the temporary directory is the operating system's to clean up then.
        }
    }

    /** Writes [length] bytes of [bytes] at [position] of [file], creating it. */
    fun writeAt(file: Path, position: Long, bytes: ByteArray, offset: Int, length: Int) {
        FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE).use { channel ->
            val buffer = ByteBuffer.wrap(bytes, offset, length)
            var at = position
            while (buffer.hasRemaining()) at += channel.write(buffer, at)
        }
    }
}

/** The record and column an upload is for. */
internal data class FileTarget(val table: String, val recordId: UUID, val column: String)

/** What an upload may replace: anything (`If-Match: *`, `If-None-Match: null` or no header), or only an empty column (`If-None-Match: *`). */
internal enum class FileCondition { ANY, ONLY_IF_EMPTY }

/**
 * A chunked upload in progress: its chunks must arrive in order (a repeat of a range already received is written again
 * in place, as a retry does), each naming the same total; the last byte completes it.
 */
internal class ChunkSession(
    val token: String,
    val target: FileTarget,
    val fileName: String,
    val condition: FileCondition,
    val file: Path,
) {
    /** The total size, fixed by the first chunk's `Content-Range`. */
    var total: Long? = null

    /** Bytes received from the start without a gap. */
    var received: Long = 0

    /** The content type of the first chunk. */
    var contentType: String? = null

    /** The name the chunks' `x-ms-file-name` header gave, which takes precedence over the one the session was opened with. */
    var headerName: String? = null

    /** Set once the last chunk committed the file: a repeat of that chunk is answered as done. */
    @Volatile
    var committedFileId: UUID? = null

    /** Serializes the chunks of one session. */
    val lock: Any = Any()
}

/** A block upload in progress: blocks by id, each stored in its own file. */
internal class BlockSession(val token: String, val target: FileTarget, val fileName: String, val directory: Path) {
    private val blocks = ConcurrentHashMap<String, Path>()

    /** Stores block [blockId] (replacing an earlier one with that id). */
    fun putBlock(blockId: String, data: ByteArray) {
        val path = blocks.computeIfAbsent(blockId) { directory.resolve("block-${blocks.size}-${UUID.randomUUID()}") }
        Files.write(path, data)
    }

    fun blockPath(blockId: String): Path? = blocks[blockId]

    /** The total size of the stored blocks. */
    fun size(): Long = blocks.values.sumOf { Files.size(it) }
}
