package dev.dataverse.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataverse.DataverseClient;
import dev.dataverse.NotFoundException;
import dev.dataverse.emulator.DataverseEmulator;
import dev.dataverse.java.DataverseAsyncClient;
import dev.dataverse.java.DataverseBlockingClient;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/** The extension registered with {@code @ExtendWith}: default options, every test starting from the class's baseline. */
@ExtendWith(DataverseEmulatorExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DataverseEmulatorExtensionTest {
    private static DataverseEmulator firstEmulator;
    private static DataverseBlockingClient firstClient;
    private static UUID firstAccount;

    private final DataverseEmulator constructorEmulator;
    private final DataverseBlockingClient constructorClient;
    private DataverseBlockingClient beforeEachClient;

    DataverseEmulatorExtensionTest(DataverseEmulator emulator, DataverseBlockingClient client) {
        this.constructorEmulator = emulator;
        this.constructorClient = client;
    }

    @BeforeEach
    void rememberClient(DataverseBlockingClient client) {
        beforeEachClient = client;
    }

    @Test
    @Order(1)
    void injectsAnEmulatorAndClientsConnectedToIt(DataverseEmulator emulator, DataverseBlockingClient client,
            DataverseAsyncClient async, DataverseClient core) throws Exception {
        assertEquals(emulator.getBaseUrl(), client.environmentUrl());
        assertSame(constructorEmulator, emulator);
        assertSame(core, client.core());
        assertSame(core, async.core());
        assertSame(beforeEachClient, client, "a test's lifecycle methods share its client");
        assertSame(constructorClient, client, "and so does the constructor of its test instance");

        firstAccount = client.records().create("account", Map.of("name", "Created"));
        assertEquals("Created", async.records().get("account", firstAccount).get(30, TimeUnit.SECONDS).getString("name"));
        assertEquals(1, emulator.recordCount("account"));
        firstEmulator = emulator;
        firstClient = client;
    }

    @Test
    @Order(2)
    void keepsOneEmulatorForTheClassButUndoesTheFirstTestsRecordsAndGivesEachTestANewClient(DataverseEmulator emulator,
            DataverseBlockingClient client) {
        assertSame(firstEmulator, emulator);
        assertEquals(0, emulator.recordCount("account"), "isolated by default: the first test's record is gone");
        assertThrows(NotFoundException.class, () -> client.records().get("account", firstAccount));
        assertNotSame(firstClient, client);
        assertTrue(firstClient.isClosed(), "the previous test's client was closed after it");
        assertFalse(client.isClosed());
    }

    @Test
    @Order(3)
    void aTestMayCloseItsClient(DataverseBlockingClient client) {
        client.close();

        assertTrue(client.isClosed());
    }

    /** JUnit runs nested classes after the enclosing class's own tests. */
    @Nested
    class NestedClasses {
        @Test
        void shareTheEnclosingClassesEmulator(DataverseEmulator emulator, DataverseBlockingClient client) {
            assertSame(firstEmulator, emulator);
            assertSame(constructorEmulator, emulator);
            assertEquals(emulator.getBaseUrl(), client.environmentUrl());
            client.whoAmI();
        }
    }
}
