package dev.dataverse.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataverse.DataverseClient;
import dev.dataverse.emulator.DataverseEmulator;
import dev.dataverse.emulator.EmulatorSnapshot;
import dev.dataverse.emulator.FaultKind;
import dev.dataverse.emulator.FaultRule;
import dev.dataverse.java.DataverseBlockingClient;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The emulator's snapshots as Java code uses them: try-with-resources, restore, and the refusals. */
class EmulatorSnapshotJavaTest {

    private static DataverseBlockingClient clientOf(DataverseEmulator emulator) {
        return DataverseBlockingClient.wrap(DataverseClient.builder().environmentUrl(emulator.getBaseUrl()).token("t").build());
    }

    @Test
    void aSnapshotRestoresRecordsFaultsAndTheLimitAsOftenAsNeeded() {
        try (DataverseEmulator emulator = DataverseEmulator.start(); DataverseBlockingClient client = clientOf(emulator)) {
            UUID seed = client.records().create("account", Map.of("name", "Seed"));
            try (EmulatorSnapshot baseline = emulator.snapshot()) {
                assertEquals(2, baseline.getRecordCount(), "the seed and the emulator's own user");
                for (int round = 0; round < 2; round++) {
                    client.records().delete("account", seed);
                    client.records().create("account", Map.of("name", "Round " + round));
                    emulator.faults().add(FaultRule.builder(FaultKind.GATEWAY_TIMEOUT).build());
                    emulator.setConcurrencyLimit(3);

                    emulator.restore(baseline);

                    assertEquals("Seed", client.records().get("account", seed).getString("name"));
                    assertEquals(1, emulator.recordCount("account"));
                    assertEquals(List.of(), emulator.faults().rules());
                    assertEquals(52, emulator.getConcurrencyLimit());
                }
                assertFalse(baseline.isClosed());
                baseline.close();
                assertTrue(baseline.isClosed());
                IllegalStateException closed = assertThrows(IllegalStateException.class, () -> emulator.restore(baseline));
                assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
            }
        }
    }

    @Test
    void aSnapshotOfAnotherEmulatorIsRefused() {
        try (DataverseEmulator one = DataverseEmulator.start(); DataverseEmulator other = DataverseEmulator.start();
                EmulatorSnapshot snapshot = other.snapshot()) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> one.restore(snapshot));
            assertTrue(refused.getMessage().contains("another emulator"), refused.getMessage());
        }
    }
}
