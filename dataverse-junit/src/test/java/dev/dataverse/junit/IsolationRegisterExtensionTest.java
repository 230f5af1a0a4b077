package dev.dataverse.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dataverse.DataverseRecord;
import dev.dataverse.RequestTooLargeException;
import dev.dataverse.emulator.DataverseEmulator;
import dev.dataverse.emulator.EmulatorOptions;
import dev.dataverse.emulator.FaultKind;
import dev.dataverse.emulator.FaultRule;
import dev.dataverse.java.DataverseBlockingClient;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestClassOrder;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The README's {@code @RegisterExtension} form with a builder: the options' fault rules are part of the baseline (a
 * test that clears them gets them back in the next), and {@code @Nested} classes start from their enclosing class's
 * baseline plus their own {@code @BeforeAll}, which is undone again for the classes after them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestClassOrder(ClassOrderer.OrderAnnotation.class)
class IsolationRegisterExtensionTest {
    /** From the options: deleting a contact is refused (413, which is not retried), in every test. */
    static final FaultRule OPTIONS_FAULT = FaultRule.builder(FaultKind.REQUEST_TOO_LARGE).pathPattern("contacts.*").methods("DELETE").build();

    @RegisterExtension
    static final DataverseEmulatorExtension dataverse = DataverseEmulatorExtension.builder()
            .options(EmulatorOptions.builder().faultSeed(1L).addFault(OPTIONS_FAULT).build())
            .build();

    static UUID contact;

    @BeforeAll
    static void seed(DataverseBlockingClient client) {
        client.records().create("account", Map.of("name", "Outer seed"));
        contact = client.records().create("contact", Map.of("lastname", "Undeletable"));
    }

    static List<String> accountNames(DataverseBlockingClient client) {
        return client.records().list("account").stream().map(record -> record.getString("name")).sorted().collect(Collectors.toList());
    }

    static void assertContactsCannotBeDeleted(DataverseBlockingClient client) {
        assertThrows(RequestTooLargeException.class, () -> client.records().delete("contact", contact));
    }

    @Test
    @Order(1)
    void firstTestRemovesTheOptionsFaultRuleAndDeletesTheContact(DataverseBlockingClient client, DataverseEmulator emulator) {
        assertEquals(List.of(OPTIONS_FAULT), emulator.faults().rules());
        emulator.faults().clear();
        client.records().delete("contact", contact);
        client.records().create("account", Map.of("name", "Outer test"));
        assertEquals(0, emulator.recordCount("contact"));
    }

    @Test
    @Order(2)
    void secondTestHasTheOptionsFaultRuleAndTheContactBack(DataverseBlockingClient client, DataverseEmulator emulator) {
        assertEquals(List.of(OPTIONS_FAULT), emulator.faults().rules());
        assertEquals(List.of("Outer seed"), accountNames(client));
        assertEquals("Undeletable", client.records().get("contact", contact).getString("lastname"));
    }

    @Nested
    @Order(1)
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    class FirstNestedClass {
        @BeforeAll
        void addToTheBaseline(DataverseBlockingClient client, DataverseEmulator emulator) {
            assertEquals(List.of("Outer seed"), accountNames(client), "starts from the enclosing class's baseline");
            client.records().create("account", Map.of("name", "Nested seed"));
            emulator.setConcurrencyLimit(7);
        }

        @Test
        @Order(1)
        void firstNestedTestSeesBothSeedsAndChangesThings(DataverseBlockingClient client, DataverseEmulator emulator) {
            assertEquals(List.of("Nested seed", "Outer seed"), accountNames(client));
            assertEquals(7, emulator.getConcurrencyLimit());
            client.records().create("account", Map.of("name", "Nested test"));
            emulator.faults().add(FaultRule.builder(FaultKind.THROTTLE_REQUESTS).retryAfterSeconds(30).build());
            emulator.setConcurrencyLimit(1);
        }

        @Test
        @Order(2)
        void secondNestedTestStartsFromTheNestedBaseline(DataverseBlockingClient client, DataverseEmulator emulator) {
            assertEquals(List.of("Nested seed", "Outer seed"), accountNames(client));
            assertEquals(List.of(OPTIONS_FAULT), emulator.faults().rules());
            assertEquals(7, emulator.getConcurrencyLimit());
            assertContactsCannotBeDeleted(client);
        }
    }

    @Nested
    @Order(2)
    class SecondNestedClass {
        @Test
        void startsFromTheEnclosingBaselineWithoutTheFirstNestedClassesSeed(DataverseBlockingClient client, DataverseEmulator emulator) {
            assertEquals(List.of("Outer seed"), accountNames(client));
            assertEquals(EmulatorOptions.DEFAULT_CONCURRENCY_LIMIT, emulator.getConcurrencyLimit());
            assertEquals(List.of(OPTIONS_FAULT), emulator.faults().rules());
            DataverseRecord seed = client.records().list("account").iterator().next();
            assertEquals("Outer seed", seed.getString("name"));
        }
    }
}
