package com.example.accounts;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Run only with -Pboot-managed-versions: the application on Spring Boot 3.5's own Kotlin 1.9.25, kotlinx-coroutines
 * 1.8.1 and kotlinx-serialization 1.6.3. Startup fails before any Dataverse bean exists, and Boot's report names the
 * Boot version, each library found and the properties to set.
 */
@ExtendWith(OutputCaptureExtension.class)
class BootManagedVersionsTest {
    @Test
    void startupFailsNamingTheVersionsToSet(CapturedOutput output) {
        assertThrows(Exception.class, () -> new SpringApplicationBuilder(AccountsApplication.class)
            .properties("server.port=0", "dataverse.environment-url=https://contoso.crm.dynamics.com", "dataverse.token=t")
            .run());
        String printed = output.getAll();
        assertTrue(printed.contains("APPLICATION FAILED TO START"), printed);
        assertTrue(printed.contains("Spring Boot 3.5."), printed);
        assertTrue(printed.contains("Kotlin (kotlin-stdlib): 1.9.25 found, 2.2.21 or newer needed"), printed);
        assertTrue(printed.contains("kotlinx-coroutines: 1.8.1 found, 1.10.2 or newer needed"), printed);
        assertTrue(printed.contains("kotlinx-serialization: 1.6.3 found, 1.9.0 or newer needed"), printed);
        assertTrue(printed.contains("<kotlin.version>2.2.21</kotlin.version>"), printed);
        assertTrue(printed.contains("<kotlin-coroutines.version>1.10.2</kotlin-coroutines.version>"), printed);
        assertTrue(printed.contains("<kotlin-serialization.version>1.9.0</kotlin-serialization.version>"), printed);
        // Nothing of the client ran: no class of a newer Kotlin was missing first.
        assertFalse(printed.contains("NoClassDefFoundError"), printed);
    }
}
