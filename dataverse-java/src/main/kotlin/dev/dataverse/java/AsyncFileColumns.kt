package dev.dataverse.java

import dev.dataverse.DownloadOptions
import dev.dataverse.FileInfo
import dev.dataverse.UploadOptions
import dev.dataverse.java.internal.SharedClient
import java.io.InputStream
import java.io.OutputStream
import java.nio.file.Path
import java.util.UUID
import java.util.concurrent.CompletableFuture

/**
 * Upload, download and delete the content of file and image columns as `CompletableFuture`s. Obtained from
 * [DataverseAsyncClient.files]. The documentation of [dev.dataverse.FileColumns] applies.
 *
 * Streams are read and written on library I/O threads, never on the caller's. Failures, invalid input included, complete
 * the future exceptionally; cancelling the future stops the transfer, and a cancelled upload leaves the column as it was.
 *
 * ```java
 * client.files().upload("account", accountId, "new_contract", Path.of("contract.pdf"))
 *     .thenCompose(done -> client.files().download("account", accountId, "new_contract", Path.of("copy.pdf")))
 *     .thenAccept(info -> System.out.println(info.getSize() + " bytes"));
 * ```
 */
public class AsyncFileColumns private constructor(private val client: SharedClient) {
    private val files get() = client.core.files

    /** Uploads the file at [source] under its own name; completes with `null`. See [BlockingFileColumns.upload]. */
    @JvmOverloads
    public fun upload(
        table: String,
        id: UUID,
        column: String,
        source: Path,
        options: UploadOptions = UploadOptions.DEFAULT,
    ): CompletableFuture<Void?> = client.future { files.upload(table, id, column, source, options); null }

    /**
     * Uploads what [source] holds, read to its end, as [fileName]; completes with `null`. The stream is not closed, and
     * must not be used by the caller until the future completes.
     */
    @JvmOverloads
    public fun upload(
        table: String,
        id: UUID,
        column: String,
        source: InputStream,
        fileName: String,
        options: UploadOptions = UploadOptions.DEFAULT,
    ): CompletableFuture<Void?> = client.future { files.upload(table, id, column, source, fileName, options); null }

    /** Downloads the content of [column] into the file [target], replacing it; completes with its name, size and type. */
    @JvmOverloads
    public fun download(
        table: String,
        id: UUID,
        column: String,
        target: Path,
        options: DownloadOptions = DownloadOptions.DEFAULT,
    ): CompletableFuture<FileInfo> = client.future { files.download(table, id, column, target, options) }

    /**
     * Downloads the content of [column] into [target], which is not closed and must not be used by the caller until the
     * future completes.
     */
    @JvmOverloads
    public fun download(
        table: String,
        id: UUID,
        column: String,
        target: OutputStream,
        options: DownloadOptions = DownloadOptions.DEFAULT,
    ): CompletableFuture<FileInfo> = client.future { files.download(table, id, column, target, options) }

    /** Deletes the file in [column]; completes with `null`. */
    public fun delete(table: String, id: UUID, column: String): CompletableFuture<Void?> =
        client.future { files.delete(table, id, column); null }

    override fun toString(): String = "AsyncFileColumns"

    // Java sees no constructor taking the internal SharedClient: the module builds facades through `AsyncFileColumns(client)`.
    internal companion object {
        @JvmSynthetic
        internal operator fun invoke(client: SharedClient): AsyncFileColumns = AsyncFileColumns(client)
    }
}
