package dev.dataverse.internal

import dev.dataverse.DownloadOptions
import dev.dataverse.FileInfo
import dev.dataverse.FileColumns
import dev.dataverse.InvalidInputException
import dev.dataverse.NotFoundException
import dev.dataverse.PreconditionFailedException
import dev.dataverse.UploadOptions
import dev.dataverse.internal.files.BlockUpload
import dev.dataverse.internal.files.ChunkedUpload
import dev.dataverse.internal.files.FileColumn
import dev.dataverse.internal.files.FileDownload
import dev.dataverse.internal.files.IoSlices
import dev.dataverse.internal.files.UploadSink
import dev.dataverse.internal.files.UploadTarget
import dev.dataverse.internal.files.openOnIo
import dev.dataverse.internal.protocol.FileProtocol
import dev.dataverse.internal.protocol.Identifiers
import dev.dataverse.internal.protocol.QueryStrings
import dev.dataverse.internal.protocol.Responses
import dev.dataverse.internal.protocol.TableMetadata
import dev.dataverse.internal.transport.ApiRequest
import dev.dataverse.internal.transport.HttpTransport
import dev.dataverse.internal.transport.operation
import dev.dataverse.internal.transport.operationFlow
import io.ktor.http.HttpMethod
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.withContext
import kotlinx.serialization.json.JsonNull
import java.io.InputStream
import java.io.OutputStream
import java.nio.file.AtomicMoveNotSupportedException
import java.nio.file.Path
import java.nio.file.StandardCopyOption
import java.util.UUID
import java.nio.file.Files as NioFiles

/**
 * File and image column content over the service's transfer protocols: known sizes go through the column's chunked
 * `PATCH` upload, unknown ones through the block API, and downloads read one `Range` at a time. Everything is validated
 * (names, ids, file names, that the column holds files, the size limit) before any content is sent.
 */
internal class RealFileColumns(private val transport: HttpTransport, private val tables: TableMetadataCache) : FileColumns {

    override suspend fun upload(table: String, id: UUID, column: String, source: Path, options: UploadOptions) {
        val address = Address.of(table, id, column)
        @Suppress("SENSELESS_COMPARISON")
        if (source == null) throw InvalidInputException("The source path cannot be null.")
        val fileName = FileProtocol.requireFileName(source.fileName?.toString())
        operation(transport, "files.upload", table) {
            val size = withContext(Dispatchers.IO) {
                if (!NioFiles.isRegularFile(source)) throw InvalidInputException("The source '$source' is not a readable file.")
                NioFiles.size(source)
            }
            val target = prepare(address, fileName, options, size)
            openOnIo { NioFiles.newInputStream(source) }.use { stream ->
                uploadKnownSize(target, size) { it.readFrom(stream) }
            }
        }
    }

    override suspend fun upload(table: String, id: UUID, column: String, source: InputStream, fileName: String, options: UploadOptions) {
        val address = Address.of(table, id, column)
        @Suppress("SENSELESS_COMPARISON")
        if (source == null) throw InvalidInputException("The source stream cannot be null.")
        FileProtocol.requireFileName(fileName)
        operation(transport, "files.upload", table) { upload(address, fileName, options) { it.readFrom(source) } }
    }

    override suspend fun upload(table: String, id: UUID, column: String, source: Flow<ByteArray>, fileName: String, options: UploadOptions) {
        val address = Address.of(table, id, column)
        @Suppress("SENSELESS_COMPARISON")
        if (source == null) throw InvalidInputException("The source flow cannot be null.")
        FileProtocol.requireFileName(fileName)
        operation(transport, "files.upload", table) { upload(address, fileName, options) { sink -> source.collect { sink.write(it) } } }
    }

    override suspend fun download(table: String, id: UUID, column: String, target: Path, options: DownloadOptions): FileInfo {
        val address = Address.of(table, id, column)
        @Suppress("SENSELESS_COMPARISON")
        if (target == null) throw InvalidInputException("The target path cannot be null.")
        val absolute = target.toAbsolutePath()
        val directory = absolute.parent ?: throw InvalidInputException("The target '$target' names no file.")
        return operation(transport, "files.download", table) {
            withContext(Dispatchers.IO) {
                if (NioFiles.isDirectory(absolute)) throw InvalidInputException("The target '$target' is a directory.")
                if (!NioFiles.isDirectory(directory)) throw InvalidInputException("The target's directory '$directory' does not exist.")
            }
            val download = begin(address, options)
            // A temporary file next to the target, moved over it at the end: the target is never seen half-written.
            // Assigned inside the block: a cancellation as the block returns discards its result, not the file.
            var partial: Path? = null
            try {
                // The name is shortened so that the temporary name stays within file system limits when the target's is long.
                val prefix = ".${absolute.fileName.toString().take(PARTIAL_NAME_CHARS)}."
                withContext(Dispatchers.IO) { partial = NioFiles.createTempFile(directory, prefix, ".part") }
                openOnIo { NioFiles.newOutputStream(partial!!) }.use { out -> copy(download, out) }
                withContext(Dispatchers.IO) { moveOver(partial!!, absolute) }
            } catch (e: Throwable) {
                partial?.let { withContext(NonCancellable + Dispatchers.IO) { NioFiles.deleteIfExists(it) } }
                throw e
            }
            download.info!!
        }
    }

    override suspend fun download(table: String, id: UUID, column: String, target: OutputStream, options: DownloadOptions): FileInfo {
        val address = Address.of(table, id, column)
        @Suppress("SENSELESS_COMPARISON")
        if (target == null) throw InvalidInputException("The target stream cannot be null.")
        return operation(transport, "files.download", table) {
            val download = begin(address, options)
            copy(download, target)
            withContext(Dispatchers.IO) { target.flush() }
            download.info!!
        }
    }

    /**
     * Each request runs as part of one operation (one correlation id), but chunks are emitted outside it: a flow must
     * emit in its collector's context, and the operation timeout bounds the client's work, not the collector's pace.
     */
    override fun downloadFlow(table: String, id: UUID, column: String, options: DownloadOptions): Flow<ByteArray> {
        val address = Address.of(table, id, column)
        return operationFlow(transport, "files.download", table) { call ->
            val download = operation(transport, call) { begin(address, options) }
            while (true) {
                val chunk = operation(transport, call) { download.next() } ?: break
                emit(chunk)
            }
        }
    }

    override suspend fun delete(table: String, id: UUID, column: String) {
        val address = Address.of(table, id, column)
        operation(transport, "files.delete", table) {
            val metadata = tables.get(address.table)
            fileColumn(address)
            try {
                transport.send(ApiRequest(HttpMethod.Delete, FileProtocol.columnPath(metadata.entitySetName, address.id, address.column)))
            } catch (e: NotFoundException) {
                // An earlier attempt that failed in flight deleted it: the caller's intent is fulfilled.
                if (!e.afterAmbiguousAttempt) throw e
            }
        }
    }

    /** A size from the options goes through the chunked upload like a file's; without one, blocks until the source ends. */
    private suspend fun upload(address: Address, fileName: String, options: UploadOptions, read: suspend (UploadSink) -> Unit) {
        val size = options.size
        if (size != null) {
            uploadKnownSize(prepare(address, fileName, options, size), size, read)
            return
        }
        val column = fileColumn(address)
        val target = target(address, fileName, options)
        if (!options.overwrite) requireEmpty(target)
        val sink = BlockUpload(transport, target, column.maxBytes, address.table)
        read(sink)
        sink.finish()
    }

    private suspend fun uploadKnownSize(target: UploadTarget, size: Long, read: suspend (UploadSink) -> Unit) {
        if (!target.overwrite) requireEmpty(target)
        if (size == 0L) {
            // The source must really be empty: check before anything is stored.
            val probe = EmptyCheck(target.column)
            read(probe)
            ChunkedUpload.empty(transport, target)
            return
        }
        val sink = ChunkedUpload.begin(transport, target, size)
        read(sink)
        sink.finish()
    }

    /** Checks the column and the size against its limit, and returns where the upload goes. */
    private suspend fun prepare(address: Address, fileName: String, options: UploadOptions, size: Long): UploadTarget {
        val column = fileColumn(address)
        if (size > column.maxBytes) throw FileProtocol.tooLarge(address.table, address.column, size, column.maxBytes)
        return target(address, fileName, options)
    }

    private suspend fun target(address: Address, fileName: String, options: UploadOptions): UploadTarget = UploadTarget(
        table = tables.get(address.table),
        id = address.id,
        column = address.column,
        fileName = fileName,
        contentType = FileProtocol.contentType(options.contentType, fileName),
        overwrite = options.overwrite,
        listener = options.onProgress,
    )

    /**
     * "Do not overwrite" is checked by reading the column first: the service offers no conditional upload (Learn:
     * file-column-data; `If-None-Match: null` is only a cache override). Another upload committed between that read and
     * this one's commit would still be replaced; callers who need more must serialise their own uploads.
     */
    private suspend fun requireEmpty(target: UploadTarget) {
        val path = "${target.table.entitySetName}(${target.id})" + QueryStrings.queryString(listOf("\$select" to target.column))
        val record = Responses.jsonObject(transport.send(ApiRequest(HttpMethod.Get, path)).body, "record")
        val stored = record[target.column]
        if (stored != null && stored !is JsonNull) {
            throw PreconditionFailedException(
                ErrorDetails(
                    message = "Column '${target.column}' of ${target.table.logicalName} ${target.id} already holds a file, and overwrite is false.",
                    serviceMessage = null, statusCode = 412, errorCode = null, serviceRequestId = null, ids = null,
                    isTransient = false, retryAfter = null,
                ),
            )
        }
    }

    private suspend fun fileColumn(address: Address): FileColumn = tables.fileColumns.get(address.table, address.column)

    private suspend fun begin(address: Address, options: DownloadOptions): FileDownload {
        val metadata: TableMetadata = tables.get(address.table)
        fileColumn(address)
        // A range larger than the client's response limit could never be read: ask for smaller ones instead.
        val chunkSize = minOf(options.chunkSize.toLong(), transport.maxResponseBytes).toInt()
        return FileDownload(transport, FileProtocol.valuePath(metadata.entitySetName, address.id, address.column), chunkSize, options.onProgress)
    }

    private suspend fun copy(download: FileDownload, out: OutputStream) {
        while (true) {
            val chunk = download.next() ?: return
            withContext(Dispatchers.IO) { IoSlices.write(out, chunk) }
        }
    }

    private fun moveOver(source: Path, target: Path) {
        try {
            NioFiles.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING)
        } catch (e: AtomicMoveNotSupportedException) {
            NioFiles.move(source, target, StandardCopyOption.REPLACE_EXISTING)
        }
    }

    /** A validated table, record id and column: every call checks these before its first request. */
    private class Address(val table: String, val id: UUID, val column: String) {
        companion object {
            fun of(table: String, id: UUID?, column: String): Address {
                val name = Identifiers.requireTable(table)
                Identifiers.requireColumn(column)
                if (id == null) throw InvalidInputException("The record id cannot be null.")
                return Address(name, id, column.lowercase())
            }
        }
    }

    private companion object {
        /** Characters of the target's name kept in its temporary file's name, with room for a random part and `.part`. */
        const val PARTIAL_NAME_CHARS = 64
    }

    /** The "sink" of a declared empty upload: any byte at all means the declared size was wrong. */
    private class EmptyCheck(private val column: String) : UploadSink(1) {
        override fun fullBufferIsLast(): Boolean = true
        override fun overflow(): Nothing = throw InvalidInputException("The source holds more than the declared 0 bytes; nothing was stored in '$column'.")
        override fun accepting(count: Int) = overflow()
        override suspend fun sendPiece() = overflow()
        override suspend fun finish() = Unit
    }
}
