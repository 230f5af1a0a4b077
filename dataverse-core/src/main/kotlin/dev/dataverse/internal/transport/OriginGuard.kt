package dev.dataverse.internal.transport

import dev.dataverse.InvalidInputException
import dev.dataverse.internal.protocol.EnvironmentUrl
import dev.dataverse.internal.protocol.SearchRequests

/**
 * Resolves a request target to the URL that is sent, and is the last check before it leaves: relative targets go under
 * the API root; absolute ones (next links) must be on this environment's API, or its search 2.0 endpoint
 * (`/api/search/v2.0/`, which is outside the API root); and no URL with a control character or
 * whitespace is ever sent, whatever built it, because such a character could end the request line and smuggle another
 * request carrying the token.
 */
internal class OriginGuard(private val environmentUrl: EnvironmentUrl, private val apiUrl: String) {
    private val apiPrefix = "$apiUrl/"
    private val searchPrefix = environmentUrl.value + SearchRequests.PATH

    fun resolve(target: String): String {
        val url = if (isAbsolute(target)) {
            val underRoot = target.startsWith(apiPrefix, ignoreCase = true) || target.startsWith(searchPrefix, ignoreCase = true)
            if (!environmentUrl.isSameOrigin(target) || !underRoot) {
                throw InvalidInputException("Refusing to send credentials to ${describe(target)}: it is not under $apiUrl or $searchPrefix.")
            }
            target
        } else {
            apiPrefix + target
        }
        val bad = url.indexOfFirst { it.isISOControl() || it.isWhitespace() || Character.isSpaceChar(it) }
        if (bad >= 0) {
            throw InvalidInputException(
                "Refusing to send a URL with a control character or whitespace (U+%04X at position %d): %s"
                    .format(url[bad].code, bad, describe(url.filterNot { it.isISOControl() })),
            )
        }
        return url
    }

    private fun isAbsolute(target: String) = target.startsWith("http://", ignoreCase = true) || target.startsWith("https://", ignoreCase = true)

    private fun describe(url: String): String = url.substringBefore('?')
}
