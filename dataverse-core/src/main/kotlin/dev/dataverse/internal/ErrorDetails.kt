package dev.dataverse.internal

import java.time.Duration

/** The ids of one HTTP exchange, attached to every exception it produces. */
internal class RequestIds(val clientRequestId: String, val correlationId: String) {
    companion object {
        /** Before an attempt has been sent. */
        val NONE: RequestIds = RequestIds("-", "-")
    }
}

/** Everything the error parser learned from a failed response; the public exception types are built from it. */
internal class ErrorDetails(
    val message: String,
    val serviceMessage: String?,
    val statusCode: Int,
    val errorCode: String?,
    val serviceRequestId: String?,
    val ids: RequestIds?,
    val isTransient: Boolean,
    val retryAfter: Duration?,
    /** Per-record statuses of a partly failed bulk request on an elastic table; see [dev.dataverse.internal.protocol.BulkItemStatuses]. */
    val bulkItems: List<dev.dataverse.internal.protocol.BulkItemStatus>? = null,
)
