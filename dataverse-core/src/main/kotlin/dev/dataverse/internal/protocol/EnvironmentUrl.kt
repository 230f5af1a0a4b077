package dev.dataverse.internal.protocol

import dev.dataverse.InvalidInputException
import java.net.InetAddress
import java.net.URI
import java.net.URISyntaxException

/**
 * A validated environment URL: `https://host[:port]`, or `http://` to a loopback host only, so that a bearer token is
 * never sent in clear text over a network. [value] has no trailing slash.
 */
internal class EnvironmentUrl private constructor(val value: String, val scheme: String, val host: String, val port: Int) {

    /** Whether [url] is on this environment (same scheme, host and port): the only URLs the client sends its token to. */
    fun isSameOrigin(url: String): Boolean {
        val uri = try {
            URI(url)
        } catch (e: URISyntaxException) {
            return false
        }
        return uri.scheme.equals(scheme, ignoreCase = true) && uri.host.equals(host, ignoreCase = true) &&
            effectivePort(uri.scheme, uri.port) == port && uri.rawUserInfo == null
    }

    override fun toString(): String = value

    companion object {
        fun parse(url: String): EnvironmentUrl {
            @Suppress("SENSELESS_COMPARISON") // Java callers can pass nulls.
            if (url == null) throw InvalidInputException("'environmentUrl' cannot be null.")
            val uri = try {
                URI(url.trim().trimEnd('/'))
            } catch (e: URISyntaxException) {
                throw InvalidInputException("'environmentUrl' is not a valid URL: ${Identifiers.quote(url)}.", e)
            }
            val scheme = uri.scheme?.lowercase()
            val host = uri.host
            if (scheme == null || host == null || !uri.isAbsolute) {
                throw InvalidInputException("'environmentUrl' must be absolute, like https://contoso.crm.dynamics.com, but was ${Identifiers.quote(url)}.")
            }
            if (!uri.rawPath.isNullOrEmpty() || uri.rawQuery != null || uri.rawFragment != null || uri.rawUserInfo != null) {
                throw InvalidInputException(
                    "'environmentUrl' must be the environment's root, like https://contoso.crm.dynamics.com, without path, " +
                        "query or credentials, but was ${Identifiers.quote(url)}.",
                )
            }
            when (scheme) {
                "https" -> Unit
                "http" -> if (!isLoopback(host)) {
                    throw InvalidInputException(
                        "'environmentUrl' must use https: bearer tokens are only sent over plain http to loopback addresses, " +
                            "but was ${Identifiers.quote(url)}.",
                    )
                }
                else -> throw InvalidInputException("'environmentUrl' must use https, but was ${Identifiers.quote(url)}.")
            }
            if (uri.port != -1 && uri.port !in 1..MAX_PORT) {
                throw InvalidInputException("'environmentUrl' has port ${uri.port}, which is not between 1 and $MAX_PORT: ${Identifiers.quote(url)}.")
            }
            val port = effectivePort(scheme, uri.port)
            val authority = if (uri.port == -1) host else "$host:${uri.port}"
            return EnvironmentUrl("$scheme://$authority", scheme, host, port)
        }

        private const val MAX_PORT = 65_535

        private fun effectivePort(scheme: String?, port: Int): Int = when {
            port != -1 -> port
            scheme.equals("https", ignoreCase = true) -> 443
            else -> 80
        }

        /** Loopback by name or literal address only; no DNS lookup, which could be spoofed. */
        private fun isLoopback(host: String): Boolean {
            val bare = host.removePrefix("[").removeSuffix("]")
            if (bare.equals("localhost", ignoreCase = true)) return true
            val literal = bare.matches(Regex("[0-9.]+")) || bare.contains(':')
            return literal && runCatching { InetAddress.getByName(bare).isLoopbackAddress }.getOrDefault(false)
        }
    }
}
