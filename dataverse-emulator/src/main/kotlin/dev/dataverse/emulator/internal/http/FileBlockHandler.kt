package dev.dataverse.emulator.internal.http

import dev.dataverse.emulator.internal.ApiErrors
import dev.dataverse.emulator.internal.files.BlockSession
import dev.dataverse.emulator.internal.files.FileErrors
import dev.dataverse.emulator.internal.files.FileTarget
import dev.dataverse.emulator.internal.files.MimeTypes
import dev.dataverse.emulator.internal.model.ColumnDefinition
import dev.dataverse.emulator.internal.model.TableDefinition
import dev.dataverse.emulator.internal.records.RecordKey
import dev.dataverse.emulator.internal.store.StoredFile
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.put
import java.util.Base64
import java.util.UUID

/**
 * The block actions for file content (WIRE.md §8): `InitializeFileBlocksUpload` {Target, FileName, FileAttributeName}
 * answers a `FileContinuationToken`; `UploadBlock` {BlockId, BlockData (Base64, at most 4 MiB), FileContinuationToken}
 * stores a block on disk (204); `CommitFileBlocksUpload` {FileName, MimeType, BlockList, FileContinuationToken} joins
 * the listed blocks into the column's file and answers `FileId` and `FileSizeInBytes`. `DeleteFile` {FileId} removes
 * a stored file (204). The stored MIME type is `MimeType`, or, when that is `application/octet-stream`, the type the
 * file name suggests.
 */
internal class FileBlockHandler(private val context: EmulatorContext) {
    private val files get() = context.files

    fun handle(call: ApiCall, action: String): ApiResponse {
        if (call.method != "POST") throw ApiErrors.methodNotAllowed(call.method, listOf("POST"))
        if (call.target.segments.size > 1) throw ApiErrors.segmentNotFound(call.target.segments[1].toString())
        val body = context.payloads.parseObject(call.request.body)
        return when (action) {
            INITIALIZE -> initialize(body)
            UPLOAD_BLOCK -> uploadBlock(body)
            COMMIT -> commit(body)
            DELETE_FILE -> deleteFile(body)
            else -> throw ApiErrors.segmentNotFound(action)
        }
    }

    private fun initialize(body: JsonObject): ApiResponse {
        context.stats.fileUploadReceived()
        val target = body["Target"] as? JsonObject ?: throw FileErrors.badRequest("Target is required: the record, as {\"<primary id>\":\"<guid>\",\"@odata.type\":\"Microsoft.Dynamics.CRM.<table>\"}.")
        val typeName = target.string("@odata.type")?.removePrefix("#")?.removePrefix("Microsoft.Dynamics.CRM.")
            ?: throw FileErrors.badRequest("Target needs its @odata.type, e.g. Microsoft.Dynamics.CRM.account.")
        val table = context.catalog.table(typeName) ?: throw FileErrors.badRequest("The Target type '$typeName' is not a table.")
        val id = target.string(table.primaryIdAttribute)?.let { runCatching { UUID.fromString(it) }.getOrNull() }
            ?: throw FileErrors.badRequest("Target needs '${table.primaryIdAttribute}', the record's id.")
        context.store.table(table).get(id) ?: throw ApiErrors.recordNotFound(table.logicalName, id)
        val column = fileColumn(table, body.string("FileAttributeName"))
        val fileName = body.string("FileName")?.takeIf { it.isNotBlank() }?.let { FileErrors.requireNoControl(it, "file name") }
            ?: throw FileErrors.badRequest("FileName is required.")
        val session = files.openBlockSession(FileTarget(table.logicalName, id, column.logicalName), fileName)
        return ApiResponse.json(
            200,
            buildJsonObject {
                put("@odata.context", "${context.apiUrl}/\$metadata#Microsoft.Dynamics.CRM.InitializeFileBlocksUploadResponse")
                put("FileContinuationToken", session.token)
            },
        )
    }

    private fun uploadBlock(body: JsonObject): ApiResponse {
        context.stats.fileUploadReceived()
        val session = session(body)
        val blockId = body.string("BlockId")?.takeIf { it.isNotEmpty() } ?: throw FileErrors.badRequest("BlockId is required.")
        val data = try {
            Base64.getDecoder().decode(body.string("BlockData") ?: throw FileErrors.badRequest("BlockData is required."))
        } catch (e: IllegalArgumentException) {
            throw FileErrors.badRequest("BlockData is not valid Base64.")
        }
        if (data.size > MAX_BLOCK_BYTES) throw FileErrors.badRequest("A block holds at most $MAX_BLOCK_BYTES bytes; this one has ${data.size}.")
        val column = resolve(session).second
        session.putBlock(blockId, data)
        if (session.size() > FileColumnHandler.maxBytes(column)) {
            files.abandon(session)
            throw FileErrors.tooBig()
        }
        return ApiResponse.empty(204)
    }

    private fun commit(body: JsonObject): ApiResponse {
        context.stats.fileUploadReceived()
        val session = session(body)
        val (table, column) = resolve(session)
        val blockList = (body["BlockList"] as? JsonArray)?.map { (it as? JsonPrimitive)?.takeIf { p -> p.isString }?.content ?: throw FileErrors.badRequest("BlockList holds block ids.") }
            ?: throw FileErrors.badRequest("BlockList is required.")
        blockList.firstOrNull { session.blockPath(it) == null }?.let { throw FileErrors.badRequest("The block '$it' was not uploaded.") }
        val fileName = body.string("FileName")?.takeIf { it.isNotBlank() }?.let { FileErrors.requireNoControl(it, "file name") } ?: session.fileName
        val mimeType = body.string("MimeType")?.let { FileErrors.requireNoControl(it, "MIME type") }
        val (id, size) = files.joinBlocks(session, blockList)
        if (size > FileColumnHandler.maxBytes(column)) {
            files.discard(id)
            throw FileErrors.tooBig()
        }
        val file = StoredFile(id, fileName, size, MimeTypes.of(mimeType, fileName))
        try {
            context.writer.updateFile(table, RecordKey.ById(session.target.recordId), column) { file }
        } catch (e: Throwable) {
            files.discard(id)
            throw e
        }
        files.adopt(id)
        return ApiResponse.json(
            200,
            buildJsonObject {
                put("@odata.context", "${context.apiUrl}/\$metadata#Microsoft.Dynamics.CRM.CommitFileBlocksUploadResponse")
                put("FileId", id.toString())
                put("FileSizeInBytes", size)
            },
        )
    }

    private fun deleteFile(body: JsonObject): ApiResponse {
        val fileId = body.string("FileId")?.let { runCatching { UUID.fromString(it) }.getOrNull() }
            ?: throw FileErrors.badRequest("FileId is required: the id of a stored file.")
        for (table in context.catalog.tables()) {
            val columns = table.columns.filter { it.type.isFile }
            if (columns.isEmpty()) continue
            for (record in context.store.table(table).all()) {
                val column = columns.firstOrNull { (record[it.logicalName] as StoredFile?)?.id == fileId } ?: continue
                context.writer.updateFile(table, RecordKey.ById(record.id), column) { current ->
                    if (current?.id != fileId) throw FileErrors.unknownFile(fileId)
                    null
                }
                return ApiResponse.empty(204)
            }
        }
        throw FileErrors.unknownFile(fileId)
    }

    private fun session(body: JsonObject): BlockSession {
        val token = body.string("FileContinuationToken") ?: throw FileErrors.badRequest("FileContinuationToken is required.")
        return files.blockSession(token) ?: throw FileErrors.unknownSession()
    }

    private fun resolve(session: BlockSession): Pair<TableDefinition, ColumnDefinition> {
        val table = context.catalog.table(session.target.table) ?: throw FileErrors.unknownSession().also { files.abandon(session) }
        val column = table.column(session.target.column)?.takeIf { it.type.isFile } ?: throw FileErrors.unknownSession().also { files.abandon(session) }
        return table to column
    }

    private fun fileColumn(table: TableDefinition, name: String?): ColumnDefinition {
        if (name.isNullOrBlank()) throw FileErrors.badRequest("FileAttributeName is required.")
        val column = table.column(name.lowercase()) ?: throw ApiErrors.propertyNotFound(name, table.qualifiedTypeName)
        if (!column.type.isFile) throw FileErrors.badRequest("'$name' of '${table.logicalName}' is not a file or image column.")
        return column
    }

    private fun JsonObject.string(name: String): String? = (this[name] as? JsonPrimitive)?.takeIf { it.isString }?.content

    companion object {
        const val INITIALIZE: String = "InitializeFileBlocksUpload"
        const val UPLOAD_BLOCK: String = "UploadBlock"
        const val COMMIT: String = "CommitFileBlocksUpload"
        const val DELETE_FILE: String = "DeleteFile"
        val ACTIONS: Set<String> = setOf(INITIALIZE, UPLOAD_BLOCK, COMMIT, DELETE_FILE)

        /** The largest block: 4 MiB. */
        const val MAX_BLOCK_BYTES: Int = 4 * 1024 * 1024
    }
}
