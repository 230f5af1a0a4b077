package dev.dataverse.spring

/**
 * Where the clients connect, when something other than the `dataverse.*` properties decides it: the embedded emulator
 * registers one (`dataverse.emulator.enabled=true`), and a test can define its own bean, like a Spring Boot service
 * connection. When a bean of this type exists, the clients use its URL and token instead of `dataverse.environment-url`
 * and the configured credentials.
 */
public interface DataverseConnectionDetails {
    /** The environment's URL, e.g. `http://127.0.0.1:52011` for an emulator. */
    public val environmentUrl: String

    /** The bearer token to send. */
    public val token: String
}
