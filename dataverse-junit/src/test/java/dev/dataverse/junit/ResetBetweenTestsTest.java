package dev.dataverse.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dataverse.emulator.DataverseEmulator;
import dev.dataverse.java.DataverseBlockingClient;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code resetBetweenTests(true)}: every test starts with an empty emulator and zeroed request counters. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ResetBetweenTestsTest {
    @RegisterExtension
    static final DataverseEmulatorExtension dataverse = DataverseEmulatorExtension.builder().resetBetweenTests(true).build();

    @Test
    @Order(1)
    void firstTestLeavesRecordsBehind(DataverseBlockingClient client, DataverseEmulator emulator) {
        client.records().create("account", Map.of("name", "Left behind"));
        client.records().create("contact", Map.of("lastname", "Left behind"));

        assertEquals(1, emulator.recordCount("account"));
    }

    @Test
    @Order(2)
    void secondTestStartsEmpty(DataverseEmulator emulator) {
        assertEquals(0, emulator.recordCount("account"));
        assertEquals(0, emulator.recordCount("contact"));
        assertEquals(0, emulator.getStats().getRequests());
    }
}
