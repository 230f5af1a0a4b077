package dev.dataverse.internal.files

import dev.dataverse.InvalidInputException
import dev.dataverse.internal.protocol.FileProtocol
import dev.dataverse.internal.transport.HttpTransport

/**
 * The column-level chunked upload of content whose size is known (WIRE.md §8): a `PATCH` with
 * `x-ms-transfer-mode: chunked` opens a session, then one `PATCH` per chunk to the session's `Location` carries a
 * `Content-Range`; the service answers 206 until the chunk that completes the file, which it answers 204 and commits.
 * Until then the column keeps its previous content, so a failed, cancelled or short upload changes nothing.
 *
 * Retrying a chunk is safe: it carries the same bytes for the same range, which the session stores again in place. A
 * retried last chunk whose first attempt was applied finds the session complete; the service (and the emulator)
 * answers such a repeat as done.
 */
internal class ChunkedUpload private constructor(
    private val transport: HttpTransport,
    private val target: UploadTarget,
    private val location: String,
    chunkSize: Int,
    private val total: Long,
) : UploadSink(minOf(chunkSize.toLong(), total).toInt()) {

    override fun fullBufferIsLast(): Boolean = received >= total

    override fun overflow(): Nothing =
        throw InvalidInputException("The source holds more than the declared $total bytes; nothing was stored in '${target.column}'.")

    override fun accepting(count: Int) {
        if (received + count > total) overflow()
    }

    override suspend fun sendPiece() {
        sendChunk(last = false)
    }

    override suspend fun finish() {
        if (received != total) {
            throw InvalidInputException("The source ended after $received of the declared $total bytes; nothing was stored in '${target.column}'.")
        }
        sendChunk(last = true)
    }

    private suspend fun sendChunk(last: Boolean) {
        val response = transport.send(FileProtocol.chunk(location, target.fileName, target.contentType, sent, buffer, filled, total))
        if (last) target.expect(response, "the last chunk", 204, 200) else target.expect(response, "a chunk", 206)
        target.progress(sent + filled, total)
    }

    companion object {
        /** Opens an upload session for [total] (> 0) bytes and returns the sink that sends them. */
        suspend fun begin(transport: HttpTransport, target: UploadTarget, total: Long): ChunkedUpload {
            require(total > 0) { "a chunked upload needs content; empty files go in a single request" }
            val response = transport.send(FileProtocol.beginChunked(target.table, target.id, target.column, target.fileName))
            target.expect(response, "the start", 200)
            val location = FileProtocol.sessionLocation(response.header("Location"), target.columnPath)
            return ChunkedUpload(transport, target, location, FileProtocol.chunkSize(response.header("x-ms-chunk-size")), total)
        }

        /** Uploads an empty file: one `PATCH` without chunking, since an empty range cannot be written as `Content-Range`. */
        suspend fun empty(transport: HttpTransport, target: UploadTarget) {
            val response = transport.send(FileProtocol.emptyUpload(target.table, target.id, target.column, target.fileName, target.contentType))
            target.expect(response, "the request", 204, 200)
            target.progress(0, 0)
        }
    }
}
