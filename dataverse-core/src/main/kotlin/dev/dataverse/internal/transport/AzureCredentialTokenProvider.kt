package dev.dataverse.internal.transport

import com.azure.core.credential.TokenCredential
import com.azure.core.credential.TokenRequestContext
import dev.dataverse.AccessToken
import dev.dataverse.AuthenticationException
import dev.dataverse.TokenProvider
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.runInterruptible

/**
 * Adapts an azure-identity [TokenCredential]. Kept in its own class so that azure-core is only loaded by callers who use
 * it: the dependency is optional for everyone else.
 */
internal class AzureCredentialTokenProvider(private val credential: TokenCredential) : TokenProvider {
    override suspend fun getToken(scope: String): AccessToken {
        // getTokenSync blocks (it may call a CLI or the network); run it where blocking is fine, interruptible on cancel.
        val token = runInterruptible(Dispatchers.IO) {
            credential.getTokenSync(TokenRequestContext().addScopes(scope))
        } ?: throw AuthenticationException("The credential returned no token for scope '$scope'.", null)
        return AccessToken(token.token, token.expiresAt.toInstant())
    }
}
