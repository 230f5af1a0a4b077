package dev.dataverse.internal.transport.cio

import dev.dataverse.internal.protocol.ResponseHeaders
import io.ktor.http.cio.HttpHeadersMap

/** Response headers (values of one name in the order received); names are looked up ignoring case. Copied out of Ktor's pooled parser buffers. */
internal class Http1Headers private constructor(private val names: Array<String>, private val values: Array<String>) : ResponseHeaders {
    override fun get(name: String): String? {
        for (i in names.indices) if (names[i].equals(name, ignoreCase = true)) return values[i]
        return null
    }

    /** Every value of [name]. */
    fun values(name: String): List<String> = names.indices.filter { names[it].equals(name, ignoreCase = true) }.map { values[it] }

    override fun all(): Map<String, List<String>> {
        val all = LinkedHashMap<String, MutableList<String>>()
        for (i in names.indices) all.getOrPut(names[i]) { ArrayList(1) } += values[i]
        return all
    }

    companion object {
        fun of(headers: HttpHeadersMap): Http1Headers {
            val offsets = headers.offsets().toList()
            return Http1Headers(
                Array(offsets.size) { headers.nameAtOffset(offsets[it]).toString() },
                Array(offsets.size) { headers.valueAtOffset(offsets[it]).toString() },
            )
        }
    }
}
