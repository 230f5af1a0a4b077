package dev.dataverse.emulator.internal.http

import dev.dataverse.emulator.internal.ApiErrors
import dev.dataverse.emulator.internal.ApiException
import dev.dataverse.emulator.internal.ErrorCodes
import dev.dataverse.emulator.internal.files.ChunkSession
import dev.dataverse.emulator.internal.files.FileCondition
import dev.dataverse.emulator.internal.files.FileErrors
import dev.dataverse.emulator.internal.files.FileTarget
import dev.dataverse.emulator.internal.files.MimeTypes
import dev.dataverse.emulator.internal.model.ColumnDefinition
import dev.dataverse.emulator.internal.model.ColumnType
import dev.dataverse.emulator.internal.model.TableDefinition
import dev.dataverse.emulator.internal.odata.PathSegment
import dev.dataverse.emulator.internal.odata.PercentCoding
import dev.dataverse.emulator.internal.records.RecordKey
import dev.dataverse.emulator.internal.records.find
import dev.dataverse.emulator.internal.records.notFound
import dev.dataverse.emulator.internal.store.StoredFile
import dev.dataverse.emulator.internal.store.StoredRecord
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import java.nio.ByteBuffer
import java.nio.channels.FileChannel
import java.util.Base64
import java.util.UUID

/**
 * The content of a file or image column (WIRE.md §8):
 *
 * - `PATCH {set}(id)/{col}` with the bytes, `x-ms-file-name` (header or query parameter) and `Content-Type`: stores the
 *   file in one request; 204.
 * - `PATCH {set}(id)/{col}?x-ms-file-name=..` with `x-ms-transfer-mode: chunked` and no body: opens a session; 200 with
 *   `Location` (`...{col}?sessiontoken=..`), `Accept-Ranges: bytes` and `x-ms-chunk-size: 4194304`. Then one
 *   `PATCH <Location>` per chunk with `Content-Range: bytes a-b/total`: 206, and 204 for the chunk that completes the
 *   file, which is only then stored in the column.
 * - `GET {set}(id)/{col}/$value`, optionally with `Range: bytes=a-b`: 200 (or 206 with `Content-Range` and
 *   `x-ms-chunk-size`) with `x-ms-file-size`, `x-ms-file-name`, `mimetype`; the body is streamed from disk.
 * - `GET {set}(id)/{col}` (DynamicsWebApi's download form): the same, as a property whose `value` is the Base64 bytes.
 * - `DELETE {set}(id)/{col}`: 204.
 *
 * `If-None-Match: *` makes an upload fail with 412 when the column holds a file (`If-None-Match: null` is no condition); `If-Match: *` or no header replaces
 * it. Content over the column's `MaxSizeInKB` fails with 400 `0x80044a02`. The stored MIME type is the request's
 * `Content-Type`, or, when that is `application/octet-stream`, the type the file name suggests.
 */
internal class FileColumnHandler(private val context: EmulatorContext) {
    private val files get() = context.files

    fun handle(call: ApiCall, table: TableDefinition, key: RecordKey, column: ColumnDefinition, segments: List<PathSegment>): ApiResponse {
        if (segments.size == 2) {
            if (segments[1].name != VALUE || segments[1].keyText != null) throw ApiErrors.segmentNotFound(segments[1].toString())
            if (call.method != "GET") throw ApiErrors.methodNotAllowed(call.method, listOf("GET"))
            return download(call, table, key, column)
        }
        return when (call.method) {
            "PATCH", "PUT" -> {
                context.stats.fileUploadReceived()
                val token = call.target.option(SESSION_TOKEN)
                when {
                    token != null -> chunk(call, table, key, column, token)
                    call.request.header(TRANSFER_MODE)?.trim().equals("chunked", ignoreCase = true) -> startChunked(call, table, key, column)
                    else -> single(call, table, key, column)
                }
            }
            "DELETE" -> delete(table, key, column)
            "GET" -> property(call, table, key, column)
            else -> throw ApiErrors.methodNotAllowed(call.method, listOf("PATCH", "DELETE"))
        }
    }

    private fun single(call: ApiCall, table: TableDefinition, key: RecordKey, column: ColumnDefinition): ApiResponse {
        val record = record(table, key)
        val fileName = fileName(call)
        val body = call.request.body
        if (body.size > maxBytes(column)) throw FileErrors.tooBig()
        val condition = condition(call)
        requireAllowed(record, column, condition)
        val id = files.store(body)
        val mimeType = MimeTypes.of(call.request.header("Content-Type"), fileName)
        commit(table, record.id, column, StoredFile(id, fileName, body.size.toLong(), mimeType), condition)
        return ApiResponse.empty(204)
    }

    private fun startChunked(call: ApiCall, table: TableDefinition, key: RecordKey, column: ColumnDefinition): ApiResponse {
        val record = record(table, key)
        val fileName = fileName(call)
        val condition = condition(call)
        requireAllowed(record, column, condition)
        val session = files.openChunkSession(FileTarget(table.logicalName, record.id, column.logicalName), fileName, condition)
        val location = "${context.apiUrl}/${table.entitySetName}(${record.id})/${column.logicalName}?$SESSION_TOKEN=${session.token}"
        return ApiResponse.empty(
            200,
            listOf(
                "Location" to location,
                "Accept-Ranges" to "bytes",
                CHUNK_SIZE to CHUNK_BYTES.toString(),
                "Access-Control-Expose-Headers" to CHUNK_SIZE,
            ),
        )
    }

    private fun chunk(call: ApiCall, table: TableDefinition, key: RecordKey, column: ColumnDefinition, token: String): ApiResponse {
        val session = files.chunkSession(token) ?: throw FileErrors.unknownSession()
        val record = record(table, key)
        if (session.target != FileTarget(table.logicalName, record.id, column.logicalName)) {
            throw FileErrors.badRequest("The upload session belongs to another record or column.")
        }
        val range = ContentRange.parse(call.request.header("Content-Range"))
        if (range.total > maxBytes(column)) throw FileErrors.tooBig()
        val body = call.request.body
        if (body.size.toLong() != range.length) {
            throw FileErrors.badRequest("The chunk has ${body.size} bytes but its Content-Range names ${range.length}.")
        }
        synchronized(session.lock) {
            if (session.committedFileId != null) {
                // A retried last chunk whose first attempt completed the file: done, as before.
                if (range.last + 1 == range.total && range.total == session.total) return ApiResponse.empty(204)
                throw FileErrors.badRequest("The upload session is complete.")
            }
            val total = session.total ?: range.total.also { session.total = it }
            if (range.total != total) throw FileErrors.badRequest("The chunk names a total of ${range.total} bytes; the session's first chunk named $total.")
            if (range.first > session.received) {
                throw FileErrors.badRequest("Chunks must be contiguous: the next chunk starts at byte ${session.received}, this one at ${range.first}.")
            }
            files.writeAt(session.file, range.first, body, 0, body.size)
            session.received = maxOf(session.received, range.last + 1)
            if (session.contentType == null) session.contentType = call.request.header("Content-Type")
            call.request.header(FILE_NAME)?.let { session.headerName = it }
            if (session.received < total) return ApiResponse.empty(206, listOf(CHUNK_SIZE to CHUNK_BYTES.toString()))
            return completeChunked(table, column, session, total)
        }
    }

    private fun completeChunked(table: TableDefinition, column: ColumnDefinition, session: ChunkSession, total: Long): ApiResponse {
        val id = files.store(session.file)
        val name = session.headerName ?: session.fileName
        commit(table, session.target.recordId, column, StoredFile(id, name, total, MimeTypes.of(session.contentType, name)), session.condition)
        session.committedFileId = id
        files.closeChunkSession(session)
        return ApiResponse.empty(204)
    }

    private fun download(call: ApiCall, table: TableDefinition, key: RecordKey, column: ColumnDefinition): ApiResponse {
        val record = record(table, key)
        // Learn (file-column-data): an empty image column answers 204 without a body; an empty file column, 404.
        val file = record[column.logicalName] as StoredFile?
            ?: if (column.type == ColumnType.IMAGE) return ApiResponse.empty(204) else throw FileErrors.noFile(column.logicalName, record.id)
        val size = file.sizeInBytes
        // As the service sends them: the bytes as application/octet-stream with a Content-Disposition, the file's own
        // type in `mimetype`.
        val headers = listOf(
            "x-ms-file-size" to size.toString(),
            FILE_NAME to file.name,
            "mimetype" to file.mimeType,
            "Accept-Ranges" to "bytes",
            "Content-Disposition" to contentDisposition(file.name),
        )
        val path = files.contentPath(file.id)
        val range = call.request.header("Range")?.let { RangeRequest.parse(it) }
        if (range == null || size == 0L) return ApiResponse(200, headers, null, OCTET_STREAM, FileBody(path, 0, size))
        if (range.first >= size) {
            throw ApiException(
                416, ErrorCodes.INVALID_ARGUMENT,
                "The range starts at byte ${range.first}, past the end of the $size-byte file.",
                listOf("Content-Range" to "bytes */$size"),
            )
        }
        val last = minOf(range.last ?: (size - 1), size - 1)
        val length = last - range.first + 1
        return ApiResponse(
            206,
            headers + listOf("Content-Range" to "bytes ${range.first}-$last/$size", CHUNK_SIZE to length.toString()),
            null,
            OCTET_STREAM,
            FileBody(path, range.first, length),
        )
    }

    /**
     * `GET {set}(id)/{col}` without `/$value` (optionally `?size=full`, with `Range`): the column as an OData property,
     * its bytes Base64-encoded in `value` (Edm.Binary), with the download headers. This is the form DynamicsWebApi's
     * documented `downloadFile` uses against the service (`GET .../{col}?size=full` with `Range: bytes=a-b`, reading
     * `x-ms-file-name`, `x-ms-file-size` and the Base64 `value` of each 206 answer). A guess where neither documents it: a
     * range that starts at the end of the file (DynamicsWebApi asks for one when the size is a multiple of its chunk
     * size) answers 206 with an empty value.
     */
    private fun property(call: ApiCall, table: TableDefinition, key: RecordKey, column: ColumnDefinition): ApiResponse {
        call.target.parameters.firstOrNull { !it.name.equals(SIZE, ignoreCase = true) }?.let {
            throw ApiErrors.badRequest("The query option '${it.name}' is not supported when reading the file column '${column.logicalName}'.")
        }
        val record = record(table, key)
        val file = record[column.logicalName] as StoredFile?
            ?: if (column.type == ColumnType.IMAGE) return ApiResponse.empty(204) else throw FileErrors.noFile(column.logicalName, record.id)
        val size = file.sizeInBytes
        val range = call.request.header("Range")?.let { RangeRequest.parse(it) }
        val first = range?.first?.coerceAtMost(size) ?: 0L
        val last = if (range == null) size - 1 else minOf(range.last ?: (size - 1), size - 1)
        val length = (last - first + 1).coerceAtLeast(0)
        if (length > MAX_INLINE_BYTES) {
            throw ApiErrors.badRequest("Read a file this large in ranges (Range: bytes=a-b) or from ${column.logicalName}/\$value.")
        }
        val bytes = FileChannel.open(files.contentPath(file.id)).use { channel ->
            val buffer = ByteBuffer.allocate(length.toInt())
            while (buffer.hasRemaining() && channel.read(buffer, first + buffer.position()) >= 0) Unit
            buffer.array()
        }
        val headers = listOf(
            "x-ms-file-size" to size.toString(),
            FILE_NAME to file.name,
            "mimetype" to file.mimeType,
            "Accept-Ranges" to "bytes",
            "Content-Disposition" to contentDisposition(file.name),
        ) + if (range != null) listOf(CHUNK_SIZE to length.toString()) else emptyList()
        val body = JsonObject(
            mapOf(
                "@odata.context" to JsonPrimitive("${context.apiUrl}/\$metadata#${table.entitySetName}(${record.id})/${column.logicalName}"),
                "value" to JsonPrimitive(Base64.getEncoder().encodeToString(bytes)),
            ),
        )
        return ApiResponse.json(if (range != null) 206 else 200, body, headers)
    }

    /** `attachment; filename="…"`, with the RFC 6266 `filename*` form for names that are not plain ASCII. */
    private fun contentDisposition(name: String): String {
        val ascii = name.all { it.code in 0x20..0x7E && it != '"' && it != '\\' }
        if (ascii) return "attachment; filename=\"$name\""
        val encoded = PercentCoding.encodeQuery(name) // RFC 5987: only unreserved characters stay as they are
        return "attachment; filename*=UTF-8''$encoded"
    }

    private fun delete(table: TableDefinition, key: RecordKey, column: ColumnDefinition): ApiResponse {
        val record = record(table, key)
        context.writer.updateFile(table, RecordKey.ById(record.id), column) { current ->
            current ?: throw FileErrors.noFile(column.logicalName, record.id)
            null
        }
        return ApiResponse.empty(204)
    }

    /** Stores [file] in the column unless [condition] forbids it now; its content is discarded when the commit fails. */
    private fun commit(table: TableDefinition, recordId: UUID, column: ColumnDefinition, file: StoredFile, condition: FileCondition) {
        try {
            context.writer.updateFile(table, RecordKey.ById(recordId), column) { current ->
                if (condition == FileCondition.ONLY_IF_EMPTY && current != null) throw FileErrors.alreadyHasFile(column.logicalName)
                file
            }
        } catch (e: Throwable) {
            files.discard(file.id)
            throw e
        }
        files.adopt(file.id)
    }

    private fun record(table: TableDefinition, key: RecordKey): StoredRecord = context.store.table(table).find(key) ?: throw key.notFound(table)

    private fun requireAllowed(record: StoredRecord, column: ColumnDefinition, condition: FileCondition) {
        if (condition == FileCondition.ONLY_IF_EMPTY && record[column.logicalName] != null) throw FileErrors.alreadyHasFile(column.logicalName)
    }

    /** The header takes precedence over the query parameter, which is the form that carries any Unicode name. */
    private fun fileName(call: ApiCall): String {
        val name = call.request.header(FILE_NAME) ?: call.target.option(FILE_NAME)
        if (name.isNullOrBlank()) throw FileErrors.badRequest("The file name is missing: send it as the x-ms-file-name header or query parameter.")
        return FileErrors.requireNoControl(name, "file name")
    }

    /**
     * `If-None-Match: null` is the cache override Learn recommends on every request (compose-http-requests-handle-errors),
     * never a condition: an upload carrying it replaces a stored file like any other. Only the HTTP `If-None-Match: *`
     * (RFC 9110 §13.1.2) asks for an empty column.
     */
    private fun condition(call: ApiCall): FileCondition {
        val ifNoneMatch = call.request.header("If-None-Match")?.trim()
        return if (ifNoneMatch == "*") FileCondition.ONLY_IF_EMPTY else FileCondition.ANY
    }

    companion object {
        const val VALUE: String = "\$value"
        const val SESSION_TOKEN: String = "sessiontoken"
        const val TRANSFER_MODE: String = "x-ms-transfer-mode"
        const val FILE_NAME: String = "x-ms-file-name"
        const val CHUNK_SIZE: String = "x-ms-chunk-size"
        private const val SIZE = "size"

        /** The most bytes the property form inlines as Base64 in one answer; larger reads take ranges or `/$value`. */
        private const val MAX_INLINE_BYTES = 128L * 1024 * 1024
        private const val OCTET_STREAM = "application/octet-stream"

        /** The chunk size the service asks for: 4 MiB. */
        const val CHUNK_BYTES: Int = 4 * 1024 * 1024

        fun maxBytes(column: ColumnDefinition): Long = (column.maxSizeInKB ?: DEFAULT_MAX_KB).toLong() * 1024

        /** The service's default `MaxSizeInKB` for file columns: 32 MB. */
        private const val DEFAULT_MAX_KB = 32768
    }
}

/** A chunk's `Content-Range: bytes first-last/total`. */
internal class ContentRange(val first: Long, val last: Long, val total: Long) {
    val length: Long get() = last - first + 1

    companion object {
        private val FORMAT = Regex("bytes (\\d{1,18})-(\\d{1,18})/(\\d{1,18})")

        fun parse(header: String?): ContentRange {
            val match = header?.trim()?.let(FORMAT::matchEntire)
                ?: throw FileErrors.badRequest("A chunk needs a Content-Range header like 'bytes 0-4194303/25870370', but got ${header?.let { "'$it'" } ?: "none"}.")
            val (first, last, total) = match.destructured.toList().map(String::toLong)
            if (first > last || last >= total) throw FileErrors.badRequest("The Content-Range '$header' is not a range within the file.")
            return ContentRange(first, last, total)
        }
    }
}

/** A download's `Range: bytes=first-[last]`. */
internal class RangeRequest(val first: Long, val last: Long?) {
    companion object {
        private val FORMAT = Regex("bytes=(\\d{1,18})-(\\d{1,18})?")

        fun parse(header: String): RangeRequest {
            val match = FORMAT.matchEntire(header.trim()) ?: throw FileErrors.badRequest("Unsupported Range '$header': expected 'bytes=first-last'.")
            val first = match.groupValues[1].toLong()
            val last = match.groupValues[2].takeIf { it.isNotEmpty() }?.toLong()
            if (last != null && last < first) throw FileErrors.badRequest("The Range '$header' ends before it starts.")
            return RangeRequest(first, last)
        }
    }
}
