package dev.dataverse

import dev.dataverse.internal.ErrorDetails
import dev.dataverse.internal.RequestIds
import java.time.Duration

/**
 * Root of every error this library raises. Unchecked, like the rest of the Kotlin and Azure SDK ecosystems.
 *
 * Catch the subtype you can act on: [NotFoundException], [PreconditionFailedException] (and [DuplicateRecordException]),
 * [ThrottledException], [ServiceUnavailableException], [AuthenticationException], [AuthorizationException],
 * [BadRequestException], [DeltaTokenExpiredException], [InvalidInputException] (raised before anything is sent), [MalformedResponseException],
 * [RequestTimeoutException], [ConnectionFailedException], [TlsHandshakeException] and [ClientClosedException]. Other service failures arrive as a
 * plain [DataverseException] carrying the HTTP status. A blocking call from Java whose thread is interrupted throws
 * [OperationInterruptedException].
 *
 * [statusCode] is the HTTP status of the response the error came from, and 0 when there was none: bad input caught
 * before sending ([InvalidInputException]), a closed client, a timeout, a broken connection, an interrupt.
 *
 * Every exception that comes from an HTTP exchange carries the ids needed to trace it in the service's logs:
 * [clientRequestId] (sent as `x-ms-client-request-id`), [correlationId] (`x-ms-correlation-id`, shared by every HTTP call of
 * one public call) and [serviceRequestId] (`x-ms-service-request-id` from the response).
 */
public open class DataverseException @JvmOverloads constructor(
    message: String,
    cause: Throwable? = null,
    /** The HTTP status of the failed response, or 0 when no response was received (client-side or transport failure). */
    public val statusCode: Int = 0,
    /** The Dataverse error code from the error body, e.g. `0x80040217` (record not found); `null` when absent. */
    public val errorCode: String? = null,
    /** The `x-ms-service-request-id` the service assigned to the failed request, when it answered. */
    public val serviceRequestId: String? = null,
    /** The `x-ms-client-request-id` this client sent with the failed request. */
    public val clientRequestId: String? = null,
    /** The `x-ms-correlation-id` shared by every HTTP request of the public call that failed. */
    public val correlationId: String? = null,
    /** Whether retrying the same request later may succeed (throttling, 502/503/504, timeouts, dropped connections). */
    public val isTransient: Boolean = false,
    /** How long the service asked the client to wait before retrying (`Retry-After`), when it said. */
    public val retryAfter: Duration? = null,
) : RuntimeException(message, cause) {

    /** The service's own error message, without the status and ids this exception adds to [message]. */
    public var serviceMessage: String? = null
        @JvmSynthetic internal set

    /** How many attempts were made before this error was raised (1 when the request was not retried). */
    public var attempts: Int = 1
        @JvmSynthetic internal set

    /**
     * Set when an earlier attempt of the same request failed in a way that leaves open whether the service applied it
     * (a dropped connection or a timeout after sending), so that this answer may be about the client's own earlier write.
     */
    @get:JvmSynthetic @set:JvmSynthetic
    internal var afterAmbiguousAttempt: Boolean = false

    /** Per-record statuses when this is the answer to a partly failed bulk request on an elastic table. */
    @get:JvmSynthetic @set:JvmSynthetic
    internal var bulkItems: List<dev.dataverse.internal.protocol.BulkItemStatus>? = null

    /** Set by the transport when the request may have reached the service before failing (connection or timeout). */
    @get:JvmSynthetic
    internal open val mayHaveBeenApplied: Boolean get() = false

    /** Takes what the error parser learned that the public constructor has no parameter for. */
    @JvmSynthetic
    internal fun adopt(details: ErrorDetails) {
        serviceMessage = details.serviceMessage
        bulkItems = details.bulkItems
    }

    // Java sees no constructor taking the parser's internal ErrorDetails: the module builds exceptions through
    // `DataverseException(details)`, which reads like a constructor call in Kotlin.
    internal companion object {
        @JvmSynthetic
        internal operator fun invoke(details: ErrorDetails): DataverseException = DataverseException(
            details.message, null, details.statusCode, details.errorCode, details.serviceRequestId,
            details.ids?.clientRequestId, details.ids?.correlationId, details.isTransient, details.retryAfter,
        ).apply { adopt(details) }
    }
}

/**
 * Bad input caught before any request was sent: an invalid name, id, value, option or argument. Nothing reached the
 * service, so [statusCode] is 0 and the request ids are `null`; the message names the offending argument.
 */
public class InvalidInputException @JvmOverloads constructor(
    message: String,
    cause: Throwable? = null,
) : DataverseException(message, cause)

/**
 * A [DataverseRecord] getter was asked for a type the column does not hold, e.g. `getInt` on a text column. The data
 * arrived intact; the code reads it as the wrong type. Like every failure of the library it is a [DataverseException],
 * so a `catch (DataverseException e)` sees it too.
 */
public class ColumnTypeException(
    message: String,
    /** The column that was read. */
    public val column: String,
    /** The record's table, when the record names it (`null` for records nested in an `$expand`). */
    public val table: String?,
) : DataverseException(message)

/**
 * The thread blocked in a call was interrupted (Java's blocking facade). The call's HTTP exchange was cancelled and its
 * connection closed before this was thrown, and the thread's interrupt status is set again so the code that owns the
 * thread still sees the interrupt. A write may or may not have been applied by the service, as with a timeout. The
 * [cause] is the [InterruptedException].
 */
public class OperationInterruptedException @JvmOverloads constructor(
    message: String,
    cause: Throwable?,
    /**
     * For an interrupted bulk operation (`createMany`, `updateMany`, `upsertMany`, `deleteMany`), what it wrote before
     * the interrupt; see [BulkCancelledException]. `null` for other calls.
     */
    public val partialResult: BulkResult? = null,
) : DataverseException(message, cause)

/** The client was closed; no further requests can be sent through it. */
public class ClientClosedException(message: String = "The Dataverse client is closed.") : DataverseException(message)

/**
 * The service said the record or resource does not exist (HTTP 404, e.g. error code `0x80040217`). A table name that
 * does not exist raises the subtype [TableNotFoundException], so that a typo in a table name is not mistaken for a
 * missing record.
 */
public open class NotFoundException : DataverseException {
    private constructor(d: ErrorDetails) : super(
        d.message, null, d.statusCode, d.errorCode, d.serviceRequestId, d.ids?.clientRequestId, d.ids?.correlationId, d.isTransient, d.retryAfter,
    ) {
        adopt(d)
    }

    /**
     * For subtypes such as [TableNotFoundException], and for tests that stand in for the client: the parameters are those of [DataverseException]'s
     * constructor. The client itself builds this exception from the service's answer.
     */
    public constructor(
        message: String,
        cause: Throwable?,
        statusCode: Int,
        errorCode: String?,
        serviceRequestId: String?,
        clientRequestId: String?,
        correlationId: String?,
        isTransient: Boolean,
        retryAfter: Duration?,
    ) : super(message, cause, statusCode, errorCode, serviceRequestId, clientRequestId, correlationId, isTransient, retryAfter)

    internal companion object {
        @JvmSynthetic
        internal operator fun invoke(details: ErrorDetails): NotFoundException = NotFoundException(details)
    }
}

/**
 * The table name given to an operation names no table of the environment: the metadata lookup
 * (`EntityDefinitions?$filter=LogicalName eq '…'`) answered an empty `value`, as the service does for an unknown name
 * (Learn: query-metadata-web-api). Operations take the table's logical name (`account`); when [table] is the entity
 * set name of a table (`accounts`), [suggestedTable] is that table's logical name and the message says so.
 */
public class TableNotFoundException private constructor(
    d: ErrorDetails,
    /** The table name the caller gave. */
    public val table: String,
    /** The logical name of the table whose entity set name [table] is, when it is one; else `null`. */
    public val suggestedTable: String?,
) : NotFoundException(
    d.message, null, d.statusCode, d.errorCode, d.serviceRequestId, d.ids?.clientRequestId, d.ids?.correlationId, d.isTransient, d.retryAfter,
) {
    init { adopt(d) }

    internal companion object {
        @JvmSynthetic
        internal operator fun invoke(details: ErrorDetails, table: String, suggestedTable: String?): TableNotFoundException =
            TableNotFoundException(details, table, suggestedTable)
    }
}

/**
 * A conditional request failed (HTTP 412): the record's version no longer matches the `If-Match` ETag, or the record
 * already exists when creation alone was asked for.
 */
public open class PreconditionFailedException : DataverseException {
    private constructor(d: ErrorDetails) : super(
        d.message, null, d.statusCode, d.errorCode, d.serviceRequestId, d.ids?.clientRequestId, d.ids?.correlationId, d.isTransient, d.retryAfter,
    ) {
        adopt(d)
    }

    /**
     * For subtypes such as [DuplicateRecordException], and for tests that stand in for the client: the parameters are those of [DataverseException]'s
     * constructor. The client itself builds this exception from the service's answer.
     */
    public constructor(
        message: String,
        cause: Throwable?,
        statusCode: Int,
        errorCode: String?,
        serviceRequestId: String?,
        clientRequestId: String?,
        correlationId: String?,
        isTransient: Boolean,
        retryAfter: Duration?,
    ) : super(message, cause, statusCode, errorCode, serviceRequestId, clientRequestId, correlationId, isTransient, retryAfter)

    internal companion object {
        @JvmSynthetic
        internal operator fun invoke(details: ErrorDetails): PreconditionFailedException = PreconditionFailedException(details)
    }
}

/** The record already exists: a create or create-only upsert found a record with the same primary or alternate key. */
public class DuplicateRecordException private constructor(d: ErrorDetails) : PreconditionFailedException(
    d.message, null, d.statusCode, d.errorCode, d.serviceRequestId, d.ids?.clientRequestId, d.ids?.correlationId, d.isTransient, d.retryAfter,
) {
    init { adopt(d) }

    internal companion object {
        @JvmSynthetic
        internal operator fun invoke(details: ErrorDetails): DuplicateRecordException = DuplicateRecordException(details)
    }
}

/** The service rejected the request as malformed or invalid (HTTP 400), e.g. an unknown column or a value too long. */
public class BadRequestException private constructor(d: ErrorDetails) : DataverseException(
    d.message, null, d.statusCode, d.errorCode, d.serviceRequestId, d.ids?.clientRequestId, d.ids?.correlationId, d.isTransient, d.retryAfter,
) {
    init { adopt(d) }

    internal companion object {
        @JvmSynthetic
        internal operator fun invoke(details: ErrorDetails): BadRequestException = BadRequestException(details)
    }
}

/**
 * The delta token (or a continuation token) of a change listing is no longer usable: it is older than the service keeps
 * changes (Organization `ExpireChangeTrackingInDays`, 7 days by default) or the service does not know it. The service
 * answers error code `0x80044352` ExpiredVersionStamp, "Version stamp associated with the client has expired. Please
 * perform a full sync." (Learn: reference/web-service-error-codes; use-change-tracking-synchronize-data-external-systems).
 *
 * What to do: a full resync — run [Records.changes] without a delta token, replace the mirrored data with what it returns,
 * and keep the delta token that run ends with.
 */
public class DeltaTokenExpiredException private constructor(d: ErrorDetails) : DataverseException(
    d.message, null, d.statusCode, d.errorCode, d.serviceRequestId, d.ids?.clientRequestId, d.ids?.correlationId, d.isTransient, d.retryAfter,
) {
    init { adopt(d) }

    internal companion object {
        @JvmSynthetic
        internal operator fun invoke(details: ErrorDetails): DeltaTokenExpiredException = DeltaTokenExpiredException(details)
    }
}

/**
 * The request body was larger than the service accepts (HTTP 413, error code `0x8004418a` RequestLengthTooLarge;
 * Learn: reference/web-service-error-codes). Nothing of the request was applied. Bulk operations react by sending
 * smaller chunks; for a single request, send less data (file columns: use chunked upload).
 */
public class RequestTooLargeException private constructor(d: ErrorDetails) : DataverseException(
    d.message, null, d.statusCode, d.errorCode, d.serviceRequestId, d.ids?.clientRequestId, d.ids?.correlationId, d.isTransient, d.retryAfter,
) {
    init { adopt(d) }

    internal companion object {
        @JvmSynthetic
        internal operator fun invoke(details: ErrorDetails): RequestTooLargeException = RequestTooLargeException(details)
    }
}

/** No valid credentials (HTTP 401), or a token could not be acquired. */
public class AuthenticationException : DataverseException {
    private constructor(d: ErrorDetails) : super(
        d.message, null, d.statusCode, d.errorCode, d.serviceRequestId, d.ids?.clientRequestId, d.ids?.correlationId, d.isTransient, d.retryAfter,
    ) {
        adopt(d)
    }

    /** For failures of token acquisition, which happen before any request reaches Dataverse. */
    public constructor(message: String, cause: Throwable?) : super(message, cause)

    internal companion object {
        @JvmSynthetic
        internal operator fun invoke(details: ErrorDetails): AuthenticationException = AuthenticationException(details)
    }
}

/** The caller is authenticated but lacks the privilege for the operation (HTTP 403). */
public class AuthorizationException private constructor(d: ErrorDetails) : DataverseException(
    d.message, null, d.statusCode, d.errorCode, d.serviceRequestId, d.ids?.clientRequestId, d.ids?.correlationId, d.isTransient, d.retryAfter,
) {
    init { adopt(d) }

    internal companion object {
        @JvmSynthetic
        internal operator fun invoke(details: ErrorDetails): AuthorizationException = AuthorizationException(details)
    }
}

/**
 * The service-protection limits were hit (HTTP 429, or one of the error codes `0x80072322` requests, `0x80072321`
 * execution time, `0x80072326` concurrent requests). [retryAfter] says how long the service asked to wait.
 */
public class ThrottledException private constructor(d: ErrorDetails) : DataverseException(
    d.message, null, d.statusCode, d.errorCode, d.serviceRequestId, d.ids?.clientRequestId, d.ids?.correlationId, d.isTransient, d.retryAfter,
) {
    init { adopt(d) }

    internal companion object {
        @JvmSynthetic
        internal operator fun invoke(details: ErrorDetails): ThrottledException = ThrottledException(details)
    }
}

/** The service is temporarily unable to answer (HTTP 502, 503 or 504). Retrying later may work. */
public class ServiceUnavailableException private constructor(d: ErrorDetails) : DataverseException(
    d.message, null, d.statusCode, d.errorCode, d.serviceRequestId, d.ids?.clientRequestId, d.ids?.correlationId, d.isTransient, d.retryAfter,
) {
    init { adopt(d) }

    internal companion object {
        @JvmSynthetic
        internal operator fun invoke(details: ErrorDetails): ServiceUnavailableException = ServiceUnavailableException(details)
    }

    // A gateway timeout leaves open whether the service behind the gateway applied the request.
    @get:JvmSynthetic
    override val mayHaveBeenApplied: Boolean get() = statusCode == 504
}

/** The response could not be understood: not JSON where JSON was due, a missing header, an unexpected shape. */
public class MalformedResponseException : DataverseException {
    private constructor(d: ErrorDetails) : super(
        d.message, null, d.statusCode, d.errorCode, d.serviceRequestId, d.ids?.clientRequestId, d.ids?.correlationId, d.isTransient, d.retryAfter,
    ) {
        adopt(d)
    }

    /** For a [TokenProvider] or [HttpPolicy] that finds an answer it cannot use. */
    @JvmOverloads
    public constructor(message: String, cause: Throwable? = null) : super(message, cause)

    internal companion object {
        @JvmSynthetic
        internal operator fun invoke(details: ErrorDetails): MalformedResponseException = MalformedResponseException(details)
    }
}

/**
 * The request, or the whole operation, did not complete within its timeout. Unless the timeout struck while connecting,
 * the service may or may not have applied the request.
 *
 * [clientRequestId] is the `x-ms-client-request-id` of the attempt that timed out; when the operation timeout
 * ([DataverseClient.Builder.operationTimeout], or a view's [DataverseClient.withTimeout]) cut a call short, it is that of
 * the latest attempt the call had started, and `null` if none had started (e.g. the call was waiting for a token).
 */
public class RequestTimeoutException private constructor(
    message: String,
    cause: Throwable?,
    clientRequestId: String?,
    correlationId: String?,
    private val sent: Boolean = true,
) : DataverseException(
    message, cause, clientRequestId = clientRequestId, correlationId = correlationId,
    isTransient = true,
) {
    @get:JvmSynthetic
    override val mayHaveBeenApplied: Boolean get() = sent

    internal companion object {
        @JvmSynthetic
        internal operator fun invoke(message: String, cause: Throwable?, correlation: RequestIds?, sent: Boolean = true): RequestTimeoutException =
            RequestTimeoutException(message, cause, correlation?.clientRequestId, correlation?.correlationId, sent)

        /** A timeout of a whole call: [clientRequestId] is that of its latest attempt, `null` when none had started. */
        @JvmSynthetic
        internal operator fun invoke(message: String, cause: Throwable?, clientRequestId: String?, correlationId: String): RequestTimeoutException =
            RequestTimeoutException(message, cause, clientRequestId, correlationId, true)
    }
}

/**
 * The connection failed or broke before a complete response arrived. Unless the connection could not be established at
 * all, the service may or may not have applied the request. A failed TLS handshake is a [TlsHandshakeException] instead.
 */
public class ConnectionFailedException private constructor(
    message: String,
    cause: Throwable?,
    clientRequestId: String?,
    correlationId: String?,
    private val sent: Boolean = true,
) : DataverseException(
    message, cause, clientRequestId = clientRequestId, correlationId = correlationId,
    isTransient = true,
) {
    @get:JvmSynthetic
    override val mayHaveBeenApplied: Boolean get() = sent

    internal companion object {
        @JvmSynthetic
        internal operator fun invoke(message: String, cause: Throwable?, correlation: RequestIds?, sent: Boolean = true): ConnectionFailedException =
            ConnectionFailedException(message, cause, correlation?.clientRequestId, correlation?.correlationId, sent)
    }
}

/**
 * TLS negotiation with the server failed, typically because its certificate is not trusted (self-signed, or issued by a
 * TLS-inspecting proxy the JVM does not trust). Nothing was sent — the token included — and trying again will not help:
 * trust the certificate with [DataverseClient.Builder.sslContext] or fix the server. Not transient, never retried.
 */
public class TlsHandshakeException private constructor(
    message: String,
    cause: Throwable?,
    clientRequestId: String?,
    correlationId: String?,
) : DataverseException(message, cause, clientRequestId = clientRequestId, correlationId = correlationId) {
    internal companion object {
        @JvmSynthetic
        internal operator fun invoke(message: String, cause: Throwable?, correlation: RequestIds?): TlsHandshakeException =
            TlsHandshakeException(message, cause, correlation?.clientRequestId, correlation?.correlationId)
    }
}
