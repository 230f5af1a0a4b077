package dev.dataverse.internal

import java.time.Duration

/** The ids of one HTTP exchange, attached to every exception it produces. */
internal class RequestIds(val clientRequestId: String, val correlationId: String)

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
)
