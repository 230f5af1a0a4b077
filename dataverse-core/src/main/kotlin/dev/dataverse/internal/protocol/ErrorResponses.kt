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
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import java.time.Duration

/**
 * Maps a failed HTTP response to the matching [DataverseException]. Pure: the transport passes status, a header lookup
 * and the body text, so every mapping is unit-testable from literal wire examples.
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

    fun toException(status: Int, header: (String) -> String?, body: String, ids: RequestIds?): DataverseException {
        val error = parseError(body)
        // Redacted once decoded: a token the service echoed JSON-escaped only matches in its decoded form.
        val code = error?.code?.takeIf { it.isNotBlank() }?.let(Redaction::redact)
        val serviceMessage = error?.message?.takeIf { it.isNotBlank() }?.let(Redaction::redact)
        val retryAfter = header("Retry-After")?.trim()?.toLongOrNull()?.takeIf { it >= 0 }?.let(Duration::ofSeconds)
        val throttled = status == 429 || code in THROTTLING_CODES
        val transient = throttled || status in TRANSIENT_STATUSES
        val details = ErrorDetails(
            message = describe(status, code, serviceMessage, body, ids, header),
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

    private class ServiceError(val code: String?, val message: String?, val bulkItems: List<BulkItemStatus>? = null)

    /** `{"error":{"code":"0x...","message":"..."}}`, or a top-level `message`; `null` for anything else (HTML pages). */
    private fun parseError(body: String): ServiceError? {
        if (body.isBlank()) return null
        val root = runCatching { Json.parseToJsonElement(body) }.getOrNull() as? JsonObject ?: return null
        val error = root["error"] as? JsonObject
        return if (error != null) {
            ServiceError(error.string("code"), error.string("message"), BulkItemStatuses.parse(error))
        } else {
            root.string("message")?.let { ServiceError(root.string("code"), it) }
        }
    }

    /** The start of a body without a message: JSON decoded and written again (so that escapes are undone), else the text. */
    private fun excerpt(body: String): String {
        val json = runCatching { Json.parseToJsonElement(body) }.getOrNull()
        return (json?.toString() ?: body).trim().take(200)
    }

    private fun JsonObject.string(name: String): String? = (this[name] as? JsonPrimitive)?.takeIf { it.isString }?.content

    private fun describe(
        status: Int,
        code: String?,
        serviceMessage: String?,
        body: String,
        ids: RequestIds?,
        header: (String) -> String?,
    ): String = buildString {
        append("HTTP ").append(status)
        code?.let { append(" (").append(it).append(')') }
        append(": ")
        append(serviceMessage ?: Redaction.redact(excerpt(body)).ifEmpty { "no error details in the response" })
        header("Retry-After")?.let { append(" [Retry-After: ").append(it).append(']') }
        ids?.let { append(" [client request id ").append(it.clientRequestId).append(", correlation id ").append(it.correlationId).append(']') }
    }
}
