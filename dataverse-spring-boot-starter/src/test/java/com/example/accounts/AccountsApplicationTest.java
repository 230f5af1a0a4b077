package com.example.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataverse.DataverseRecord;
import dev.dataverse.emulator.DataverseEmulator;
import dev.dataverse.java.DataverseAsyncClient;
import dev.dataverse.java.DataverseBlockingClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;

/**
 * An application's test as users write it: the whole context starts with {@code dataverse.emulator.enabled=true}, and
 * the application's own service talks to the embedded emulator through the injected Java client. No tenant needed.
 * It lives in a package of its own, as an application does: scanning the starter's package would pick up its nested
 * configurations as the application's own.
 */
@SpringBootTest(properties = {"dataverse.emulator.enabled=true", "spring.main.banner-mode=off"})
class AccountsApplicationTest {
    @SpringBootApplication
    static class App {
        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }

        @Bean
        Accounts accounts(DataverseBlockingClient client) {
            return new Accounts(client);
        }
    }

    /** The application's code under test. */
    static class Accounts {
        private final DataverseBlockingClient client;

        Accounts(DataverseBlockingClient client) {
            this.client = client;
        }

        UUID open(String name) {
            return client.records().create("account", Map.of("name", name));
        }
    }

    @Autowired Accounts accounts;
    @Autowired DataverseAsyncClient async;
    @Autowired DataverseEmulator emulator;
    @Autowired MeterRegistry registry;
    @Autowired @Qualifier("dataverseHealthIndicator") HealthIndicator health;

    @Test
    void theApplicationRunsAgainstTheEmbeddedEmulator() {
        UUID id = accounts.open("Contoso");
        DataverseRecord record = async.records().get("account", id).join();
        assertEquals("Contoso", record.getString("name"));
        assertEquals(1, emulator.recordCount("account"));
        assertEquals(Status.UP, health.health().getStatus());
        assertTrue(registry.get("dataverse.client.operations").tag("dataverse.operation", "records.create").timer().count() >= 1);
    }
}
