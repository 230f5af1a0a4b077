package dev.dataverse.spring

import dev.dataverse.DataverseClient
import dev.dataverse.DataverseInstrumentation
import dev.dataverse.emulator.DataverseEmulator
import dev.dataverse.emulator.EmulatorOptions
import dev.dataverse.java.DataverseAsyncClient
import dev.dataverse.java.DataverseBlockingClient
import dev.dataverse.spring.internal.ClientConfigurer
import dev.dataverse.spring.internal.ContextClasses
import dev.dataverse.spring.internal.Credentials
import dev.dataverse.spring.internal.DataverseHealthIndicator
import dev.dataverse.spring.internal.EmulatorMissingException
import dev.dataverse.spring.internal.MissingEmulatorConfiguration
import dev.dataverse.telemetry.DataverseMicrometer
import dev.dataverse.telemetry.DataverseOpenTelemetry
import io.micrometer.core.instrument.MeterRegistry
import io.opentelemetry.api.OpenTelemetry
import org.springframework.beans.factory.ListableBeanFactory
import org.springframework.beans.factory.ObjectProvider
import org.springframework.boot.autoconfigure.AutoConfiguration
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean
import org.springframework.boot.context.properties.EnableConfigurationProperties
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator
import org.springframework.boot.health.contributor.HealthIndicator
import org.springframework.context.annotation.Bean
import org.springframework.context.annotation.Configuration
import org.springframework.context.annotation.Import

/**
 * Auto-configuration of the Dataverse clients from the `dataverse.*` properties ([DataverseProperties]).
 *
 * ## Beans
 * - `DataverseClient` (Kotlin), `DataverseBlockingClient` and `DataverseAsyncClient` (Java): three views of one client,
 *   sharing its connections, token cache and concurrency limit. Each is skipped when the application defines its own.
 * - Credentials: the application's `TokenCredential` bean; else `dataverse.token` (development); else
 *   `DefaultAzureCredential` when azure-identity is on the classpath. Without any of them startup fails and says so.
 * - On shutdown, calls in flight get `dataverse.shutdown-timeout` to finish before the client is closed.
 * - A `dataverse` health indicator (WhoAmI, cached) when Spring Boot's health module is present; switch it off with
 *   `management.health.dataverse.enabled=false`.
 * - Micrometer meters when a `MeterRegistry` bean exists, OpenTelemetry spans when an `OpenTelemetry` bean exists
 *   (and OpenTelemetry metrics when there is no registry); `dataverse.metrics.enabled` / `dataverse.tracing.enabled`.
 * - With `dataverse.emulator.enabled=true`, an embedded emulator the clients use; without the emulator on the classpath
 *   (`dev.dataverse:dataverse-emulator`) that property fails startup rather than leave the clients pointed at the
 *   environment URL.
 */
@AutoConfiguration(
    afterName = [
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
        "org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration",
    ],
)
@ConditionalOnClass(DataverseClient::class)
@EnableConfigurationProperties(DataverseProperties::class)
@Import(MissingEmulatorConfiguration::class)
public class DataverseAutoConfiguration {
    /** Closes the starter's client on shutdown once its calls in flight finished (within `dataverse.shutdown-timeout`). */
    @Bean
    public fun dataverseClientShutdown(properties: DataverseProperties): DataverseClientShutdown =
        DataverseClientShutdown(properties.shutdownTimeout)

    /** The Kotlin client; the Java clients are views of it. Closed by [dataverseClientShutdown]. */
    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    public fun dataverseClient(
        properties: DataverseProperties,
        connection: ObjectProvider<DataverseConnectionDetails>,
        instrumentations: ObjectProvider<DataverseInstrumentation>,
        customizers: ObjectProvider<DataverseClientBuilderCustomizer>,
        shutdown: DataverseClientShutdown,
        beans: ListableBeanFactory,
    ): DataverseClient {
        val builder = DataverseClient.builder()
        ClientConfigurer.configure(builder, properties)
        val details = connection.getIfAvailable()
        // Without the emulator its connection details are missing: fail rather than fall back to the environment URL.
        if (details == null && properties.emulator.enabled) throw EmulatorMissingException()
        if (details != null) {
            builder.environmentUrl(details.environmentUrl).token(details.token)
        } else {
            builder.environmentUrl(requireNotNull(properties.environmentUrl) { "'dataverse.environment-url' is required." })
            Credentials.apply(builder, properties.token, beans, ContextClasses.loader(beans))?.let { throw IllegalStateException(it) }
        }
        instrumentations.orderedStream().forEach { builder.addInstrumentation(it) }
        customizers.orderedStream().forEach { it.customize(builder) }
        return builder.build().also(shutdown::manage)
    }

    /** The blocking Java client over [dataverseClient]. */
    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    public fun dataverseBlockingClient(client: DataverseClient): DataverseBlockingClient = DataverseBlockingClient.wrap(client)

    /** The `CompletableFuture` Java client, sharing [dataverseBlockingClient]'s scope. */
    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    public fun dataverseAsyncClient(blocking: DataverseBlockingClient): DataverseAsyncClient = blocking.async()

    /** The embedded emulator and the connection to it. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(DataverseEmulator::class)
    @ConditionalOnBooleanProperty("dataverse.emulator.enabled")
    public class EmulatorConfiguration {
        /** Started with the context, stopped with it. */
        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean
        public fun dataverseEmulator(properties: DataverseProperties): DataverseEmulator =
            DataverseEmulator.start(EmulatorOptions(port = properties.emulator.port))

        /** Points the clients at [dataverseEmulator]. */
        @Bean
        @ConditionalOnMissingBean
        public fun dataverseEmulatorConnectionDetails(emulator: DataverseEmulator): DataverseConnectionDetails =
            object : DataverseConnectionDetails {
                override val environmentUrl: String get() = emulator.baseUrl
                override val token: String get() = ContextClasses.EMULATOR_TOKEN

                override fun toString(): String = "DataverseConnectionDetails(emulator at ${emulator.baseUrl})"
            }
    }

    /** Micrometer meters of the client. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry::class, DataverseMicrometer::class)
    @ConditionalOnBooleanProperty("dataverse.metrics.enabled", matchIfMissing = true)
    public class MicrometerConfiguration {
        /** Meters in the application's registry. */
        @Bean
        @ConditionalOnBean(MeterRegistry::class)
        @ConditionalOnMissingBean(name = ["dataverseMicrometerInstrumentation"])
        public fun dataverseMicrometerInstrumentation(registry: MeterRegistry): DataverseInstrumentation = DataverseMicrometer.create(registry)
    }

    /** OpenTelemetry spans, and metrics unless Micrometer records them. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(OpenTelemetry::class, DataverseOpenTelemetry::class)
    @ConditionalOnBooleanProperty("dataverse.tracing.enabled", matchIfMissing = true)
    public class OpenTelemetryConfiguration {
        /** Spans through the application's OpenTelemetry. */
        @Bean
        @ConditionalOnBean(OpenTelemetry::class)
        @ConditionalOnMissingBean(name = ["dataverseOpenTelemetryInstrumentation"])
        public fun dataverseOpenTelemetryInstrumentation(openTelemetry: OpenTelemetry, beans: ListableBeanFactory, properties: DataverseProperties): DataverseInstrumentation {
            val micrometer = properties.metrics.enabled && ContextClasses.hasBean(beans, ContextClasses.METER_REGISTRY)
            return if (micrometer) DataverseOpenTelemetry.tracing(openTelemetry) else DataverseOpenTelemetry.create(openTelemetry)
        }
    }

    /** The actuator health indicator. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator::class)
    @ConditionalOnEnabledHealthIndicator("dataverse")
    public class HealthConfiguration {
        /** WhoAmI, cached for `dataverse.health.cache-ttl`, bounded by `dataverse.health.timeout`. */
        @Bean
        @ConditionalOnMissingBean(name = ["dataverseHealthIndicator"])
        public fun dataverseHealthIndicator(
            client: DataverseClient,
            properties: DataverseProperties,
            connection: ObjectProvider<DataverseConnectionDetails>,
        ): HealthIndicator {
            // The tokens the health response must never show; the emulator's fixed token is no secret.
            val secrets = listOfNotNull(properties.token, connection.getIfAvailable()?.token?.takeIf { it != ContextClasses.EMULATOR_TOKEN })
            return DataverseHealthIndicator(client, properties.health.timeout, properties.health.cacheTtl, secrets = secrets)
        }
    }
}
