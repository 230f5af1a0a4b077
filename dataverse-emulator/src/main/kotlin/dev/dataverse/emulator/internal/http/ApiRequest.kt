package dev.dataverse.emulator.internal.http

import java.util.Locale

/**
 * An HTTP request as the emulator handles it, independent of the server engine, so requests nested in a
 * `$batch` body can go through the same handlers. [rawTarget] is the request target exactly as sent.
 */
internal class ApiRequest(
    val method: String,
    val rawTarget: String,
    headers: Map<String, List<String>>,
    val body: ByteArray,
) {
    private val headers: Map<String, List<String>> = headers.mapKeys { it.key.lowercase(Locale.ROOT) }

    /** The first value of header [name] (case-insensitive), or null. */
    fun header(name: String): String? = headers[name.lowercase(Locale.ROOT)]?.firstOrNull()

    /** Every value of header [name] (case-insensitive). */
    fun headers(name: String): List<String> = headers[name.lowercase(Locale.ROOT)].orEmpty()
}
