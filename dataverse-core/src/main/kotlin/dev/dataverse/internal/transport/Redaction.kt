package dev.dataverse.internal.transport

/** Removes credentials from text bound for logs: bearer tokens and anything shaped like a JWT. */
internal object Redaction {
    private val BEARER = Regex("(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]+")
    private val JWT = Regex("eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*")

    fun redact(text: String): String = JWT.replace(BEARER.replace(text) { it.groupValues[1] + "<redacted>" }, "<redacted-jwt>")
}
