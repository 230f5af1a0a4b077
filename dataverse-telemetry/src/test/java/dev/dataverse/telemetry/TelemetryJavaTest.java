package dev.dataverse.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dataverse.emulator.DataverseEmulator;
import dev.dataverse.emulator.EmulatorOptions;
import dev.dataverse.java.DataverseBlockingClient;
import dev.dataverse.java.DataverseClientBuilder;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The telemetry entry points as Java code uses them, on the Java builder. */
class TelemetryJavaTest {
    @Test
    void javaBuilderTakesOpenTelemetryAndMicrometerTogether() {
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        // The SDK is closed last: closing it empties the in-memory exporter.
        try (DataverseEmulator emulator = DataverseEmulator.start(new EmulatorOptions());
             OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
                 .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
                 .build()) {
            try (DataverseBlockingClient client = new DataverseClientBuilder()
                     .environmentUrl(emulator.getBaseUrl())
                     .token("java-token")
                     .addInstrumentation(DataverseOpenTelemetry.tracing(sdk))
                     .addInstrumentation(DataverseMicrometer.create(registry))
                     .buildClient()) {
                client.records().create("account", Map.of("name", "From Java"));
                client.async().whoAmI().join();
            }
            assertEquals(1, spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals("records.create")).count());
            assertEquals(1, spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals("whoAmI")).count());
            assertEquals(1, registry.get("dataverse.client.operations").tag("dataverse.operation", "whoAmI").timer().count());
        }
    }

    @Test
    void javaBuilderTakesAnObservationRegistryWithMicrometerCountersBeside() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ObservationRegistry observations = ObservationRegistry.create();
        observations.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
        try (DataverseEmulator emulator = DataverseEmulator.start(new EmulatorOptions());
             DataverseBlockingClient client = new DataverseClientBuilder()
                 .environmentUrl(emulator.getBaseUrl())
                 .token("java-token")
                 .addInstrumentation(DataverseObservation.create(observations))
                 .addInstrumentation(DataverseMicrometer.counters(meters))
                 .buildClient()) {
            client.whoAmI();
        }
        // One timer per name, the observations' (tagged with the meter handler's "error"), and the counters beside it.
        assertEquals(1, meters.get("dataverse.client.operations").tag("dataverse.operation", "whoAmI").tag("error", "none").timer().count());
        assertEquals(1, meters.find("dataverse.client.operations").timers().size());
        assertEquals(1.0, meters.get("dataverse.client.token.acquisitions").counter().count());
    }
}
