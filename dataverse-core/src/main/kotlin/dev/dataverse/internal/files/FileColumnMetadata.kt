package dev.dataverse.internal.files

import dev.dataverse.InvalidInputException
import dev.dataverse.NotFoundException
import dev.dataverse.internal.TableMetadataCache
import dev.dataverse.internal.protocol.FileColumnKind
import dev.dataverse.internal.protocol.FileProtocol
import dev.dataverse.internal.transport.ApiRequest
import dev.dataverse.internal.transport.HttpTransport
import io.ktor.http.HttpMethod

/** A file or image column and the most it holds. */
internal class FileColumn(val kind: FileColumnKind, val maxBytes: Long)

/**
 * Which columns hold files, and their size limits, read from the column metadata: the attribute itself (is it a file or
 * image column?) and then its cast to the file or image type for `MaxSizeInKB`. Answers expire with the other table
 * metadata ([ttl]) and are forgotten when this client changes the table ([invalidate]); a failed lookup is not cached.
 */
internal class FileColumnMetadata(
    private val transport: HttpTransport,
    private val metadata: TableMetadataCache,
) {
    private val columns = metadata.newCache<Pair<String, String>, FileColumn> { it.first }

    /** [table] and [column] must be validated logical names. Throws [InvalidInputException] for other columns. */
    suspend fun get(table: String, column: String): FileColumn = columns.get(table to column) { lookup(table, column) }

    /** Forgets every column cached for [table]. */
    fun invalidate(table: String) {
        columns.invalidate(table)
    }

    private suspend fun lookup(table: String, column: String): FileColumn {
        val consistency = metadata.consistency(table)
        val attribute = try {
            transport.send(ApiRequest(HttpMethod.Get, FileProtocol.attributePath(table, column), headers = consistency))
        } catch (e: NotFoundException) {
            throw InvalidInputException("Table '$table' has no column '$column'.", e)
        }
        val kind = FileProtocol.columnKind(attribute.body)
            ?: throw InvalidInputException("Column '$column' of '$table' is not a file or image column, so it cannot hold file content.")
        val limit = transport.send(ApiRequest(HttpMethod.Get, FileProtocol.maxSizePath(table, column, kind), headers = consistency))
        return FileColumn(kind, FileProtocol.maxSizeBytes(limit.body))
    }
}
