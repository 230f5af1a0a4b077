package dev.dataverse.spring.internal

/**
 * Makes a message safe for a health response or a startup failure report, which monitoring tools and logs keep: it never
 * carries a secret. Removed are the configured secrets themselves, `Bearer` credentials, and JWTs (three base64url parts,
 * the first starting with `eyJ`, as Microsoft Entra access tokens do); long messages are cut.
 */
internal object Redaction {
    private const val REDACTED = "[REDACTED]"
    private const val MAX_LENGTH = 500
    private const val MIN_REPLACEABLE = 8
    const val WITHHELD = "(message withheld: it contains a configured token)"
    private val BEARER = Regex("(?i)\\bbearer\\s+[^\\s,;\"']+")
    private val JWT = Regex("eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*")

    /**
     * [message] without [secrets], bearer credentials or JWTs, at most [MAX_LENGTH] characters; null when there is none.
     * A secret too short to replace without mangling the text ([MIN_REPLACEABLE] characters) withholds the whole message.
     */
    fun redact(message: String?, secrets: List<String>): String? {
        if (message.isNullOrBlank()) return null
        var text: String = message
        for (secret in secrets) {
            if (secret.isEmpty() || secret !in text) continue
            if (secret.length < MIN_REPLACEABLE) return WITHHELD
            text = text.replace(secret, REDACTED)
        }
        text = BEARER.replace(text, "Bearer $REDACTED")
        text = JWT.replace(text, REDACTED)
        return if (text.length > MAX_LENGTH) text.take(MAX_LENGTH) + "…" else text
    }
}
