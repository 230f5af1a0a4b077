package dev.dataverse

import java.time.Instant

/**
 * Supplies bearer tokens for Dataverse.
 *
 * The client caches the token it gets until shortly before [AccessToken.expiresAt] and makes sure that any number of
 * concurrent callers trigger exactly one call to [getToken] when a new token is needed, so implementations need no cache
 * of their own.
 *
 * Use [DataverseClient.Builder.credential] for an azure-identity `TokenCredential` (e.g. `DefaultAzureCredential`),
 * [DataverseClient.Builder.token] for a fixed token, or implement this interface for anything else:
 * ```kotlin
 * val client = DataverseClient {
 *     environmentUrl("https://contoso.crm.dynamics.com")
 *     tokenProvider { scope -> AccessToken(myVault.tokenFor(scope), Instant.now().plusSeconds(3600)) }
 * }
 * ```
 * Java callers, who cannot implement a suspend function, pass a blocking `Function<String, AccessToken>` or a
 * `CompletableFuture`-returning one to the builders of the `dataverse-java` module.
 */
public fun interface TokenProvider {
    /**
     * Returns a token for [scope], which is `"{environmentUrl}/.default"`.
     *
     * Exceptions thrown here reach the caller as [AuthenticationException].
     */
    public suspend fun getToken(scope: String): AccessToken
}

/** A bearer token and the instant it stops being valid. [toString] never shows the token. */
public class AccessToken(
    /** The bearer token, sent as `Authorization: Bearer <token>`. */
    public val token: String,
    /** When the token expires; the client refreshes it shortly before. Use [Instant.MAX] for a token that never expires. */
    public val expiresAt: Instant,
) {
    init {
        if (token.isBlank()) throw InvalidInputException("'token' cannot be blank.")
        // A control character would break the Authorization header (or smuggle another one): refused before it is sent,
        // and the message never quotes the token.
        if (token.any { it.isISOControl() || it.isWhitespace() }) {
            throw InvalidInputException("'token' cannot contain control characters or whitespace.")
        }
    }

    override fun toString(): String = "AccessToken(token=<redacted>, expiresAt=$expiresAt)"
}
