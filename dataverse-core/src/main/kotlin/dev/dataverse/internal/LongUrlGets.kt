package dev.dataverse.internal

import dev.dataverse.InvalidInputException
import dev.dataverse.MalformedResponseException
import dev.dataverse.internal.protocol.BatchCodec
import dev.dataverse.internal.protocol.BatchEntry
import dev.dataverse.internal.protocol.BatchPart
import dev.dataverse.internal.protocol.ErrorResponses
import dev.dataverse.internal.transport.ApiRequest
import dev.dataverse.internal.transport.HttpTransport
import dev.dataverse.internal.transport.RequestBody
import io.ktor.http.HttpMethod
import java.util.UUID

/**
 * The URL lengths the service accepts (Learn: webapi/query/overview "URL length limitations"): 32,768 characters for a
 * GET, 65,536 for a GET sent inside `$batch`, which is the documented way around the first limit.
 */
internal object UrlLimits {
    const val MAX_GET_URL: Int = 32_768
    const val MAX_BATCH_GET_URL: Int = 65_536
}

/**
 * Sends a read and returns its body. A URL over [UrlLimits.MAX_GET_URL] goes as the only request of a `$batch`, whose
 * inner URL may be twice as long; beyond that the read is refused before anything is sent. [target] is relative to the
 * API root, or an absolute link of this environment's API (a next link).
 */
internal suspend fun HttpTransport.read(target: String, headers: List<Pair<String, String>> = emptyList()): String {
    // The inner URL of a batch is never resolved by the transport itself: it goes through the same guard here.
    val url = resolve(target)
    if (url.length <= UrlLimits.MAX_GET_URL) return send(ApiRequest(HttpMethod.Get, target, headers = headers)).body
    if (url.length > UrlLimits.MAX_BATCH_GET_URL) {
        throw InvalidInputException(
            "The query is too long: its URL has ${url.length} characters, more than the ${UrlLimits.MAX_BATCH_GET_URL} the " +
                "service accepts even inside \$batch (${UrlLimits.MAX_GET_URL} for a plain GET). Select fewer columns or " +
                "split the filter into several queries.",
        )
    }
    val boundary = "batch_${UUID.randomUUID()}"
    val body = BatchCodec.encode(listOf(BatchEntry.Single(BatchPart("GET", url, headers))), boundary) { "changeset_${UUID.randomUUID()}" }
    val response = send(
        ApiRequest(
            HttpMethod.Post, "\$batch",
            body = RequestBody.Text(body, "multipart/mixed; boundary=$boundary"),
            returnErrors = true,
            idempotent = true,
        ),
    )
    val contentType = response.header("Content-Type")
    if (BatchCodec.boundaryOf(contentType) == null) {
        if (response.status in 200..299) throw MalformedResponseException("The \$batch response is not multipart (Content-Type: $contentType).")
        throw checkNotNull(response.error) // Mapped (and redacted) by the transport, as for every returned error.
    }
    val part = BatchCodec.decode(contentType, response.body).singleOrNull()
        ?: throw MalformedResponseException("The \$batch response to one GET does not hold exactly one response.")
    if (part.status !in 200..299) throw ErrorResponses.toException(part.status, part::header, part.body, response.ids)
    return part.body
}
