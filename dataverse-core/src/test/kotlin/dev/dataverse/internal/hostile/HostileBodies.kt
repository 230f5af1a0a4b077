package dev.dataverse.internal.hostile

/** Response bodies a hostile server sends. */
internal object HostileBodies {
    /** A `$batch` response (boundary `b0`) whose multiparts nest [depth] levels deep around one `204` answer. */
    fun nestedMultipart(depth: Int): String = buildString {
        for (level in 0 until depth) append("--b$level\r\nContent-Type: multipart/mixed; boundary=b${level + 1}\r\n\r\n")
        append("--b$depth\r\nContent-Type: application/http\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n\r\n--b$depth--\r\n")
        for (level in depth - 1 downTo 0) append("--b$level--\r\n")
    }
}
