package dev.dataverse.internal

import dev.dataverse.InvalidInputException
import dev.dataverse.MalformedResponseException
import dev.dataverse.internal.protocol.BatchCodec
import dev.dataverse.internal.protocol.Body
import dev.dataverse.internal.protocol.BatchEntry
import dev.dataverse.internal.protocol.BatchPart
import dev.dataverse.internal.protocol.ErrorResponses
import dev.dataverse.internal.protocol.ApiRequest
import dev.dataverse.internal.protocol.ApiResponse
import dev.dataverse.internal.transport.HttpTransport
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
 * Sends a read ([request], a GET) and returns its body. A URL over [UrlLimits.MAX_GET_URL] goes as the only request of
 * a `$batch`, whose inner URL may be twice as long; beyond that the read is refused before anything is sent. The URL
 * is checked once, by the origin guard, whichever way it goes; the body of a read through `$batch` is a range of the
 * `$batch` body, decoded where it lies.
 */
internal suspend fun HttpTransport.read(request: ApiRequest): Body = readResponse(request).body

/**
 * [read] with the answer's status and headers: the GET's own, or for a read sent through `$batch` those of its part
 * (with the ids of the `$batch` request that carried it).
 */
internal suspend fun HttpTransport.readResponse(request: ApiRequest): ApiResponse {
    val url = resolve(request.target)
    if (url.length <= UrlLimits.MAX_GET_URL) return send(request, url)
    if (url.length > UrlLimits.MAX_BATCH_GET_URL) {
        throw InvalidInputException(
            "The query is too long: its URL has ${url.length} characters, more than the ${UrlLimits.MAX_BATCH_GET_URL} the " +
                "service accepts even inside \$batch (${UrlLimits.MAX_GET_URL} for a plain GET). Select fewer columns or " +
                "split the filter into several queries.",
        )
    }
    val batch = BatchCodec.request(
        listOf(BatchEntry.Single(BatchPart("GET", url.url, request.headers))),
        "batch_${UUID.randomUUID()}", { "changeset_${UUID.randomUUID()}" },
        continueOnError = false, replaySafe = true, applyOptions = true,
    )
    val response = send(batch)
    val part = BatchCodec.parts(response).singleOrNull()
        ?: throw MalformedResponseException("The \$batch response to one GET does not hold exactly one response.")
    if (part.status !in 200..299) throw ErrorResponses.toException(part.status, part::header, part.body, response.ids)
    return part.toResponse(response.ids)
}
