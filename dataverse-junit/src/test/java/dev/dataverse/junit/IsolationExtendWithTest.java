package dev.dataverse.junit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dataverse.ColumnSpec;
import dev.dataverse.TableSpec;
import dev.dataverse.emulator.DataverseEmulator;
import dev.dataverse.emulator.EmulatorOptions;
import dev.dataverse.emulator.FaultKind;
import dev.dataverse.emulator.FaultRule;
import dev.dataverse.java.DataverseBlockingClient;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The README's {@code @ExtendWith} form isolates tests by default: the first test changes everything it can — records,
 * files, a table, fault rules (a throttling rule that would fail every later call), the concurrency limit — and the
 * tests after it still start from the state {@code @BeforeAll} built, with zero request counters.
 */
@ExtendWith(DataverseEmulatorExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IsolationExtendWithTest {
    static final byte[] CONTRACT = "the signed contract".getBytes();
    static final FaultRule BASELINE_FAULT =
            FaultRule.builder(FaultKind.SERVICE_UNAVAILABLE).pathPattern("contacts.*").methods("DELETE").build();

    static UUID seed;
    static String seedEtag;

    @BeforeAll
    static void buildTheBaseline(DataverseBlockingClient client, DataverseEmulator emulator) {
        client.tables().create(TableSpec.builder("new_Widget", "Widget").column(ColumnSpec.file("new_Manual", "Manual", 64)).build());
        seed = client.records().create("account", Map.of("name", "Seed"));
        seedEtag = client.records().get("account", seed).getEtag();
        UUID widget = client.records().create("new_widget", Map.of("new_name", "Sprocket"));
        client.files().upload("new_widget", widget, "new_manual", new ByteArrayInputStream(CONTRACT), "manual.txt");
        emulator.faults().add(BASELINE_FAULT);
    }

    /** What every test starts from, whichever ran before it. */
    static void assertBaseline(DataverseBlockingClient client, DataverseEmulator emulator) {
        assertEquals(0, emulator.getStats().getRequests(), "the counters start at zero");
        assertEquals(List.of(BASELINE_FAULT), emulator.faults().rules(), "the fault rules of @BeforeAll, and only those");
        assertEquals(EmulatorOptions.DEFAULT_CONCURRENCY_LIMIT, emulator.getConcurrencyLimit());
        assertEquals(1, emulator.recordCount("account"));
        assertEquals(seedEtag, client.records().get("account", seed).getEtag(), "the seed record, at its version");
        assertEquals(1, emulator.recordCount("new_widget"));
        assertEquals(1, emulator.getStoredFileCount());
        assertThrows(IllegalArgumentException.class, () -> emulator.recordCount("new_gadget"), "no table created by a test");
        UUID widget = client.records().list("new_widget").iterator().next().getUuid("new_widgetid");
        ByteArrayOutputStream manual = new ByteArrayOutputStream();
        client.files().download("new_widget", widget, "new_manual", manual);
        assertArrayEquals(CONTRACT, manual.toByteArray());
    }

    /** Changes every kind of state; the extension must undo all of it before the next test. */
    static void changeEverything(DataverseBlockingClient client, DataverseEmulator emulator) {
        client.records().create("account", Map.of("name", "Left behind"));
        client.records().delete("account", seed);
        UUID widget = client.records().list("new_widget").iterator().next().getUuid("new_widgetid");
        client.files().delete("new_widget", widget, "new_manual");
        client.tables().create(TableSpec.builder("new_Gadget", "Gadget").build());
        emulator.faults().clear();
        emulator.faults().add(FaultRule.builder(FaultKind.THROTTLE_REQUESTS).retryAfterSeconds(30).build());
        emulator.setConcurrencyLimit(1);
        assertEquals(0, emulator.getStoredFileCount());
    }

    @BeforeEach
    void beforeEachRunsAfterTheRestore(DataverseBlockingClient client, DataverseEmulator emulator) {
        assertEquals(0, emulator.getStats().getRequests());
        assertEquals(1, emulator.recordCount("account"));
    }

    @Test
    @Order(1)
    void firstTestStartsFromTheBaselineAndChangesEverything(DataverseBlockingClient client, DataverseEmulator emulator) {
        assertBaseline(client, emulator);
        changeEverything(client, emulator);
    }

    @Test
    @Order(2)
    void secondTestStartsFromTheBaselineAgain(DataverseBlockingClient client, DataverseEmulator emulator) {
        assertBaseline(client, emulator);
        // The throttling rule the first test added is gone: this call would otherwise be refused with 429s.
        client.whoAmI();
        changeEverything(client, emulator);
    }

    @RepeatedTest(2)
    @Order(3)
    void everyRepetitionStartsFromTheBaseline(DataverseBlockingClient client, DataverseEmulator emulator) {
        assertBaseline(client, emulator);
        changeEverything(client, emulator);
    }
}
