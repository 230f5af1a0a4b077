package dev.dataverse.samples.spring;

import dev.dataverse.BulkResult;
import dev.dataverse.jackson.DataverseJacksonModule;
import dev.dataverse.java.DataverseBlockingClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** What the sample does once the context is up: a bulk import, a query, the health and the meters it produced. */
@Component
class Walkthrough implements CommandLineRunner {
    private final AccountDirectory directory;
    private final DataverseBlockingClient dataverse;
    private final HealthIndicator health;
    private final MeterRegistry registry;
    private final JsonMapper json;

    Walkthrough(AccountDirectory directory, DataverseBlockingClient dataverse,
                @Qualifier("dataverseHealthIndicator") HealthIndicator health, MeterRegistry registry, DataverseJacksonModule jackson) {
        this.directory = directory;
        this.dataverse = dataverse;
        this.health = health;
        this.registry = registry;
        // The module the starter defines for Boot's JsonMapper; this sample has no web layer, so it builds its own mapper.
        this.json = JsonMapper.builder().addModule(jackson).build();
    }

    @Override
    public void run(String... args) {
        System.out.println("Connected to " + dataverse.environmentUrl() + " as user " + dataverse.whoAmI().getUserId());

        BulkResult imported = directory.importAccounts(500);
        System.out.println("Imported " + imported.getSucceeded() + " accounts");
        System.out.println("Accounts with 400 or more employees: " + directory.countLargerThan(400));
        System.out.println("One as a controller would return it: "
            + json.writeValueAsString(dataverse.records().get("account", imported.getSucceededIds().get(0))));
        System.out.println("The import's report: " + json.writeValueAsString(imported));

        Health status = health.health();
        System.out.println("Health: " + status.getStatus() + " " + status.getDetails());

        System.out.println("Meters:");
        for (Timer timer : registry.find("dataverse.client.operations").timers()) {
            System.out.printf("  %-22s %-8s %3d calls, %6.1f ms total%n", timer.getId().getTag("dataverse.operation"),
                timer.getId().getTag("outcome"), timer.count(), timer.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS));
        }
        double requests = registry.find("dataverse.client.requests").timers().stream().mapToLong(Timer::count).sum();
        System.out.printf("  %.0f HTTP requests in all%n", requests);
    }
}
