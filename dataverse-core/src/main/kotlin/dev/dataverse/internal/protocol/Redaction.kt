package dev.dataverse.internal.protocol

import java.util.concurrent.ConcurrentHashMap

/**
 * Removes credentials from text bound for logs and exception messages: bearer tokens, anything shaped like a JWT, and
 * the bearer tokens the clients of this JVM hold now, literally.
 *
 * The tokens in use are kept here ([remember], [forget]) because text from a response reaches messages in many places
 * (an error's message, a `$batch` part, a search error inside a 200, a malformed value quoted by [Identifiers.quote]),
 * and a service that echoes a request may echo its token in any shape: a fixed token need not look like a JWT, and a
 * JSON-escaped echo only matches once decoded, which is why redaction runs on decoded text.
 */
internal object Redaction {
    private val BEARER = Regex("(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]+")
    private val JWT = Regex("eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*")

    /** The tokens clients hold now; a token is forgotten when it is replaced or its client is closed. */
    private val known: MutableSet<String> = ConcurrentHashMap.newKeySet()

    /** Redacts [secret] (a token a client now holds) wherever text is redacted, until [forget]. */
    fun remember(secret: String) {
        if (secret.length >= MIN_SECRET) known += secret
    }

    fun forget(secret: String) {
        known -= secret
    }

    /** [text] without bearer credentials, JWTs and the tokens in use. */
    fun redact(text: String): String {
        var result = text
        for (secret in known) if (result.contains(secret)) result = result.replace(secret, "<redacted>")
        return JWT.replace(BEARER.replace(result) { it.groupValues[1] + "<redacted>" }, "<redacted-jwt>")
    }

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
