package dev.dataverse.internal.files

import dev.dataverse.DataverseException
import dev.dataverse.FileInfo
import dev.dataverse.MalformedResponseException
import dev.dataverse.TransferProgress
import dev.dataverse.TransferProgressListener
import dev.dataverse.internal.protocol.ApiResponse
import dev.dataverse.internal.protocol.FileProtocol
import dev.dataverse.internal.protocol.TableMetadata
import dev.dataverse.internal.transport.HttpTransport
import java.util.UUID

/**
 * Reads a file column's content one `Range` request at a time (WIRE.md §8): the first answer tells the file's size, name
 * and type, and requests go on until that size is read. Each answer is bounded by the range asked for, so a download
 * holds one chunk in memory. Ranged `GET`s are safe to retry, which the transport does for transient failures.
 *
 * With [reuseBuffer] every chunk is read into the same array of [chunkSize] bytes (the caller writes each one out
 * before asking for the next): the download then holds that one array, however fast the garbage collector reclaims.
 * Without it, each chunk is an array of its own, for callers that hand chunks on (a `Flow<ByteArray>`).
 */
internal class FileDownload(
    private val transport: HttpTransport,
    private val table: TableMetadata,
    private val id: UUID,
    private val column: String,
    private val chunkSize: Int,
    private val listener: TransferProgressListener?,
    reuseBuffer: Boolean = false,
) {
    private val buffer: ByteArray? = if (reuseBuffer) ByteArray(chunkSize) else null

    /** One chunk: the first [length] bytes of [bytes] (a shared buffer when the download reuses one). */
    class Chunk(val bytes: ByteArray, val length: Int)

    /** The file as the first answer described it; `null` before the first chunk. */
    var info: FileInfo? = null
        private set

    private var offset = 0L

    /** The column's value path, for messages. */
    private val path = FileProtocol.valuePath(table.entitySetName, id, column)

    /**
     * The next chunk, or `null` once the whole file has been read. The first call also sets [info]. With a reused buffer,
     * the chunk is valid until the next call.
     */
    suspend fun next(): Chunk? {
        val known = info
        if (known != null && offset >= known.size) return null
        val length = if (known == null) chunkSize else minOf(chunkSize.toLong(), known.size - offset).toInt()
        val response = transport.send(FileProtocol.download(table, id, column, offset, length, buffer))
        // Learn (file-column-data): an empty image column answers 204 with no body, where a file column answers 404.
        if (response.status == 204 && known == null) throw response.notFound("Column $path holds no file (HTTP 204 No Content).")
        val file = describe(response, known)
        val bytes = response.body.bytes
        val count = response.body.size
        val expected = minOf(length.toLong(), file.size - offset).toInt()
        when (response.status) {
            206 -> {
                // Fewer bytes than asked for is a smaller range (e.g. the service's own chunk size): the next request
                // continues after it. None at all, before the end, would never finish.
                if (count > expected || (count == 0 && expected > 0)) {
                    throw MalformedResponseException("The service sent $count bytes for bytes $offset..${offset + expected - 1} of $path.")
                }
                checkContentRange(response.header("Content-Range"), count, file.size)
            }
            200 -> if (offset != 0L || count.toLong() != file.size) {
                throw MalformedResponseException("The service ignored the Range of a download of $path and sent $count bytes.")
            }
            else -> throw MalformedResponseException("The service answered a download of $path with HTTP ${response.status}.")
        }
        info = file
        offset += count
        listener?.onProgress(TransferProgress(offset, file.size))
        return if (count == 0 && offset >= file.size) null else Chunk(bytes, count)
    }

    private fun describe(response: ApiResponse, known: FileInfo?): FileInfo {
        val described = FileProtocol.fileInfo(response::header)
        if (known != null && described.size != known.size) {
            throw DataverseException(
                "The file in $path changed while it was downloaded (${known.size} bytes, now ${described.size}); download it again.",
            )
        }
        return known ?: described
    }

    /** The `Content-Range` of a 206, when it has one, must describe the [count] bytes received at the offset asked for. */
    private fun checkContentRange(header: String?, count: Int, size: Long) {
        val range = header?.let(CONTENT_RANGE::matchEntire) ?: return
        val (start, end, total) = range.destructured
        if (start.toLong() != offset || end.toLong() != offset + count - 1 || (total != "*" && total.toLong() != size)) {
            throw MalformedResponseException("The service sent the range ${header.trim()} of $path when bytes from $offset of $size were asked for.")
        }
    }

    private companion object {
        val CONTENT_RANGE = Regex("\\s*bytes (\\d+)-(\\d+)/(\\d+|\\*)\\s*")
    }
}
