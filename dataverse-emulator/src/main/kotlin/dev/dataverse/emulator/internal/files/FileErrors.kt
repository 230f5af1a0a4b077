package dev.dataverse.emulator.internal.files

import dev.dataverse.emulator.internal.ApiException
import dev.dataverse.emulator.internal.ErrorCodes
import java.net.URLConnection
import java.util.UUID

/** The errors of file transfers, with the service's code where known. */
internal object FileErrors {
    /**
     * [value] (a file name or MIME type named [what]) unless it holds a control character: both are sent back later as
     * download headers, where a CR or LF would break every response for the file.
     */
    fun requireNoControl(value: String, what: String): String {
        if (value.any { it.isISOControl() }) throw badRequest("The $what holds control characters.")
        return value
    }

    /** The service's code and message for content over a column's `MaxSizeInKB` (WIRE.md §6, §8). */
    const val FILE_TOO_BIG = "0x80044a02"

    fun tooBig(): ApiException = ApiException(400, FILE_TOO_BIG, "Attachment file size is too big.")

    /**
     * A download or delete of a column that holds no file. Unverified against a live org: the status (404) and the
     * record-not-found code follow the service's handling of missing objects.
     */
    fun noFile(column: String, recordId: UUID): ApiException =
        ApiException(404, ErrorCodes.RECORD_NOT_FOUND, "No file attachment found for attribute: $column EntityId: $recordId.")

    /** `If-None-Match: *` on a column that holds a file. Unverified: the code is the service's concurrency-precondition code. */
    fun alreadyHasFile(column: String): ApiException =
        ApiException(412, ErrorCodes.VERSION_MISMATCH, "The column '$column' already holds a file, and the request asked not to replace it (If-None-Match: *).")

    /** An upload session or continuation token that does not exist (never issued, already committed, or the emulator was reset). */
    fun unknownSession(): ApiException =
        ApiException(404, ErrorCodes.RECORD_NOT_FOUND, "The file upload session does not exist or has ended.")

    /** `DeleteFile` with an id no column holds. */
    fun unknownFile(id: UUID): ApiException = ApiException(404, ErrorCodes.RECORD_NOT_FOUND, "The file with id $id does not exist.")

    fun badRequest(message: String): ApiException = ApiException(400, ErrorCodes.INVALID_ARGUMENT, message)
}

/** The MIME type a file is stored with. */
internal object MimeTypes {
    const val OCTET_STREAM: String = "application/octet-stream"

    /**
     * [declared] (a request's `Content-Type`, or `MimeType` in a block commit), unless it is missing or the generic
     * `application/octet-stream`: then the type the file name's extension suggests, else `application/octet-stream`.
     */
    fun of(declared: String?, fileName: String): String {
        val type = declared?.substringBefore(';')?.trim()?.takeIf { it.isNotEmpty() }
        if (type != null && !type.equals(OCTET_STREAM, ignoreCase = true)) return declared.trim()
        return URLConnection.guessContentTypeFromName(fileName) ?: OCTET_STREAM
    }
}
