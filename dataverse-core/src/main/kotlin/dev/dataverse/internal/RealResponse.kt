package dev.dataverse.internal

import dev.dataverse.DataverseException
import dev.dataverse.Response
import dev.dataverse.internal.protocol.ApiResponse
import java.util.Collections
import java.util.TreeMap

/**
 * The one [Response] implementation: an answer's status and headers. The headers are copied into a case-insensitive map
 * on first use only: the plain calls (`create`, `update`...) build a response too and never read them, and the copy is
 * most of what a response costs.
 */
internal class RealResponse<out T>(
    override val statusCode: Int,
    private val headerSource: () -> Map<String, List<String>>,
    override val etag: String?,
    override val clientRequestId: String,
    override val correlationId: String,
    override val value: T,
) : Response<T> {
    override val headers: Map<String, List<String>> by lazy(LazyThreadSafetyMode.PUBLICATION) {
        Collections.unmodifiableMap(TreeMap<String, List<String>>(String.CASE_INSENSITIVE_ORDER).apply { headerSource().forEach { (k, v) -> put(k, v.toList()) } })
    }

    override fun header(name: String): String? = headers[name]?.firstOrNull()

    override val serviceRequestId: String? get() = header("x-ms-service-request-id")

    override fun toString(): String = "Response(statusCode=$statusCode, etag=$etag, value=$value)"

    companion object {
        /** [response] with [value]; the ETag from the `ETag` header, else [bodyEtag]. */
        fun <T> of(response: ApiResponse, value: T, bodyEtag: String? = null): RealResponse<T> = RealResponse(
            response.status, response.headers::all, response.header("ETag") ?: bodyEtag,
            response.ids.clientRequestId, response.ids.correlationId, value,
        )

        /**
         * The answer a retried write met when its earlier attempt, lost in flight, had already done the work (a
         * duplicate for a create, a 404 for a delete): that answer's status and ids stand for the call; it has no
         * headers the client kept, and no ETag.
         */
        fun <T> of(error: DataverseException, value: T): RealResponse<T> =
            RealResponse(error.statusCode, { mapOf("x-ms-service-request-id" to listOfNotNull(error.serviceRequestId)).filterValues { it.isNotEmpty() } },
                null, error.clientRequestId ?: "", error.correlationId ?: "", value)
    }
}
