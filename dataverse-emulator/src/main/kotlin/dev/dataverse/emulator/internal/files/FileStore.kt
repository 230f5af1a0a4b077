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
 * it) is removed by [sweep], unless a snapshot of the emulator still refers to it ([pin]): then it is kept aside, not
 * counted, until the snapshot is restored ([reinstate]) or released ([unpin]). Upload sessions left idle longer than [sessionIdleTimeout] expire: their tokens stop
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

    /** Guards [pins] and [retained], so that a file is never both released by its last pin and set aside by a sweep. */
    private val pinLock = Any()

    /** How many snapshots refer to each file. */
    private val pins = HashMap<UUID, Int>()

    /** Files no record refers to any more whose content is kept because a snapshot does. */
    private val retained = HashSet<UUID>()

    /** Number of committed files with content on disk (content kept only for snapshots not included). */
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
            if (release(id)) removed++
        }
        return removed
    }

    /** Forgets committed file [id]: deletes its content, or sets it aside while a snapshot refers to it. */
    private fun release(id: UUID): Boolean = synchronized(pinLock) {
        if (!committed.remove(id)) return false
        if (pins.containsKey(id)) {
            retained += id
            return false
        }
        contentPath(id).deleteIfExists()
        true
    }

    /** Keeps the content of [ids] while a snapshot refers to them, even after no record does any more. */
    fun pin(ids: Collection<UUID>): Unit = synchronized(pinLock) {
        for (id in ids) pins.merge(id, 1, Int::plus)
    }

    /** Releases one pin of each of [ids]; content set aside that no snapshot refers to any more is deleted. */
    fun unpin(ids: Collection<UUID>): Unit = synchronized(pinLock) {
        for (id in ids) {
            val count = pins[id] ?: continue
            if (count > 1) {
                pins[id] = count - 1
            } else {
                pins.remove(id)
                if (retained.remove(id)) contentPath(id).deleteIfExists()
            }
        }
    }

    /** Takes the content of [ids] set aside back into use: records of a restored snapshot refer to them again. */
    fun reinstate(ids: Collection<UUID>): Unit = synchronized(pinLock) {
        for (id in ids) if (retained.remove(id)) committed += id
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

    /** Removes every file and session (the emulator's reset); content a snapshot refers to is set aside. */
    fun clear() {
        endSessions()
        committed.toList().forEach(::release)
    }

    /** Ends every upload session, deleting its partial content. */
    fun endSessions() {
        chunkSessions.values.forEach { it.file.deleteIfExists() }
        chunkSessions.clear()
        blockSessions.values.forEach { deleteTree(it.directory) }
        blockSessions.clear()
        lastUse.clear()
    }

    override fun close() {
        chunkSessions.clear()
        blockSessions.clear()
        committed.clear()
        synchronized(pinLock) {
            pins.clear()
            retained.clear()
        }
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
