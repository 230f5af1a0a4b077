package dev.dataverse.internal.protocol

import dev.dataverse.AuthenticationException
import dev.dataverse.AuthorizationException
import dev.dataverse.BadRequestException
import dev.dataverse.DataverseException
import dev.dataverse.DeltaTokenExpiredException
import dev.dataverse.DuplicateRecordException
import dev.dataverse.internal.ErrorDetails
import dev.dataverse.MalformedResponseException
import dev.dataverse.NotFoundException
import dev.dataverse.PreconditionFailedException
import dev.dataverse.internal.RequestIds
import dev.dataverse.RequestTooLargeException
import dev.dataverse.ServiceUnavailableException
import dev.dataverse.ThrottledException
import dev.dataverse.internal.protocol.json.JsonDocuments
import dev.dataverse.internal.protocol.json.JsonReader
import dev.dataverse.internal.protocol.json.JsonSyntaxException
import kotlinx.serialization.json.JsonElement
import java.time.Duration

/**
 * Maps a failed HTTP response to the matching [DataverseException]. Pure: the transport passes status, a header lookup
 * and the body, so every mapping is unit-testable from literal wire examples. The body is read where it lies: only the
 * error's code, message and per-record statuses are decoded, and a message quotes at most the start of a body without
 * them. Everything taken from the body is redacted once decoded ([Redaction]), of [toException]'s `secret` (the token
 * the request was sent with) too.
 */
internal object ErrorResponses {
    /** Service-protection limit codes (requests, execution time, concurrency) the service may send with 429 or 503. */
    val THROTTLING_CODES = setOf("0x80072322", "0x80072321", "0x80072326")
    /**
     * `0x80060892` DuplicateRecordEntityKey (a write that violates an alternate key) per Learn
     * reference/web-service-error-codes; `0x80040237` DuplicateRecord. Matched whatever the HTTP status.
     */
    private val DUPLICATE_CODES = setOf("0x80040237", "0x80060892")
    private const val DUPLICATE_MESSAGE = "matching key values already exists"

    /**
     * Codes of "a table, column, relationship or key with this name already exists" (Learn:
     * reference/web-service-error-codes): SchemaNameisNotUnique, DuplicateName, SchemaNameMatchesExistingIdentifier,
     * DuplicateAttributeSchemaName, DuplicateAttributePhysicalName, EntityKeyNameExists,
     * EntityKeyWithSelectedAttributesExists. Matched by code only, never by message.
     */
    private val DUPLICATE_SCHEMA_CODES = setOf(
        "0x80044363", "0x80047010", "0x80044361", "0x80047013", "0x80060304", "0x80060893", "0x80060894",
    )

    /**
     * `0x80060891` RecordNotFoundByEntityKey: not found, whatever 4xx status carries it. (`0x8006088a` is a general OData
     * error code; it means "not found" only with a 404.) The code for a key whose index is not active yet is
     * undocumented: nothing keys on it.
     */
    private val NOT_FOUND_CODES = setOf("0x80060891")

    /** Learn ("Search for Dataverse records", Error when search not enabled): 400 `0x80048d0b`, search is off. */
    const val SEARCH_DISABLED_CODE = "0x80048d0b"

    /**
     * `0x80044352` ExpiredVersionStamp: a change-tracking token is expired or unknown, "Please perform a full sync."
     * (Learn: reference/web-service-error-codes). Its HTTP status is not documented, so the code alone decides.
     */
    const val EXPIRED_VERSION_STAMP_CODE = "0x80044352"

    private const val FULL_RESYNC =
        "The change-tracking token has expired or is unknown: a full resync is needed (list the changes without a delta token)."

    /** `0x80040333` DuplicateRecord: a create or update matched a duplicate-detection rule (Learn: "Detect duplicate data using the Web API"). */
    const val DUPLICATE_DETECTED_CODE = "0x80040333"

    /** `0x8004418a` RequestLengthTooLarge, sent with HTTP 413. */
    const val REQUEST_TOO_LARGE_CODE = "0x8004418a"

    fun toException(status: Int, header: (String) -> String?, body: Body, ids: RequestIds?, secret: String? = null): DataverseException {
        val error = parseError(body)
        // Redacted once decoded: a token the service echoed JSON-escaped only matches in its decoded form.
        val code = error?.code?.takeIf { it.isNotBlank() }?.let { Redaction.redact(it, secret) }
        val serviceMessage = error?.message?.takeIf { it.isNotBlank() }?.let { Redaction.redact(it, secret) }
        val retryAfter = header("Retry-After")?.trim()?.toLongOrNull()?.takeIf { it >= 0 }?.let(Duration::ofSeconds)
        val throttled = status == 429 || code in THROTTLING_CODES
        val transient = throttled || status in TRANSIENT_STATUSES
        val details = ErrorDetails(
            message = describe(status, code, serviceMessage, body, ids, header, secret),
            serviceMessage = serviceMessage,
            statusCode = status,
            errorCode = code,
            serviceRequestId = header("x-ms-service-request-id") ?: header("REQ_ID") ?: header("x-ms-request-id"),
            ids = ids,
            isTransient = transient,
            retryAfter = retryAfter,
            bulkItems = error?.bulkItems,
        )
        return when {
            throttled -> ThrottledException(details)
            code == SEARCH_DISABLED_CODE -> dev.dataverse.SearchDisabledException(details)
            status == 413 || code == REQUEST_TOO_LARGE_CODE -> RequestTooLargeException(details)
            code in DUPLICATE_SCHEMA_CODES || code in DUPLICATE_CODES -> DuplicateRecordException(details)
            code in NOT_FOUND_CODES && status in 400..499 -> NotFoundException(details)
            // Learn disagrees on the status of a write refused by duplicate detection: "Detect duplicate data using the
            // Web API" shows 500, other pages 412. The Web API page is followed (the emulator answers 500), and the
            // client goes by the code alone: the same exception, never retried, never taken for an ETag mismatch.
            code == DUPLICATE_DETECTED_CODE -> DataverseException(details)
            code == EXPIRED_VERSION_STAMP_CODE -> DeltaTokenExpiredException(
                ErrorDetails(
                    details.message + " $FULL_RESYNC", details.serviceMessage, details.statusCode, details.errorCode,
                    details.serviceRequestId, details.ids, details.isTransient, details.retryAfter,
                ),
            )
            status == 400 -> BadRequestException(details)
            status == 401 -> AuthenticationException(details)
            status == 403 -> AuthorizationException(details)
            status == 404 -> NotFoundException(details)
            status == 412 && serviceMessage?.contains(DUPLICATE_MESSAGE, ignoreCase = true) == true -> DuplicateRecordException(details)
            status == 412 -> PreconditionFailedException(details)
            status in TRANSIENT_STATUSES -> ServiceUnavailableException(details)
            status in 200..299 -> MalformedResponseException(details)
            else -> DataverseException(details)
        }
    }

    private val TRANSIENT_STATUSES = setOf(502, 503, 504)

    /** How much of a body without an error message a message quotes. */
    private const val EXCERPT = 200

    /** How much of such a body is decoded and redacted before it is cut: more than any token is long. */
    private const val EXCERPT_WINDOW = 64 * 1024

    private class ServiceError(val code: String?, val message: String?, val bulkItems: List<BulkItemStatus>? = null)

    /**
     * `{"error":{"code":"0x...","message":"..."}}`, or a top-level `message`; `null` for anything else (HTML pages).
     * Read member by member: only the code, the message and the per-record statuses are decoded.
     */
    private fun parseError(body: Body): ServiceError? {
        if (body.isBlank()) return null
        return try {
            val reader = JsonReader(body.bytes, body.from, body.to)
            if (reader.peek() != JsonReader.Kind.OBJECT) return null
            reader.beginObject()
            var nested: ServiceError? = null
            var code: String? = null
            var message: String? = null
            while (reader.hasNext()) {
                when (reader.nextName()) {
                    "error" -> nested = if (reader.peek() == JsonReader.Kind.OBJECT) error(reader) else null.also { reader.skipValue() }
                    "code" -> code = stringOrSkip(reader)
                    "message" -> message = stringOrSkip(reader)
                    else -> reader.skipValue()
                }
            }
            reader.endObject()
            reader.endDocument()
            nested ?: message?.let { ServiceError(code, it) }
        } catch (e: JsonSyntaxException) {
            null
        }
    }

    /** The `error` object at [reader]: its code and message, and the per-record statuses of an elastic bulk request. */
    private fun error(reader: JsonReader): ServiceError {
        var code: String? = null
        var message: String? = null
        var bulkItems: JsonElement? = null
        reader.beginObject()
        while (reader.hasNext()) {
            when (reader.nextName()) {
                "code" -> code = stringOrSkip(reader)
                "message" -> message = stringOrSkip(reader)
                BulkItemStatuses.ANNOTATION -> bulkItems = reader.nextElement()
                else -> reader.skipValue()
            }
        }
        reader.endObject()
        return ServiceError(code, message, bulkItems?.let(BulkItemStatuses::parse))
    }

    private fun stringOrSkip(reader: JsonReader): String? =
        if (reader.peek() == JsonReader.Kind.STRING) reader.nextString() else null.also { reader.skipValue() }

    /**
     * The start of a body without a message, redacted: JSON decoded and written again (so that escapes are undone and
     * an echoed token is recognised), else the text. Redacted before it is cut, so that no part of a token is shown.
     */
    private fun excerpt(body: Body, secret: String?): String {
        val text = JsonDocuments.compactPrefix(body, EXCERPT_WINDOW) ?: body.excerpt(EXCERPT_WINDOW)
        return Redaction.redact(text, secret).trim().take(EXCERPT)
    }

    private fun describe(
        status: Int,
        code: String?,
        serviceMessage: String?,
        body: Body,
        ids: RequestIds?,
        header: (String) -> String?,
        secret: String?,
    ): String = buildString {
        append("HTTP ").append(status)
        code?.let { append(" (").append(it).append(')') }
        append(": ")
        append(serviceMessage ?: excerpt(body, secret).ifEmpty { "no error details in the response" })
        header("Retry-After")?.let { append(" [Retry-After: ").append(it).append(']') }
        ids?.let { append(" [client request id ").append(it.clientRequestId).append(", correlation id ").append(it.correlationId).append(']') }
    }
}
