package dev.dataverse.emulator.internal.http

/**
 * Request targets and the host links are built for. A server must accept the absolute form of a request target
 * (`GET http://host:port/api/... HTTP/1.1`, RFC 9112 §3.2.2), which proxies and some clients send; the rest of the
 * emulator sees the origin form (`/api/...`). Links in answers (`@odata.nextLink`, `OData-EntityId`, `@odata.context`,
 * `Location`) are built for the host the client addressed, so a client that reaches the emulator through a proxy or
 * another name can follow them.
 */
internal object RequestTargets {
    private val ABSOLUTE = Regex("^(?i)(https?)://([^/?#]*)(.*)$")

    /** A host and optional port as the `Host` header carries them: a name, IPv4 or bracketed IPv6 address. */
    private val HOST = Regex("^(?:[A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+])(?::[0-9]{1,5})?$")

    /** The origin form of [target]: its path and query (`/` when the absolute form has no path). */
    fun originForm(target: String): String {
        if (target.startsWith('/')) return target
        val match = ABSOLUTE.matchEntire(target) ?: return target
        val rest = match.groupValues[3]
        return if (rest.isEmpty() || rest.startsWith("?")) "/$rest" else rest
    }

    /** The authority of an absolute-form [target], which takes the place of the `Host` header (RFC 9112 §3.2.2). */
    fun authorityOf(target: String): String? = if (target.startsWith('/')) null else ABSOLUTE.matchEntire(target)?.groupValues?.get(2)?.takeIf { it.isNotEmpty() }

    /**
     * The base URL (`scheme://host:port`, the scheme the emulator serves) for links in the answer to a request addressed to [host], or `null` to use the
     * emulator's own when the header is missing or not a plain host, so a header can never inject text into a link.
     */
    fun baseUrlFor(host: String?, scheme: String): String? = host?.trim()?.takeIf { HOST.matches(it) }?.let { "$scheme://$it" }
}
