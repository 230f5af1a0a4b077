package dev.dataverse.internal.transport

/** Removes credentials from text bound for logs and exception messages: bearer tokens and anything shaped like a JWT. */
internal object Redaction {
    private val BEARER = Regex("(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]+")
    private val JWT = Regex("eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*")

    fun redact(text: String): String = JWT.replace(BEARER.replace(text) { it.groupValues[1] + "<redacted>" }, "<redacted-jwt>")

    /**
     * [redact], and every occurrence of [secret] too: a server may echo the token in any shape (a fixed token need not
     * look like a JWT), so the token in use is removed literally as well.
     */
    fun redact(text: String, secret: String?): String {
        val literal = if (secret != null && secret.length >= MIN_SECRET && text.contains(secret)) text.replace(secret, "<redacted>") else text
        return redact(literal)
    }

    /** Shorter "secrets" would redact ordinary words: tokens are far longer than this. */
    private const val MIN_SECRET = 6
}
