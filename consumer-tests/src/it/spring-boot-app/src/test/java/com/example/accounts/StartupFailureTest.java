package com.example.accounts;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** The application started as `java -jar` starts it, with a bad configuration: what Spring Boot prints. */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureTest {
    @Test
    void anInvalidTokenFailsStartupNamingThePropertyWithoutPrintingTheToken(CapturedOutput output) {
        assertThrows(Exception.class, () -> new SpringApplicationBuilder(AccountsApplication.class)
            .properties("server.port=0", "dataverse.environment-url=https://contoso.crm.dynamics.com",
                "dataverse.token=eyJhbGciOi.startup-TOKEN-value with-a-space")
            .run());
        String printed = output.getAll();
        assertTrue(printed.contains("APPLICATION FAILED TO START"), printed);
        assertTrue(printed.contains("dataverse.token"), printed);
        assertTrue(printed.contains("'token' cannot contain control characters or whitespace"), printed);
        assertFalse(printed.contains("TOKEN-value"), printed);
    }

    @Test
    void credentialPropertiesWithoutTheirTenantFailStartupNamingWhatIsMissingWithoutTheSecret(CapturedOutput output) {
        assertThrows(Exception.class, () -> new SpringApplicationBuilder(AccountsApplication.class)
            .properties("server.port=0", "dataverse.environment-url=https://contoso.crm.dynamics.com",
                "dataverse.credential.client-id=0e6d3b2a-6f1c-4a7d-9b8e-1c2d3e4f5a6b",
                "dataverse.credential.client-secret=Q~startup-SECRET-value")
            .run());
        String printed = output.getAll();
        assertTrue(printed.contains("dataverse.credential.tenantId"), printed);
        assertTrue(printed.contains("is required with a client secret"), printed);
        assertFalse(printed.contains("SECRET-value"), printed);
    }
}
