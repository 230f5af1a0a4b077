package dev.dataverse.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataverse.emulator.DataverseEmulator;
import dev.dataverse.emulator.EmulatorOptions;
import dev.dataverse.java.DataverseBlockingClient;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An emulator serving https: the clients the extension hands out trust its certificate. */
class TlsExtensionTest {
    @RegisterExtension
    static DataverseEmulatorExtension dataverse = DataverseEmulatorExtension.builder()
            .options(EmulatorOptions.builder().tls(true).build())
            .build();

    @Test
    void theClientWorksOverHttpsOnOneConnection(DataverseBlockingClient client, DataverseEmulator emulator) {
        assertTrue(emulator.getBaseUrl().startsWith("https://"));
        UUID id = client.records().create("account", Map.of("name", "over TLS"));
        assertEquals("over TLS", client.records().get("account", id).getString("name"));
        assertEquals(1, emulator.recordCount("account"));
        assertEquals(1, emulator.getStats().getConnectionsAccepted());
        assertEquals(1, emulator.getStats().getTlsHandshakes());
    }
}
