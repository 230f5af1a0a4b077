package dev.dataverse.spring

import dev.dataverse.DataverseClient
import dev.dataverse.HttpEngine
import dev.dataverse.InvalidInputException
import dev.dataverse.spring.internal.ClientConfigurer
import dev.dataverse.spring.internal.CredentialSettings
import dev.dataverse.spring.internal.FieldErrors
import dev.dataverse.spring.internal.Secrets
import org.springframework.boot.context.properties.ConfigurationProperties
import org.springframework.validation.Errors
import org.springframework.validation.Validator
import java.time.Duration
import kotlin.time.toJavaDuration

/**
 * The `dataverse.*` properties the starter builds its clients from. Each value is checked at startup by the client
 * builder's own rules, and a bad one fails the application with a message naming the property, e.g.
 * `dataverse.max-concurrent-requests` when it is 0. Defaults are the client's.
 *
 * ```properties
 * dataverse.environment-url=https://contoso.crm.dynamics.com
 * dataverse.request-timeout=30s
 * dataverse.retry.max-attempts=8
 * dataverse.credential.tenant-id=contoso.onmicrosoft.com
 * dataverse.credential.client-id=0e6d3b2a-6f1c-4a7d-9b8e-1c2d3e4f5a6b
 * dataverse.credential.client-secret=${DATAVERSE_CLIENT_SECRET}
 * ```
 *
 * ## Secrets
 * [token], [Credential.clientSecret] and [Credential.certificatePassword] are never shown: the actuator's `env` and
 * `configprops` endpoints mask them whatever their `show-values`, and a failed check reports them by name with the value
 * `******` (Spring Boot prints a rejected value in its startup failure report otherwise), its message cleared of the
 * value.
 */
@ConfigurationProperties(prefix = DataverseProperties.PREFIX)
public class DataverseProperties : Validator {
    /** The environment, e.g. `https://contoso.crm.dynamics.com`. Required unless the embedded emulator is enabled. */
    public var environmentUrl: String? = null

    /** The Web API version. */
    public var apiVersion: String = DataverseClient.DEFAULT_API_VERSION

    /**
     * A fixed bearer token, for development only: used when the application defines no `TokenCredential` bean; a real
     * deployment leaves it unset and signs in with [credential] properties or `DefaultAzureCredential` (azure-identity on
     * the classpath). A secret: masked in `/actuator/env` and `/actuator/configprops`, never quoted by a startup failure.
     */
    public var token: String? = null

    /** Microsoft Entra credentials from properties: a client secret, a certificate or a managed identity (azure-identity). */
    public val credential: Credential = Credential()

    /** An application name sent in the `User-Agent`. */
    public var applicationId: String? = null

    /** Bound on each HTTP request. */
    public var requestTimeout: Duration = DataverseClient.DEFAULT_REQUEST_TIMEOUT.toJavaDuration()

    /** Bound on opening a connection. */
    public var connectTimeout: Duration = DataverseClient.DEFAULT_CONNECT_TIMEOUT.toJavaDuration()

    /** Bound on each public call, retries included; unset: none. */
    public var operationTimeout: Duration? = null

    /** The most connections to the environment. */
    public var maxConnections: Int = DataverseClient.DEFAULT_MAX_CONNECTIONS

    /** The ceiling of the adaptive limit of requests in flight (the service's per-user limit is 52). */
    public var maxConcurrentRequests: Int = DataverseClient.DEFAULT_MAX_CONCURRENT_REQUESTS

    /** How long table metadata (entity sets, columns, choices) is cached. */
    public var metadataCacheTtl: Duration = DataverseClient.DEFAULT_METADATA_CACHE_TTL.toJavaDuration()

    /** The HTTP engine: `jdk` (the JDK's HttpClient) or `cio` (HTTP/1.1 over Ktor's coroutine sockets and TLS, with a keep-alive pool of the client's own). */
    public var engine: HttpEngine = HttpEngine.JDK

    /** Log request and response bodies at DEBUG (tokens redacted). Bodies hold your data: development only. */
    public var logBodies: Boolean = false

    /** How long the context's shutdown waits for calls in flight before closing the client. */
    public var shutdownTimeout: Duration = Duration.ofSeconds(30)

    /** Retries of transient failures. */
    public val retry: Retry = Retry()

    /** The actuator health indicator. */
    public val health: Health = Health()

    /** The embedded emulator, for tests and local runs. */
    public val emulator: Emulator = Emulator()

    /** Micrometer meters, when a `MeterRegistry` bean exists. */
    public val metrics: Toggle = Toggle()

    /** OpenTelemetry spans (and metrics without Micrometer), when an `OpenTelemetry` bean exists. */
    public val tracing: Toggle = Toggle()

    /**
     * Micrometer observations (one per call, one per HTTP attempt under it), when an `ObservationRegistry` bean exists:
     * Spring Boot's metrics and tracing bridges turn them into timers and spans.
     */
    public val observations: Toggle = Toggle()

    /**
     * Credentials built from properties with azure-identity (`com.azure:azure-identity` on the classpath), used when the
     * application defines no `TokenCredential` bean:
     * - [clientSecret] (with [tenantId] and [clientId]): `ClientSecretCredential`;
     * - [certificatePath] (with [tenantId], [clientId], and [certificatePassword] for a PFX file): `ClientCertificateCredential`;
     * - [managedIdentityClientId] (a user-assigned identity) or [managedIdentityEnabled] (the system-assigned one):
     *   `ManagedIdentityCredential`;
     * - [tenantId] alone: `DefaultAzureCredential` signing in to that tenant.
     *
     * Each is checked at startup; [clientSecret] and [certificatePassword] are secrets, masked by the actuator and never
     * quoted by a failure.
     */
    public class Credential {
        /** The Microsoft Entra tenant: its id (a GUID) or a domain such as `contoso.onmicrosoft.com`. */
        public var tenantId: String? = null

        /** The application (client) id of the app registration, a GUID. */
        public var clientId: String? = null

        /** A client secret of the app registration. A secret. */
        public var clientSecret: String? = null

        /** A certificate of the app registration with its private key: a `.pem` file, or a `.pfx`/`.p12` file. */
        public var certificatePath: String? = null

        /** The password of a PFX certificate. A secret. */
        public var certificatePassword: String? = null

        /** The client id of a user-assigned managed identity, a GUID. */
        public var managedIdentityClientId: String? = null

        /** Sign in as the system-assigned managed identity of the host (App Service, a VM, a container app, AKS). */
        public var managedIdentityEnabled: Boolean = false

        /**
         * The Microsoft Entra authority host, for national clouds, e.g. `https://login.microsoftonline.us`; unset: the
         * public cloud (`https://login.microsoftonline.com`).
         */
        public var authorityHost: String? = null
    }

    /** See [dev.dataverse.RetryOptions]. */
    public class Retry {
        /** Attempts per request, the first included. */
        public var maxAttempts: Int = dev.dataverse.RetryOptions.DEFAULT.maxAttempts

        /** The first backoff, doubled per attempt (with full jitter). */
        public var baseDelay: Duration = dev.dataverse.RetryOptions.DEFAULT.baseDelay.toJavaDuration()

        /** The longest backoff. */
        public var maxDelay: Duration = dev.dataverse.RetryOptions.DEFAULT.maxDelay.toJavaDuration()

        /** The time budget of a request's attempts and waits. */
        public var maxElapsed: Duration = dev.dataverse.RetryOptions.DEFAULT.maxElapsed.toJavaDuration()
    }

    /** The health indicator calls WhoAmI at most once per [cacheTtl], waiting at most [timeout]. */
    public class Health {
        /** How long one check may take before the indicator reports DOWN. */
        public var timeout: Duration = Duration.ofSeconds(5)

        /** How long a result is reused, so frequent probes do not call the service each time. */
        public var cacheTtl: Duration = Duration.ofSeconds(30)
    }

    /** An in-memory Dataverse emulator started with the context, which the clients then use. */
    public class Emulator {
        /**
         * Start the emulator and connect the clients to it instead of [environmentUrl]. Needs `dev.dataverse:dataverse-emulator`
         * on the classpath: without it, startup fails rather than connect to [environmentUrl].
         */
        public var enabled: Boolean = false

        /** Its port; 0 picks a free one. */
        public var port: Int = 0

        /**
         * A schema snapshot (README "Schema snapshots") to seed the emulator with: a file path, or `classpath:...` for
         * a resource (e.g. `classpath:dataverse-schema.json` from `src/test/resources`). The snapshot's tables, columns,
         * keys, relationships and custom APIs exist when the context starts; a file that cannot be used fails the
         * startup naming the file and the JSON path. Default: none.
         */
        public var schema: String? = null
    }

    /** Switches a telemetry binding. */
    public class Toggle {
        /** Whether the binding is on when its registry or SDK bean exists. */
        public var enabled: Boolean = true
    }

    override fun supports(clazz: Class<*>): Boolean = DataverseProperties::class.java.isAssignableFrom(clazz)

    /**
     * Checks each property with the client builder's own rules, so a bad value names its property at startup. A secret
     * property's error never carries its value: Spring Boot prints a field error's rejected value in its startup failure
     * report, so the error is recorded with a masked one, and its message is cleared of the value.
     */
    override fun validate(target: Any, errors: Errors) {
        val properties = target as DataverseProperties
        val secrets = Secrets.values(properties)
        for ((field, apply) in ClientConfigurer.checks(properties)) {
            try {
                apply(DataverseClient.builder())
            } catch (e: InvalidInputException) {
                FieldErrors.reject(errors, field, Secrets.redact(e.message, secrets))
            } catch (e: IllegalArgumentException) {
                FieldErrors.reject(errors, field, Secrets.redact(e.message, secrets))
            }
        }
        for ((field, message) in CredentialSettings.problems(properties.credential)) FieldErrors.reject(errors, field, message)
        if (properties.token != null && CredentialSettings.isConfigured(properties.credential)) {
            FieldErrors.reject(errors, "token", "set either '$PREFIX.token' or '$PREFIX.credential.*' properties, not both.")
        }
        if (!properties.emulator.enabled && properties.environmentUrl.isNullOrBlank()) {
            FieldErrors.reject(errors, "environmentUrl", "'$PREFIX.environment-url' is required (or set '$PREFIX.emulator.enabled=true').", "required")
        }
        if (properties.emulator.port !in 0..65535) FieldErrors.reject(errors, "emulator.port", "must be within 0..65535")
        for ((field, value) in listOf(
            "shutdownTimeout" to properties.shutdownTimeout,
            "health.timeout" to properties.health.timeout,
            "health.cacheTtl" to properties.health.cacheTtl,
        )) {
            if (value.isNegative) FieldErrors.reject(errors, field, "must not be negative")
        }
    }

    public companion object {
        /** The prefix of every property. */
        public const val PREFIX: String = "dataverse"
    }
}
