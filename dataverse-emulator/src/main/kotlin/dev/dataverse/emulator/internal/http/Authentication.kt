package dev.dataverse.emulator.internal.http

import dev.dataverse.emulator.internal.ApiException
import dev.dataverse.emulator.internal.ErrorCodes

/** Checks the `Authorization: Bearer <token>` header the service requires on every API request. */
internal object Authentication {
    private const val SCHEME = "Bearer"

    /** Throws a 401 unless [authorization] carries a bearer token, and the required one when [requiredToken] is set. */
    fun check(authorization: String?, requiredToken: String?, baseUrl: String) {
        val header = authorization?.trim().orEmpty()
        if (header.isEmpty()) throw unauthorized("The request has no Authorization header; send 'Authorization: Bearer <token>'.", baseUrl)
        if (!header.startsWith("$SCHEME ", ignoreCase = true)) {
            throw unauthorized("The Authorization header must use the Bearer scheme.", baseUrl)
        }
        val token = header.substring(SCHEME.length).trim()
        if (token.isEmpty()) throw unauthorized("The Authorization header has an empty bearer token.", baseUrl)
        if (requiredToken != null && token != requiredToken) throw unauthorized("The bearer token is not valid for this environment.", baseUrl)
    }

    private fun unauthorized(message: String, baseUrl: String) = ApiException(
        401,
        ErrorCodes.UNAUTHORIZED,
        message,
        listOf("WWW-Authenticate" to "Bearer authorization_uri=https://login.microsoftonline.com/common/oauth2/authorize, resource_id=$baseUrl/"),
    )
}
