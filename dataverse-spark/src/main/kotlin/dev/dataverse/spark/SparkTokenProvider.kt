package dev.dataverse.spark

import dev.dataverse.AccessToken

/**
 * Supplies bearer tokens to the `dataverse` format on every executor, for credentials the built-in options (`token`,
 * `clientId`/`clientSecret`) do not cover: a vault, a managed identity, a workload identity.
 *
 * Name the class with the `tokenProvider` option. Spark ships options, not objects, so each executor JVM instantiates the
 * class itself, through a public constructor taking the data source options (`Map<String, String>`, as the user spelled
 * them, secrets left out) or a public no-argument one. Options of its own go under the `tokenProvider.` prefix (e.g.
 * `tokenProvider.vault`), which the connector does not check. The class is loaded without running its static
 * initialiser, and initialised only once it is known to implement this interface. The connector caches each token until
 * shortly before it expires, so implementations need no cache of their own.
 *
 * ```java
 * public final class VaultTokens implements SparkTokenProvider {
 *     public AccessToken getToken(String scope, int user) { return vault.tokenFor("dataverse-app-" + user, scope); }
 * }
 * ```
 */
public fun interface SparkTokenProvider {
    /**
     * A token for [scope] (`"{environmentUrl}/.default"`) for application user number [user], from 0 to `users - 1` (the
     * `users` option): tasks are spread over the users so that each stays within the service's per-user limits.
     */
    public fun getToken(scope: String, user: Int): AccessToken
}
