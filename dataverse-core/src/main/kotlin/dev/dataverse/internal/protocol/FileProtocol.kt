package dev.dataverse.internal.protocol

import dev.dataverse.FileInfo
import dev.dataverse.InvalidInputException
import dev.dataverse.MalformedResponseException
import dev.dataverse.internal.protocol.Responses.optionalString
import dev.dataverse.internal.protocol.Responses.requiredString
import dev.dataverse.internal.protocol.json.JsonWriter
import io.ktor.http.HttpMethod
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.longOrNull
import kotlinx.serialization.json.put
import java.net.URLConnection
import java.nio.ByteBuffer
import java.nio.file.Files
import java.nio.file.InvalidPathException
import java.nio.file.Path
import java.util.Base64
import java.util.UUID

/** Whether a column holds files or images; both use the same transfer protocol. */
internal enum class FileColumnKind(val metadataType: String, val attributeTypeName: String) {
    FILE("FileAttributeMetadata", "FileType"),
    IMAGE("ImageAttributeMetadata", "ImageType"),
}

/**
 * The wire format of file and image columns (WIRE.md §8; Learn: "Use file column data", "Use image column data"): the
 * requests of every step — the column's metadata, the chunked and the block uploads, ranged downloads, delete — and the
 * parsing of their answers. Pure, so every request is unit-tested from Learn's examples.
 */
internal object FileProtocol {
    /** The service's chunk size when it does not name one (`x-ms-chunk-size`), and the block size of the block API. */
    const val DEFAULT_CHUNK_SIZE: Int = 4 * 1024 * 1024

    /** The largest chunk size the client accepts from `x-ms-chunk-size`; more would let a server dictate the heap used. */
    const val MAX_CHUNK_SIZE: Int = 16 * 1024 * 1024

    /** A `.` or `..` path segment, which a server or proxy would resolve to some other resource. */
    private val DOT_SEGMENT = Regex("(^|/)(\\.|%2[eE]){1,2}(/|$)")

    const val OCTET_STREAM: String = "application/octet-stream"

    private const val MAX_FILE_NAME_LENGTH = 255
    private const val BASE64_PIECE = 3 * 4096

    /** `accounts(<id>)/sample_filecolumn`: the column's content, for upload and delete. */
    fun columnPath(entitySet: String, id: UUID, column: String): String = "$entitySet($id)/$column"

    /** `accounts(<id>)/sample_filecolumn/$value`: the column's bytes, for download. */
    fun valuePath(entitySet: String, id: UUID, column: String): String = columnPath(entitySet, id, column) + "/\$value"

    /**
     * The upload target with the file name as query parameter, the form that carries any Unicode name (the header is
     * only sent when the name is plain ASCII; see [headerSafe]).
     */
    fun uploadPath(entitySet: String, id: UUID, column: String, fileName: String): String =
        columnPath(entitySet, id, column) + "?x-ms-file-name=" + UrlEncoding.query(fileName)

    /**
     * Rejects names that cannot be stored or sent: blank, longer than 255 characters, holding control characters (a
     * line break would end the header), path separators, or unpaired surrogates.
     */
    fun requireFileName(fileName: String?): String {
        @Suppress("SENSELESS_COMPARISON")
        if (fileName == null || fileName.isBlank()) throw InvalidInputException("The file name cannot be blank.")
        if (fileName.length > MAX_FILE_NAME_LENGTH) {
            throw InvalidInputException("The file name is ${fileName.length} characters long; at most $MAX_FILE_NAME_LENGTH are allowed.")
        }
        if (fileName.any { it.isISOControl() }) {
            throw InvalidInputException("Invalid file name ${Identifiers.quote(fileName)}: it holds control characters or line breaks.")
        }
        if (fileName.any { it == '/' || it == '\\' }) {
            throw InvalidInputException("Invalid file name ${Identifiers.quote(fileName)}: a file name cannot hold '/' or '\\'.")
        }
        ODataLiterals.requireWellFormed(fileName)
        return fileName
    }

    /**
     * Whether [fileName] can travel as the `x-ms-file-name` header: printable ASCII only. Header values are bytes that
     * servers read as ISO-8859-1, so other names go in the query parameter alone, which the service decodes as UTF-8.
     */
    fun headerSafe(fileName: String): Boolean = fileName.all { it.code in 0x20..0x7E }

    /** The caller's content type, else one guessed from the file name, else `application/octet-stream`. */
    fun contentType(explicit: String?, fileName: String): String = explicit ?: guessContentType(fileName) ?: OCTET_STREAM

    /** The MIME type the JDK associates with the file name's extension, or `null`. */
    fun guessContentType(fileName: String): String? {
        URLConnection.guessContentTypeFromName(fileName)?.let { return it }
        return try {
            Files.probeContentType(Path.of(fileName))
        } catch (e: InvalidPathException) {
            null
        } catch (e: java.io.IOException) {
            null
        }
    }

    /** `Content-Range: bytes 0-4194303/25870370` for [length] (> 0) bytes at [offset] of a file of [total] bytes. */
    fun contentRange(offset: Long, length: Int, total: Long): String {
        require(length > 0 && offset >= 0 && offset + length <= total) { "bad range $offset+$length of $total" }
        return "bytes $offset-${offset + length - 1}/$total"
    }

    /** `Range: bytes=0-4194303` for [length] (> 0) bytes at [offset]. */
    fun range(offset: Long, length: Int): String {
        require(length > 0 && offset >= 0) { "bad range $offset+$length" }
        return "bytes=$offset-${offset + length - 1}"
    }

    /**
     * The chunk size the service asks for in `x-ms-chunk-size`; [DEFAULT_CHUNK_SIZE] when absent. A value that is not a
     * positive number, or above [MAX_CHUNK_SIZE], is a malformed answer.
     */
    fun chunkSize(header: String?): Int {
        if (header == null) return DEFAULT_CHUNK_SIZE
        val value = header.trim().toIntOrNull()
        if (value == null || value <= 0 || value > MAX_CHUNK_SIZE) {
            throw MalformedResponseException("The x-ms-chunk-size header ${Identifiers.quote(header)} is not a chunk size between 1 and $MAX_CHUNK_SIZE.")
        }
        return value
    }

    /** The `Location` of a chunked upload session; it must name the column being uploaded to (and so this environment). */
    fun sessionLocation(header: String?, columnPath: String): String {
        val location = header ?: throw MalformedResponseException("The chunked upload was accepted without a Location header for its chunks.")
        val path = location.substringBefore('?')
        if (!path.endsWith("/$columnPath") || "sessiontoken=" !in location || location.any { it.isWhitespace() || it.isISOControl() } ||
            '#' in location || DOT_SEGMENT.containsMatchIn(path)
        ) {
            throw MalformedResponseException("The chunked upload session ${Identifiers.quote(location)} is not a session of $columnPath.")
        }
        return location
    }

    /**
     * The block id of the [index]th block: Base64 of a fixed-width text, so that every id of an upload has the same length
     * (the block store behind the service requires it) and the ids sort in upload order.
     */
    fun blockId(index: Int): String {
        require(index >= 0) { "negative block index $index" }
        return Base64.getEncoder().encodeToString("block-%08d".format(index).toByteArray(Charsets.US_ASCII))
    }

    /** `x-ms-file-name` when the name can travel as a header ([headerSafe]); the query parameter carries it in every case. */
    fun nameHeader(fileName: String): List<Pair<String, String>> = if (headerSafe(fileName)) listOf("x-ms-file-name" to fileName) else emptyList()

    /**
     * The first request of a chunked upload: `PATCH {set}(id)/{column}?x-ms-file-name=...` with
     * `x-ms-transfer-mode: chunked` and no body; the answer's `Location` is the session ([sessionLocation]), its
     * `x-ms-chunk-size` the size of the chunks ([chunkSize]). Learn's examples send the cache override with uploads.
     */
    fun beginChunked(table: TableMetadata, id: UUID, column: String, fileName: String): ApiRequest = ApiRequest(
        HttpMethod.Patch,
        uploadPath(table.entitySetName, id, column, fileName),
        headers = listOf("x-ms-transfer-mode" to "chunked") + nameHeader(fileName),
        cacheOverride = true,
    )

    /**
     * One chunk of a chunked upload: `PATCH <session>` with `Content-Range` and the first [length] bytes of [chunk]
     * (not copied: the caller keeps the array unchanged until the request completes).
     */
    fun chunk(session: String, fileName: String, contentType: String, offset: Long, chunk: ByteArray, length: Int, total: Long): ApiRequest =
        ApiRequest(
            HttpMethod.Patch,
            session,
            headers = nameHeader(fileName) + ("Content-Range" to contentRange(offset, length, total)),
            body = RequestBody.Binary(BinaryBody.of(chunk, length, contentType)),
        )

    /** An empty file: one `PATCH` without chunking, since an empty range cannot be written as `Content-Range`. */
    fun emptyUpload(table: TableMetadata, id: UUID, column: String, fileName: String, contentType: String): ApiRequest = ApiRequest(
        HttpMethod.Patch,
        uploadPath(table.entitySetName, id, column, fileName),
        headers = nameHeader(fileName),
        cacheOverride = true,
        body = RequestBody.Binary(BinaryBody.of(ByteArray(0), 0, contentType)),
        // Storing the same empty file twice leaves the same state.
        idempotent = true,
    )

    /** `POST InitializeFileBlocksUpload`; a new session each time, so safe to send again. */
    fun initializeBlocks(table: TableMetadata, id: UUID, column: String, fileName: String): ApiRequest = ApiRequest(
        HttpMethod.Post, "InitializeFileBlocksUpload",
        body = JsonWriter().value(initializeBlocksBody(table, id, column, fileName)).toBody(),
        idempotent = true,
    )

    /** `POST UploadBlock` of the first [length] bytes of [data]: the same block id with the same bytes, so safe to send again. */
    fun uploadBlock(blockId: String, data: ByteArray, length: Int, token: String): ApiRequest {
        val body = uploadBlockBody(blockId, data, length, token)
        return ApiRequest(
            HttpMethod.Post, "UploadBlock",
            body = RequestBody.Binary(BinaryBody(RequestBody.JSON, body.size) { body.pieces() }),
            idempotent = true,
            fileBytes = length.toLong(),
        )
    }

    /** `POST CommitFileBlocksUpload`: stores the file; not sent again after a failure in flight. */
    fun commitBlocks(fileName: String, mimeType: String, blockIds: List<String>, token: String): ApiRequest = ApiRequest(
        HttpMethod.Post, "CommitFileBlocksUpload",
        body = JsonWriter().value(commitBlocksBody(fileName, mimeType, blockIds, token)).toBody(),
    )

    /** `GET {set}(id)/{column}/$value` with `Range` for [length] bytes at [offset]; the answer can be no larger. */
    fun download(table: TableMetadata, id: UUID, column: String, offset: Long, length: Int, into: ByteArray? = null): ApiRequest = ApiRequest(
        HttpMethod.Get,
        valuePath(table.entitySetName, id, column),
        headers = listOf("Range" to range(offset, length)),
        maxResponseBytes = length.toLong(),
        binaryResponse = true,
        responseBuffer = into,
    )

    /** `DELETE {set}(id)/{column}`. */
    fun delete(table: TableMetadata, id: UUID, column: String): ApiRequest =
        ApiRequest(HttpMethod.Delete, columnPath(table.entitySetName, id, column))

    /** `GET {set}(id)?$select={column}`: whether the column holds a file now ([holdsFile]). */
    fun stored(table: TableMetadata, id: UUID, column: String): ApiRequest =
        ApiRequest(HttpMethod.Get, "${table.entitySetName}($id)" + QueryStrings.queryString(listOf("\$select" to column)))

    /** Whether the record read by [stored] has a value (the file's id) in [column]. */
    fun holdsFile(response: ApiResponse, column: String): Boolean {
        val stored = Responses.jsonObject(response.body, "record")[column]
        return stored != null && stored !is JsonNull
    }

    /** The column's attribute, to learn whether it holds files or images ([columnKind]). */
    fun attribute(table: TableName, column: String, consistency: List<Pair<String, String>>): ApiRequest =
        ApiRequest(HttpMethod.Get, attributePath(table.value, column), headers = consistency)

    /** The attribute cast to its file or image type, for its size limit ([maxSizeBytes]). */
    fun maxSize(table: TableName, column: String, kind: FileColumnKind, consistency: List<Pair<String, String>>): ApiRequest =
        ApiRequest(HttpMethod.Get, maxSizePath(table.value, column, kind), headers = consistency)

    /** `InitializeFileBlocksUpload` parameters: the record as an entity reference, the file name and the column. */
    fun initializeBlocksBody(table: TableMetadata, id: UUID, column: String, fileName: String): JsonObject = buildJsonObject {
        put(
            "Target",
            buildJsonObject {
                put(table.primaryIdAttribute, id.toString())
                put("@odata.type", "Microsoft.Dynamics.CRM.${table.logicalName}")
            },
        )
        put("FileName", fileName)
        put("FileAttributeName", column)
    }

    /**
     * The `UploadBlock` body, `{"BlockId":..,"BlockData":"<base64>","FileContinuationToken":..}` in UTF-8, as pieces
     * produced on demand: the Base64 text is encoded slice by slice as it is sent, so a block never exists twice.
     */
    fun uploadBlockBody(blockId: String, data: ByteArray, length: Int, token: String): BlockBody {
        val prefix = """{"BlockId":${JsonPrimitive(blockId)},"BlockData":"""".toByteArray(Charsets.UTF_8)
        val suffix = """","FileContinuationToken":${JsonPrimitive(token)}}""".toByteArray(Charsets.UTF_8)
        val encodedLength = 4L * ((length + 2) / 3)
        return BlockBody(prefix.size + encodedLength + suffix.size) {
            sequence {
                yield(BinaryPiece(prefix, 0, prefix.size))
                val encoder = Base64.getEncoder()
                var read = 0
                // Slices of a multiple of three bytes, so that no padding appears mid-text.
                while (read < length) {
                    val piece = minOf(BASE64_PIECE, length - read)
                    val encoded = encoder.encode(ByteBuffer.wrap(data, read, piece))
                    yield(BinaryPiece(encoded.array(), encoded.arrayOffset() + encoded.position(), encoded.remaining()))
                    read += piece
                }
                yield(BinaryPiece(suffix, 0, suffix.size))
            }
        }
    }

    /** A body of [size] bytes made of [pieces], produced afresh on each call. */
    class BlockBody(val size: Long, val pieces: () -> Sequence<BinaryPiece>) {
        /** The whole body in one array, for tests and logs of small bodies. */
        fun toByteArray(): ByteArray {
            val out = java.io.ByteArrayOutputStream(size.toInt())
            pieces().forEach { out.write(it.bytes, it.offset, it.length) }
            return out.toByteArray()
        }
    }

    /** `CommitFileBlocksUpload` parameters. */
    fun commitBlocksBody(fileName: String, mimeType: String, blockIds: List<String>, token: String): JsonObject = buildJsonObject {
        put("FileName", fileName)
        put("MimeType", mimeType)
        put("BlockList", JsonArray(blockIds.map(::JsonPrimitive)))
        put("FileContinuationToken", token)
    }

    /** The `FileContinuationToken` of an `InitializeFileBlocksUpload` answer. */
    fun continuationToken(body: Body): String =
        Responses.jsonObject(body, "InitializeFileBlocksUpload").requiredString("FileContinuationToken", "InitializeFileBlocksUpload")

    /** The size the service reports in a `CommitFileBlocksUpload` answer (`FileSizeInBytes`), or `null`. */
    fun committedSize(body: Body): Long? =
        (Responses.jsonObject(body, "CommitFileBlocksUpload")["FileSizeInBytes"] as? JsonPrimitive)?.longOrNull

    /**
     * The file described by a download response's headers: `x-ms-file-name`, `x-ms-file-size` and `mimetype` (else the
     * response's `Content-Type`).
     */
    fun fileInfo(header: (String) -> String?): FileInfo {
        val sizeText = header("x-ms-file-size") ?: throw MalformedResponseException("The file download response has no x-ms-file-size header.")
        val size = sizeText.trim().toLongOrNull()?.takeIf { it >= 0 }
            ?: throw MalformedResponseException("The x-ms-file-size header ${Identifiers.quote(sizeText)} is not a size.")
        val name = header("x-ms-file-name")?.let(::decodeHeaderName) ?: ""
        val type = header("mimetype")?.takeIf { it.isNotBlank() } ?: header("Content-Type")?.takeIf { it.isNotBlank() }
        return FileInfo(name, size, type)
    }

    /**
     * A file name from a response header. Servers send non-ASCII names as UTF-8 bytes, which HTTP stacks hand over as
     * ISO-8859-1 characters; re-reading those bytes as UTF-8 restores the name, and leaves plain ASCII as it was.
     */
    fun decodeHeaderName(value: String): String {
        if (value.all { it.code < 0x80 }) return value
        if (value.any { it.code > 0xFF }) return value
        val bytes = ByteArray(value.length) { value[it].code.toByte() }
        val decoder = Charsets.UTF_8.newDecoder()
        return try {
            decoder.decode(java.nio.ByteBuffer.wrap(bytes)).toString()
        } catch (e: java.nio.charset.CharacterCodingException) {
            value
        }
    }

    /** `EntityDefinitions(LogicalName='account')/Attributes(LogicalName='sample_filecolumn')?$select=...`. */
    fun attributePath(table: String, column: String): String =
        MetadataPaths.attribute(table, column) + QueryStrings.queryString(listOf("\$select" to "LogicalName,AttributeType,AttributeTypeName"))

    /** The attribute cast to its file or image type, selecting its size limit. */
    fun maxSizePath(table: String, column: String, kind: FileColumnKind): String =
        MetadataPaths.attribute(table, column) + "/Microsoft.Dynamics.CRM.${kind.metadataType}" + QueryStrings.queryString(listOf("\$select" to "MaxSizeInKB"))

    /** Whether the attribute answer describes a file or image column (by `@odata.type`, else `AttributeTypeName`); `null` for other columns. */
    fun columnKind(body: Body): FileColumnKind? {
        val attribute = Responses.jsonObject(body, "Attributes")
        val odataType = attribute.optionalString("@odata.type")?.removePrefix("#")?.removePrefix("Microsoft.Dynamics.CRM.")
        val typeName = (attribute["AttributeTypeName"] as? JsonObject)?.optionalString("Value")
        return FileColumnKind.entries.firstOrNull { it.metadataType == odataType || it.attributeTypeName == typeName }
    }

    /** The column's maximum size in bytes, from `MaxSizeInKB`. */
    fun maxSizeBytes(body: Body): Long {
        val kb = (Responses.jsonObject(body, "Attributes")["MaxSizeInKB"] as? JsonPrimitive)?.longOrNull
            ?: throw MalformedResponseException("The file column's metadata has no MaxSizeInKB.")
        if (kb <= 0) throw MalformedResponseException("The file column's MaxSizeInKB is $kb.")
        return kb * 1024
    }

    /** The error for content of [size] bytes that exceeds a column's limit of [maxBytes]. */
    fun tooLarge(table: String, column: String, size: Long, maxBytes: Long): InvalidInputException = InvalidInputException(
        "The file is $size bytes, larger than the $maxBytes bytes (${maxBytes / 1024} KB) column '$column' of '$table' accepts.",
    )
}
