package dev.dataverse.samples.spring;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A Spring Boot application using the Dataverse starter: the clients come from {@code application.properties}, the
 * health indicator and the meters switch on because the health module and a {@code MeterRegistry} are present.
 *
 * <p>By default it runs against an embedded emulator ({@code dataverse.emulator.enabled}). With {@code DATAVERSE_URL}
 * set it talks to that environment instead, signing in with {@code DefaultAzureCredential}, or with the bearer token in
 * {@code DATAVERSE_TOKEN} when that is set.
 */
@SpringBootApplication
public class AccountsApplication {
    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(AccountsApplication.class);
        application.setDefaultProperties(Map.of("dataverse.emulator.enabled", System.getenv("DATAVERSE_URL") == null));
        // The runner does its work and returns; exiting closes the context, which closes the client gracefully.
        System.exit(SpringApplication.exit(application.run(args)));
    }

    /** A registry of its own, as the sample has no metrics exporter; a real application gets one from Spring Boot. */
    @Bean
    MeterRegistry meterRegistry() {
        return new SimpleMeterRegistry();
    }
}
