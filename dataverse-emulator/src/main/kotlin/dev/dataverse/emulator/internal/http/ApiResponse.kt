package dev.dataverse.emulator.internal.http

import dev.dataverse.emulator.internal.ApiException
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.put
import java.nio.file.Path

/** [length] bytes of the file at [path] from [offset]: a body streamed from disk rather than held in memory. */
internal class FileBody(val path: Path, val offset: Long, val length: Long)

/** An HTTP response as the emulator produces it, independent of the server engine. */
internal class ApiResponse(
    val status: Int,
    val headers: List<Pair<String, String>> = emptyList(),
    val body: ByteArray? = null,
    val contentType: String? = null,
    /** A body to stream from disk instead of [body] (file downloads). */
    val file: FileBody? = null,
) {
    /** The first value of header [name] (case-insensitive), or null. */
    fun header(name: String): String? = headers.firstOrNull { it.first.equals(name, ignoreCase = true) }?.second

    /** This response with [extra] headers added. */
    fun withHeaders(extra: List<Pair<String, String>>): ApiResponse = ApiResponse(status, headers + extra, body, contentType, file)

    companion object {
        /** The content type of every JSON body the service sends. */
        const val JSON_CONTENT_TYPE: String = "application/json; odata.metadata=minimal"

        /** A JSON response. */
        fun json(status: Int, body: JsonElement, headers: List<Pair<String, String>> = emptyList()): ApiResponse =
            ApiResponse(status, headers, body.toString().toByteArray(Charsets.UTF_8), JSON_CONTENT_TYPE)

        /** A response without a body (204 and friends). */
        fun empty(status: Int, headers: List<Pair<String, String>> = emptyList()): ApiResponse = ApiResponse(status, headers)

        /** A text response of another content type (CSDL XML, plain text). */
        fun text(status: Int, body: String, contentType: String): ApiResponse =
            ApiResponse(status, emptyList(), body.toByteArray(Charsets.UTF_8), contentType)

        /** The service's error body `{"error":{"code":..,"message":..}}` for [error]. */
        fun error(error: ApiException): ApiResponse {
            val body = buildJsonObject {
                put(
                    "error",
                    buildJsonObject {
                        put("code", error.code)
                        put("message", error.message)
                        error.annotations.forEach { (name, value) -> put(name, value) }
                    },
                )
            }
            return json(error.status, body, error.headers)
        }
    }
}
