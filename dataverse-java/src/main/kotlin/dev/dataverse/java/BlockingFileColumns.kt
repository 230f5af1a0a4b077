package dev.dataverse.java

import dev.dataverse.java.internal.SharedClient
import dev.dataverse.DownloadOptions
import dev.dataverse.FileInfo
import dev.dataverse.FileColumns
import dev.dataverse.UploadOptions
import dev.dataverse.java.internal.blocking
import java.io.InputStream
import java.io.OutputStream
import java.nio.file.Path
import java.util.UUID

/**
 * Upload, download and delete the content of file and image columns, blocking the calling thread until done. Obtained
 * from [DataverseBlockingClient.files].
 *
 * Content moves in chunks, so files of any size go through a small, constant amount of memory; the documentation of
 * [FileColumns] applies (the checks made before sending, what cancellation leaves behind).
 *
 * ```java
 * BlockingFileColumns files = client.files();
 * files.upload("account", accountId, "new_contract", Path.of("contract.pdf"));
 * FileInfo info = files.download("account", accountId, "new_contract", Path.of("copy.pdf"));
 * System.out.println(info.getFileName() + ", " + info.getSize() + " bytes, " + info.getContentType());
 * ```
 *
 * Interrupting a blocked thread stops the transfer; an interrupted upload leaves the column as it was. All methods are
 * thread-safe.
 */
public class BlockingFileColumns private constructor(client: SharedClient) {
    private val files: FileColumns = client.core.files

    /**
     * Uploads the file at [source] into [column] of the record [id] of [table], under the file's own name.
     *
     * @throws dev.dataverse.InvalidInputException when [column] is not a file or image column, or the file is larger
     *   than the column allows, before anything is sent.
     * @throws dev.dataverse.PreconditionFailedException when [UploadOptions.overwrite] is false and the column holds a file.
     */
    @JvmOverloads
    public fun upload(table: String, id: UUID, column: String, source: Path, options: UploadOptions = UploadOptions.DEFAULT): Unit =
        blocking { files.upload(table, id, column, source, options) }

    /**
     * Uploads what [source] holds, read to its end (and not closed), as [fileName]. Give [UploadOptions.size] when known,
     * so the column's size limit is checked before sending.
     */
    @JvmOverloads
    public fun upload(
        table: String,
        id: UUID,
        column: String,
        source: InputStream,
        fileName: String,
        options: UploadOptions = UploadOptions.DEFAULT,
    ): Unit = blocking { files.upload(table, id, column, source, fileName, options) }

    /**
     * Downloads the content of [column] into the file [target], replacing it, and returns its name, size and content type.
     *
     * @throws dev.dataverse.NotFoundException when the record does not exist or the column holds no file.
     */
    @JvmOverloads
    public fun download(table: String, id: UUID, column: String, target: Path, options: DownloadOptions = DownloadOptions.DEFAULT): FileInfo =
        blocking { files.download(table, id, column, target, options) }

    /** Downloads the content of [column] into [target], which is not closed; see the [Path] variant. */
    @JvmOverloads
    public fun download(
        table: String,
        id: UUID,
        column: String,
        target: OutputStream,
        options: DownloadOptions = DownloadOptions.DEFAULT,
    ): FileInfo = blocking { files.download(table, id, column, target, options) }

    /** Deletes the file in [column]. @throws dev.dataverse.NotFoundException when the column holds no file. */
    public fun delete(table: String, id: UUID, column: String): Unit = blocking { files.delete(table, id, column) }

    override fun toString(): String = "BlockingFileColumns"

    // Java sees no constructor taking the internal SharedClient: the module builds facades through `BlockingFileColumns(client)`.
    internal companion object {
        @JvmSynthetic
        internal operator fun invoke(client: SharedClient): BlockingFileColumns = BlockingFileColumns(client)
    }
}
