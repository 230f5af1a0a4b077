package dev.dataverse.spring

import dev.dataverse.DataverseClient
import dev.dataverse.DataverseInstrumentation
import dev.dataverse.emulator.DataverseEmulator
import dev.dataverse.emulator.EmulatorOptions
import dev.dataverse.spring.internal.EmulatorSchemas
import dev.dataverse.jackson.DataverseJacksonModule
import dev.dataverse.jackson2.DataverseJackson2Module
import dev.dataverse.java.DataverseAsyncClient
import dev.dataverse.java.DataverseBlockingClient
import dev.dataverse.spring.internal.Boot3HealthRegistrar
import dev.dataverse.spring.internal.ClientConfigurer
import dev.dataverse.spring.internal.ContextClasses
import dev.dataverse.spring.internal.Credentials
import dev.dataverse.spring.internal.DataverseHealthIndicator
import dev.dataverse.spring.internal.DataverseSanitizingFunction
import dev.dataverse.spring.internal.EmulatorMissingException
import dev.dataverse.spring.internal.HealthChecks
import dev.dataverse.spring.internal.HealthEnabledCondition
import dev.dataverse.spring.internal.LibraryVersions
import dev.dataverse.spring.internal.MissingEmulatorConfiguration
import dev.dataverse.spring.internal.Secrets
import dev.dataverse.telemetry.DataverseMicrometer
import dev.dataverse.telemetry.DataverseObservation
import dev.dataverse.telemetry.DataverseOpenTelemetry
import io.micrometer.core.instrument.MeterRegistry
import io.micrometer.observation.ObservationRegistry
import io.opentelemetry.api.OpenTelemetry
import org.springframework.beans.factory.ListableBeanFactory
import org.springframework.beans.factory.ObjectProvider
import org.springframework.beans.factory.config.BeanFactoryPostProcessor
import org.springframework.boot.actuate.endpoint.SanitizingFunction
import org.springframework.boot.autoconfigure.AutoConfiguration
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean
import org.springframework.boot.context.properties.EnableConfigurationProperties
import org.springframework.boot.health.contributor.HealthIndicator
import org.springframework.context.annotation.Bean
import org.springframework.context.annotation.Conditional
import org.springframework.context.annotation.Configuration
import org.springframework.context.annotation.Import
import org.springframework.core.Ordered
import org.springframework.core.annotation.Order

/**
 * Auto-configuration of the Dataverse clients from the `dataverse.*` properties ([DataverseProperties]), for Spring Boot
 * 4.0 and Spring Boot 3.5.
 *
 * ## Beans
 * - `DataverseClient` (Kotlin), `DataverseBlockingClient` and `DataverseAsyncClient` (Java): three views of one client,
 *   sharing its connections, token cache and concurrency limit. Each is skipped when the application defines its own.
 * - Credentials: the application's `TokenCredential` bean; else the `dataverse.credential.*` properties (a client secret,
 *   a certificate, a managed identity: azure-identity); else `dataverse.token` (development); else
 *   `DefaultAzureCredential` when azure-identity is on the classpath. Without any of them startup fails and says so.
 * - On shutdown, calls in flight get `dataverse.shutdown-timeout` to finish before the client is closed.
 * - A `dataverse` health indicator (WhoAmI, cached) when Spring Boot's health module is present (Boot 4's or Boot 3's);
 *   switch it off with `management.health.dataverse.enabled=false`.
 * - Observations when an `ObservationRegistry` bean exists (Boot's actuator defines one): one per call and one per HTTP
 *   attempt, which Boot's metrics and tracing bridges turn into timers and spans; `dataverse.observations.enabled`.
 * - Micrometer counters and gauges when a `MeterRegistry` bean exists (and timers too when no observations time the
 *   calls); OpenTelemetry spans from an `OpenTelemetry` bean when no Micrometer Tracing bridge makes them from the
 *   observations (and OpenTelemetry metrics when there is no registry); `dataverse.metrics.enabled`,
 *   `dataverse.tracing.enabled`.
 * - A `SanitizingFunction` that masks the token and every secret property in `/actuator/env` and
 *   `/actuator/configprops`, whatever their `show-values`.
 * - Jackson modules for records, pages, bulk results and references: Jackson 3's for Boot 4, Jackson 2's for Boot 3.
 * - With `dataverse.emulator.enabled=true`, an embedded emulator the clients use; without the emulator on the classpath
 *   (`dev.dataverse:dataverse-emulator`) that property fails startup rather than leave the clients pointed at the
 *   environment URL.
 * - Before any bean: a check that Kotlin, kotlinx-coroutines and kotlinx-serialization are as new as the client needs;
 *   Spring Boot 3.5's own versions are older, and startup then fails naming the versions to set.
 */
@AutoConfiguration(
    afterName = [
        // Spring Boot 4
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
        "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
        "org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration",
        "org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration",
        // Spring Boot 3.5
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.observation.ObservationAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.tracing.MicrometerTracingAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.opentelemetry.OpenTelemetryAutoConfiguration",
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
            Credentials.apply(builder, properties, beans, ContextClasses.loader(beans))?.let { throw IllegalStateException(it) }
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
            DataverseEmulator.start(EmulatorOptions(port = properties.emulator.port, schema = EmulatorSchemas.path(properties.emulator.schema)))

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

    /** Observations of the client in the application's `ObservationRegistry`. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(ObservationRegistry::class, DataverseObservation::class)
    @ConditionalOnBooleanProperty("dataverse.observations.enabled", matchIfMissing = true)
    public class ObservationConfiguration {
        /** One observation per call, one per HTTP attempt under it. */
        @Bean
        @ConditionalOnBean(ObservationRegistry::class)
        @ConditionalOnMissingBean(name = ["dataverseObservationInstrumentation"])
        public fun dataverseObservationInstrumentation(registry: ObservationRegistry): DataverseInstrumentation = DataverseObservation.create(registry)
    }

    /** Micrometer meters of the client. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry::class, DataverseMicrometer::class)
    @ConditionalOnBooleanProperty("dataverse.metrics.enabled", matchIfMissing = true)
    public class MicrometerConfiguration {
        /**
         * Meters in the application's registry: counters and gauges, and the two timers unless the client's observations
         * make them — when Boot's meter handler (a `MeterObservationHandler` bean) turns each observation into a timer of
         * the same name.
         */
        @Bean
        @ConditionalOnBean(MeterRegistry::class)
        @ConditionalOnMissingBean(name = ["dataverseMicrometerInstrumentation"])
        public fun dataverseMicrometerInstrumentation(registry: MeterRegistry, beans: ListableBeanFactory): DataverseInstrumentation =
            if (observationsTimeCalls(beans)) DataverseMicrometer.counters(registry) else DataverseMicrometer.create(registry)
    }

    /** OpenTelemetry spans, and metrics unless Micrometer records them. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(OpenTelemetry::class, DataverseOpenTelemetry::class)
    @ConditionalOnBooleanProperty("dataverse.tracing.enabled", matchIfMissing = true)
    public class OpenTelemetryConfiguration {
        /**
         * Adds the client's OpenTelemetry instrumentation: spans, unless Micrometer Tracing makes them from the client's
         * observations (each call would have two spans otherwise), and OpenTelemetry metrics when no `MeterRegistry` takes
         * the measurements. With both covered (Boot's actuator and its OpenTelemetry bridge) it adds nothing.
         */
        @Bean
        @ConditionalOnBean(OpenTelemetry::class)
        @ConditionalOnMissingBean(name = ["dataverseOpenTelemetryCustomizer"])
        public fun dataverseOpenTelemetryCustomizer(
            openTelemetry: OpenTelemetry,
            beans: ListableBeanFactory,
            properties: DataverseProperties,
        ): DataverseClientBuilderCustomizer = DataverseClientBuilderCustomizer { builder ->
            val micrometer = properties.metrics.enabled && ContextClasses.hasBean(beans, ContextClasses.METER_REGISTRY)
            val observedSpans = beans.containsBean(OBSERVATIONS) && ContextClasses.hasTracingBridge(beans)
            // Without Micrometer, OpenTelemetry takes the measurements (observations only time calls in a MeterRegistry).
            when {
                observedSpans && micrometer -> {}
                observedSpans -> builder.addInstrumentation(DataverseOpenTelemetry.metrics(openTelemetry))
                micrometer -> builder.addInstrumentation(DataverseOpenTelemetry.tracing(openTelemetry))
                else -> builder.addInstrumentation(DataverseOpenTelemetry.create(openTelemetry))
            }
        }
    }

    /** The Spring Boot 4 health indicator. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator::class)
    @Conditional(HealthEnabledCondition::class)
    public class HealthConfiguration {
        /** WhoAmI, cached for `dataverse.health.cache-ttl`, bounded by `dataverse.health.timeout`. */
        @Bean
        @ConditionalOnMissingBean(name = ["dataverseHealthIndicator"])
        public fun dataverseHealthIndicator(beans: ListableBeanFactory): HealthIndicator = DataverseHealthIndicator(HealthChecks.create(beans))
    }

    /** The Spring Boot 3.5 health indicator (`org.springframework.boot.actuate.health`), the same check. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = ["org.springframework.boot.actuate.health.HealthIndicator"])
    @Conditional(HealthEnabledCondition::class)
    @Import(Boot3HealthRegistrar::class)
    public class Boot3HealthConfiguration

    /** Masks the starter's secrets in the actuator's `env` and `configprops` endpoints. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(SanitizingFunction::class)
    public class SanitizingConfiguration {
        /**
         * The token, the client secret and the certificate password, under any spelling of their names and wherever
         * their values appear; first of the application's functions, so that none shows part of them.
         */
        @Bean
        @Order(Ordered.HIGHEST_PRECEDENCE)
        @ConditionalOnMissingBean(name = ["dataverseSanitizingFunction"])
        public fun dataverseSanitizingFunction(properties: DataverseProperties, connection: ObjectProvider<DataverseConnectionDetails>): SanitizingFunction =
            DataverseSanitizingFunction {
                Secrets.values(properties) + listOfNotNull(connection.getIfAvailable()?.token?.takeIf { it != ContextClasses.EMULATOR_TOKEN })
            }
    }

    /** JSON for records, pages, bulk results and references in Spring Boot 4's Jackson 3 mapper. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = ["tools.jackson.databind.JacksonModule", "dev.dataverse.jackson.DataverseJacksonModule"])
    public class JacksonConfiguration {
        /** Registered by Boot in its `JsonMapper`. */
        @Bean
        @ConditionalOnMissingBean
        public fun dataverseJacksonModule(): DataverseJacksonModule = DataverseJacksonModule()
    }

    /** The same JSON in a Jackson 2 `ObjectMapper` (Spring Boot 3.5's, or Boot 4's Jackson 2 support). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = ["com.fasterxml.jackson.databind.Module", "dev.dataverse.jackson2.DataverseJackson2Module"])
    public class Jackson2Configuration {
        /** Registered by Boot in its `ObjectMapper`. */
        @Bean
        @ConditionalOnMissingBean
        public fun dataverseJackson2Module(): DataverseJackson2Module = DataverseJackson2Module()
    }

    public companion object {
        private const val OBSERVATIONS = "dataverseObservationInstrumentation"

        private fun observationsTimeCalls(beans: ListableBeanFactory): Boolean =
            beans.containsBean(OBSERVATIONS) && ContextClasses.hasBean(beans, ContextClasses.METER_OBSERVATION_HANDLER)

        /**
         * Fails startup before any bean is created when Kotlin, kotlinx-coroutines or kotlinx-serialization is older than
         * the client needs (as Spring Boot 3.5 manages them), naming the versions to set.
         */
        @Bean
        @JvmStatic
        public fun dataverseLibraryVersionsCheck(): BeanFactoryPostProcessor = LibraryVersions.check()
    }
}
