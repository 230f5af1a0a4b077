package dev.dataverse.internal.files

import dev.dataverse.MalformedResponseException
import dev.dataverse.TransferProgress
import dev.dataverse.TransferProgressListener
import dev.dataverse.internal.protocol.FileProtocol
import dev.dataverse.internal.protocol.TableMetadata
import dev.dataverse.internal.protocol.ApiResponse
import java.util.UUID

/** Where an upload goes and what it is called: the record's column, the file name and content type, and its options. */
internal class UploadTarget(
    val table: TableMetadata,
    val id: UUID,
    val column: String,
    val fileName: String,
    val contentType: String,
    val overwrite: Boolean,
    private val listener: TransferProgressListener?,
) {
    val columnPath: String = FileProtocol.columnPath(table.entitySetName, id, column)

    /** `x-ms-file-name` when the name can travel as a header; the query parameter carries it in every case. */
    val nameHeader: List<Pair<String, String>> = FileProtocol.nameHeader(fileName)

    fun progress(transferred: Long, total: Long?) {
        listener?.onProgress(TransferProgress(transferred, total))
    }

    /** Fails when a 2xx answer is not the one the protocol step expects, e.g. "done" (204) after a chunk that was not the last. */
    fun expect(response: ApiResponse, step: String, vararg statuses: Int) {
        if (response.status !in statuses) {
            throw MalformedResponseException("The service answered $step of the upload to $columnPath with HTTP ${response.status}, expected ${statuses.joinToString(" or ")}.")
        }
    }
}
