package dev.dataverse.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dataverse.emulator.DataverseEmulator;
import dev.dataverse.java.DataverseBlockingClient;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test's constructor runs after the restore (per-method test instances), so what it writes belongs to its test: kept
 * during that test, gone in the next. The same holds for the constructors of a nested test's enclosing instances.
 */
@ExtendWith(DataverseEmulatorExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IsolationConstructorTest {
    IsolationConstructorTest(DataverseBlockingClient client) {
        client.records().create("account", Map.of("name", "From the constructor"));
    }

    @BeforeAll
    static void seed(DataverseBlockingClient client) {
        client.records().create("account", Map.of("name", "Seed"));
    }

    static List<String> names(DataverseBlockingClient client) {
        return client.records().list("account").stream().map(record -> record.getString("name")).sorted().collect(Collectors.toList());
    }

    @Test
    @Order(1)
    void theConstructorsRecordIsThere(DataverseBlockingClient client) {
        assertEquals(List.of("From the constructor", "Seed"), names(client));
        client.records().create("account", Map.of("name", "From the first test"));
    }

    @Test
    @Order(2)
    void andOnlyThisTestsConstructorsRecord(DataverseBlockingClient client, DataverseEmulator emulator) {
        assertEquals(List.of("From the constructor", "Seed"), names(client));
        assertEquals(2, emulator.recordCount("account"));
    }

    @Nested
    class Inner {
        Inner(DataverseBlockingClient client) {
            client.records().create("account", Map.of("name", "From the inner constructor"));
        }

        @Test
        void bothConstructorsRanAfterTheRestore(DataverseBlockingClient client) {
            assertEquals(List.of("From the constructor", "From the inner constructor", "Seed"), names(client));
        }
    }
}
