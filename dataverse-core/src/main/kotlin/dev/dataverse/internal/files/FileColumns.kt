package dev.dataverse.internal.files

import dev.dataverse.InvalidInputException
import dev.dataverse.NotFoundException
import dev.dataverse.internal.protocol.FileColumnKind
import dev.dataverse.internal.protocol.FileProtocol
import dev.dataverse.internal.transport.ApiRequest
import dev.dataverse.internal.transport.HttpTransport
import io.ktor.http.HttpMethod
import java.util.concurrent.ConcurrentHashMap

/** A file or image column and the most it holds. */
internal class FileColumn(val kind: FileColumnKind, val maxBytes: Long)

/**
 * Which columns hold files, and their size limits, read from the column metadata once per client: the attribute itself
 * (is it a file or image column?) and then its cast to the file or image type for `MaxSizeInKB`. Only answers are cached;
 * a failed lookup is tried again by the next call.
 */
internal class FileColumns(private val transport: HttpTransport) {
    private val columns = ConcurrentHashMap<String, FileColumn>()

    /** [table] and [column] must be validated logical names. Throws [InvalidInputException] for other columns. */
    suspend fun get(table: String, column: String): FileColumn = columns["$table.$column"] ?: lookup(table, column)

    private suspend fun lookup(table: String, column: String): FileColumn {
        val attribute = try {
            transport.send(ApiRequest(HttpMethod.Get, FileProtocol.attributePath(table, column)))
        } catch (e: NotFoundException) {
            throw InvalidInputException("Table '$table' has no column '$column'.", e)
        }
        val kind = FileProtocol.columnKind(attribute.body)
            ?: throw InvalidInputException("Column '$column' of '$table' is not a file or image column, so it cannot hold file content.")
        val limit = FileProtocol.maxSizeBytes(transport.send(ApiRequest(HttpMethod.Get, FileProtocol.maxSizePath(table, column, kind))).body)
        return FileColumn(kind, limit).also { columns["$table.$column"] = it }
    }
}
