package dev.dataverse.internal.transport

import dev.dataverse.internal.protocol.Redaction
import dev.dataverse.AccessToken
import dev.dataverse.AuthenticationException
import dev.dataverse.DataverseException
import dev.dataverse.InvalidInputException
import dev.dataverse.TokenProvider
import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.sync.withLock
import java.time.Clock
import java.time.Duration
import java.time.Instant
import kotlin.coroutines.cancellation.CancellationException

/**
 * Caches the bearer token until [REFRESH_MARGIN] before it expires. Concurrent callers that find no fresh token queue
 * on one mutex, and the first one in acquires it for all: any number of cold callers cause exactly one acquisition.
 */
internal class TokenCache(
    private val provider: TokenProvider,
    private val scope: String,
    private val clock: Clock = Clock.systemUTC(),
    /** Hears of every acquisition from the provider, with its time and failure (for telemetry). */
    private val onAcquired: ((elapsed: Duration, error: DataverseException?) -> Unit)? = null,
) {
    @Volatile
    private var cached: AccessToken? = null
    private val mutex = Mutex()

    suspend fun token(): String {
        cached?.takeIf { isFresh(it) }?.let { return it.token }
        return mutex.withLock {
            cached?.takeIf { isFresh(it) }?.token ?: acquire().also(::hold).token
        }
    }

    /** Forgets [token] if it is still the cached one, so the next caller acquires a new token (after a 401). */
    fun invalidate(token: String) {
        if (cached?.token == token) {
            cached = null
            Redaction.forget(token)
        }
    }

    /** Forgets the cached token, also for redaction: the client is closed. */
    fun close() {
        cached?.let { Redaction.forget(it.token) }
        cached = null
    }

    /** Caches [token]; redaction removes it from messages from now on, and no longer the one it replaces. */
    private fun hold(token: AccessToken) {
        Redaction.remember(token.token)
        cached?.let { previous -> if (previous.token != token.token) Redaction.forget(previous.token) }
        cached = token
    }

    private suspend fun acquire(): AccessToken {
        val report = onAcquired ?: return fetch()
        val started = System.nanoTime()
        return try {
            fetch().also { report(Duration.ofNanos(System.nanoTime() - started), null) }
        } catch (e: DataverseException) {
            report(Duration.ofNanos(System.nanoTime() - started), e)
            throw e
        }
    }

    private suspend fun fetch(): AccessToken = try {
        provider.getToken(scope)
    } catch (e: CancellationException) {
        throw e
    } catch (e: InvalidInputException) {
        // An AccessToken refused its value (blank, control characters): the provider handed over invalid credentials.
        throw AuthenticationException("The token provider returned an invalid token for scope '$scope': ${e.message}", e)
    } catch (e: DataverseException) {
        throw e
    } catch (e: Exception) {
        throw AuthenticationException("Could not acquire a token for scope '$scope': ${Redaction.redact(e.message ?: e.javaClass.simpleName)}", e)
    }

    private fun isFresh(token: AccessToken): Boolean =
        token.expiresAt == Instant.MAX || clock.instant().plus(REFRESH_MARGIN).isBefore(token.expiresAt)

    companion object {
        /** Refresh this long before expiry, so that a token never expires during a request (or a request queued on one). */
        val REFRESH_MARGIN: Duration = Duration.ofMinutes(2)
    }
}
