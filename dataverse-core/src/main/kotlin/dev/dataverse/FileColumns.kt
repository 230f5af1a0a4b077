package dev.dataverse

import kotlinx.coroutines.flow.Flow
import java.io.InputStream
import java.io.OutputStream
import java.nio.file.Path
import java.util.UUID

/**
 * Upload, download and delete the content of file and image columns: [DataverseClient.files]. Java code uses the
 * facades `BlockingFileColumns` and `AsyncFileColumns` of dataverse-java.
 *
 * (Named `FileColumns` rather than `Files`, so that Java code can import `dev.dataverse.*` together with
 * `java.nio.file.*`: no public type of this library shares its simple name with a type of `java.lang`, `java.util`,
 * `java.io`, `java.nio.file` or `java.time`.)
 *
 * Content moves in chunks (the service's chunked transfer protocol, 4 MiB unless the service asks otherwise), so files
 * of any size stream through a small, constant amount of memory. Cancelling the calling coroutine stops a transfer
 * between chunks and leaves the column as it was: an upload is only committed by its last chunk.
 *
 * Before sending, the client checks that the column is a file or image column and, when the size is known, that the
 * content fits the column's maximum size; both raise [InvalidInputException]. The column's type and limit are read from
 * its metadata once and cached like the rest of the table metadata.
 *
 * ## How content travels
 * - Known size (a `Path`, or [UploadOptions.size]): the column's chunked upload. A `PATCH` with
 *   `x-ms-transfer-mode: chunked` opens a session, then one `PATCH` per chunk (of the size the service names in
 *   `x-ms-chunk-size`, 4 MiB by default) carries a `Content-Range`. The last chunk commits the file, and it is only sent
 *   once the source has ended with exactly the declared size; a source that is shorter or longer fails with
 *   [InvalidInputException] and nothing is stored. An empty file is a single `PATCH`.
 * - Unknown size: the block actions `InitializeFileBlocksUpload`, `UploadBlock` (4 MiB blocks, Base64) and
 *   `CommitFileBlocksUpload`. The size limit is checked as bytes arrive; the block that would cross it is not sent.
 * - "Do not overwrite" ([UploadOptions.overwrite] `false`) is checked by reading the column first, whichever way the
 *   content travels: the service has no conditional upload. Uploads send `If-None-Match: null`, which Learn recommends
 *   on every request as a cache override and which is no condition.
 * - Downloads: one ranged `GET .../$value` per [DownloadOptions.chunkSize] until the size the first answer reports.
 *
 * The file name is sent percent-encoded in the `x-ms-file-name` query parameter, which carries any Unicode name, and also
 * as the header of that name when it is printable ASCII. The content type is [UploadOptions.contentType], else the type
 * the file name's extension suggests, else `application/octet-stream`.
 *
 * ## Retries
 * Transient failures are retried like any request. Resending a chunk is safe even when the first attempt was applied:
 * it carries the same bytes for the same range, which the session stores again in place, and a repeated last chunk is
 * answered as done. Ranged downloads and block uploads are retried too; the block commit is not repeated after a failure
 * in flight, since it cannot be told apart from a second commit.
 *
 * ## Errors
 * Service failures are [DataverseException]s. Reading the caller's source or writing the caller's target may also throw
 * the `java.io.IOException` of that stream or file, unchanged.
 */
public interface FileColumns {
    /**
     * Uploads the file at [source] into [column] of the record [id] of [table], under the file's own name.
     *
     * @throws InvalidInputException when [column] is not a file or image column, or the file exceeds its maximum size.
     * @throws NotFoundException when the record does not exist.
     * @throws PreconditionFailedException when [UploadOptions.overwrite] is false and the column already holds a file.
     */
    public suspend fun upload(table: String, id: UUID, column: String, source: Path, options: UploadOptions = UploadOptions.DEFAULT)

    /**
     * Uploads the content read from [source] as [fileName]. The stream is read to its end but not closed. Give
     * [UploadOptions.size] when known, so the size limit is checked before sending.
     */
    public suspend fun upload(
        table: String,
        id: UUID,
        column: String,
        source: InputStream,
        fileName: String,
        options: UploadOptions = UploadOptions.DEFAULT,
    )

    /** Uploads the bytes emitted by [source], collected once, as [fileName]; see the [InputStream] overload. */
    public suspend fun upload(
        table: String,
        id: UUID,
        column: String,
        source: Flow<ByteArray>,
        fileName: String,
        options: UploadOptions = UploadOptions.DEFAULT,
    )

    /**
     * Downloads the content of [column] into the file [target], replacing it, and returns the file's name, size and
     * content type as stored. A partly written [target] is deleted when the download fails or is cancelled.
     *
     * @throws NotFoundException when the record does not exist or the column holds no file.
     */
    public suspend fun download(table: String, id: UUID, column: String, target: Path, options: DownloadOptions = DownloadOptions.DEFAULT): FileInfo

    /** Downloads the content of [column] into [target], which is not closed; see the [Path] overload. */
    public suspend fun download(
        table: String,
        id: UUID,
        column: String,
        target: OutputStream,
        options: DownloadOptions = DownloadOptions.DEFAULT,
    ): FileInfo

    /**
     * The content of [column] as a cold flow of chunks, read from the service as it is collected.
     *
     * @throws NotFoundException (when collected) when the record does not exist or the column holds no file.
     */
    public fun downloadFlow(table: String, id: UUID, column: String, options: DownloadOptions = DownloadOptions.DEFAULT): Flow<ByteArray>

    /**
     * Deletes the file in [column].
     *
     * @throws NotFoundException when the record does not exist or the column holds no file.
     */
    public suspend fun delete(table: String, id: UUID, column: String)
}
