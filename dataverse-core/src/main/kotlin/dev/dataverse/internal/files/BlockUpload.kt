package dev.dataverse.internal.files

import dev.dataverse.MalformedResponseException
import dev.dataverse.internal.protocol.FileProtocol
import dev.dataverse.internal.transport.HttpTransport

/**
 * The block upload of content whose size is unknown until the source ends (WIRE.md §8): `InitializeFileBlocksUpload`
 * opens it (lazily, with the first block, so a source that fails at once sends nothing), `UploadBlock` sends each
 * block as Base64 and `CommitFileBlocksUpload` stores the file. Until the commit the column keeps its content.
 *
 * The column's size limit is enforced as the bytes arrive: the block that would cross it is never sent.
 * Initializing and sending a block are safe to retry (a new session, or the same block id with the same bytes); the
 * commit is not, so the transport does not repeat it after a failure in flight.
 */
internal class BlockUpload(
    private val transport: HttpTransport,
    private val target: UploadTarget,
    private val maxBytes: Long,
    private val tableName: String,
    private val declaredTotal: Long? = null,
) : UploadSink(FileProtocol.DEFAULT_CHUNK_SIZE) {
    private var token: String? = null
    private val blockIds = mutableListOf<String>()

    override fun fullBufferIsLast(): Boolean = false

    override fun overflow(): Nothing = throw FileProtocol.tooLarge(tableName, target.column, received + 1, maxBytes)

    override fun accepting(count: Int) {
        if (received + count > maxBytes) throw FileProtocol.tooLarge(tableName, target.column, received + count, maxBytes)
    }

    override suspend fun sendPiece() {
        val token = token ?: initialize().also { token = it }
        val blockId = FileProtocol.blockId(blockIds.size)
        transport.send(FileProtocol.uploadBlock(blockId, buffer, filled, token))
        blockIds += blockId
        target.progress(sent + filled, declaredTotal)
    }

    override suspend fun finish() {
        if (filled > 0) {
            sendPiece()
            sent += filled
            filled = 0
        }
        val token = token ?: initialize().also { token = it }
        val response = transport.send(FileProtocol.commitBlocks(target.fileName, target.contentType, blockIds, token))
        val stored = FileProtocol.committedSize(response.body)
        if (stored != null && stored != sent) {
            throw MalformedResponseException("The service stored $stored bytes in '${target.column}', but $sent were sent.")
        }
        if (sent == 0L) target.progress(0, 0)
    }

    private suspend fun initialize(): String {
        val response = transport.send(FileProtocol.initializeBlocks(target.table, target.id, target.column, target.fileName))
        return FileProtocol.continuationToken(response.body)
    }
}
