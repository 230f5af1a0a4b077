package dev.dataverse.emulator.internal.http

import dev.dataverse.emulator.internal.ApiException
import dev.dataverse.emulator.internal.ErrorCodes

/**
 * What a request to the admin API must show before it is read, so that a web page the developer happens to open
 * cannot drive the emulator from the browser (cross-site request forgery) nor through a DNS name rebound to 127.0.0.1:
 *
 * - `Host` names the emulator's own loopback address and port (`127.0.0.1:<port>`, or `localhost:<port>`, which no
 *   DNS answer can rebind); a rebound attacker's name is refused.
 * - `Origin`, when a browser sends one, is the emulator's own; `Sec-Fetch-Site`, when sent, is not cross-site.
 * - A `POST` carries `Content-Type: application/json`, which a browser cannot send cross-site without a CORS
 *   preflight that the emulator never grants; `PUT` and `DELETE` need such a preflight anyway.
 * - The admin token (or else the API's required token), when one is configured, as `Authorization: Bearer <token>`.
 */
internal class AdminGuard(private val context: EmulatorContext) {

    /** Throws the refusal for [request] (whose body is not read yet), or returns when it may be served. */
    fun check(request: ApiRequest) {
        val scheme = context.baseUrl.substringBefore("://")
        val authority = context.baseUrl.substringAfter("://")
        val port = authority.substringAfterLast(':')
        val allowedHosts = setOf(authority, "localhost:$port")
        val host = request.header("Host")?.trim()?.lowercase()
        if (host == null || host !in allowedHosts) {
            throw ApiException(403, ErrorCodes.UNAUTHORIZED, "The admin API answers only requests addressed to $authority (Host was '${host.orEmpty()}').")
        }
        val origin = request.header("Origin")?.trim()?.lowercase()
        if (origin != null && origin !in allowedHosts.map { "$scheme://$it" }) {
            throw ApiException(403, ErrorCodes.UNAUTHORIZED, "The admin API does not answer requests from the web origin '$origin'.")
        }
        if (request.header("Sec-Fetch-Site")?.trim()?.lowercase() in setOf("cross-site", "same-site")) {
            throw ApiException(403, ErrorCodes.UNAUTHORIZED, "The admin API does not answer cross-site requests.")
        }
        val token = context.options.adminToken ?: context.options.requiredToken
        if (token != null) Authentication.check(request.header("Authorization"), token, context.baseUrl)
        if (request.method == "POST") {
            val type = request.header("Content-Type")?.substringBefore(';')?.trim()?.lowercase()
            if (type != "application/json") {
                throw ApiException(415, ErrorCodes.INVALID_ARGUMENT, "Admin API POST requests must send Content-Type: application/json.")
            }
        }
    }
}
