package dev.dataverse.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

// The wildcard import is the point of one test here: it must compile next to java.lang's implicit import of Record.
import dev.dataverse.*;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What a Java caller meets first: names, overloads, null and type rules, and the exceptions it catches. */
class JavaSurfaceTest extends EmulatorTestSupport {

    @Test
    void wildcardImportOfTheLibraryCompilesBesideJavaLangRecord() {
        // With a type named Record in dev.dataverse, this file would not compile ("reference to Record is ambiguous").
        DataverseRecord record = records.get("account", records.create("account", Map.of("name", "Contoso")));
        Record javaRecord = new Point(1, 2);
        assertEquals("Contoso", record.getString("name"));
        assertEquals("Point[x=1, y=2]", javaRecord.toString());
    }

    private record Point(int x, int y) {}

    @Test
    void nullColumnsReadAsNullOrAsTheGivenDefaultNeverAsAnUnboxingFailure() {
        DataverseRecord account = records.get("account",
                records.create("account", values("name", "Contoso", "numberofemployees", null)));

        assertNull(account.getInt("numberofemployees"));
        assertEquals(0, account.getInt("numberofemployees", 0));
        assertEquals(-1L, account.getLong("numberofemployees", -1L));
        assertEquals(1.5, account.getDouble("numberofemployees", 1.5));
        assertTrue(account.getBoolean("numberofemployees", true));
    }

    @Test
    void readingAColumnAsTheWrongTypeThrowsColumnTypeExceptionNamingColumnAndTable() {
        DataverseRecord account = records.get("account", records.create("account", Map.of("name", "Contoso")));

        ColumnTypeException e = assertThrows(ColumnTypeException.class, () -> account.getInt("name", 0));

        assertInstanceOf(DataverseException.class, e);
        assertEquals("name", e.getColumn());
        assertEquals("account", e.getTable());
        assertTrue(e.getMessage().contains("\"Contoso\""), e.getMessage());
    }

    @Test
    void anEntitySetNameInsteadOfATableNameIsATableNotFoundSuggestingTheLogicalName() {
        UUID id = records.create("account", Map.of("name", "Contoso"));

        TableNotFoundException typo = assertThrows(TableNotFoundException.class, () -> records.get("accounts", id));
        assertEquals("accounts", typo.getTable());
        assertEquals("account", typo.getSuggestedTable());
        assertTrue(typo.getMessage().contains("logical name 'account'"), typo.getMessage());

        TableNotFoundException unknown = assertThrows(TableNotFoundException.class, () -> records.get("nosuchtable", id));
        assertNull(unknown.getSuggestedTable());

        NotFoundException missingRecord = assertThrows(NotFoundException.class, () -> records.get("account", UUID.randomUUID()));
        assertFalse(missingRecord instanceof TableNotFoundException, "a missing record is not a missing table");
    }

    @Test
    void aFailedBlockingCallKeepsTheCallersFramesAsASuppressedException() {
        NotFoundException e = assertThrows(NotFoundException.class, () -> records.get("account", UUID.randomUUID()));

        Throwable callSite = Arrays.stream(e.getSuppressed())
                .filter(s -> s.getMessage().equals("The blocking call was made here"))
                .findFirst().orElseThrow(() -> new AssertionError("no call site in " + Arrays.toString(e.getSuppressed())));
        List<String> frames = Arrays.stream(callSite.getStackTrace())
                .map(f -> f.getClassName() + "." + f.getMethodName()).collect(Collectors.toList());
        assertEquals("dev.dataverse.java.BlockingRecords.get", frames.get(0), frames.toString());
        assertTrue(frames.stream().anyMatch(f -> f.startsWith(JavaSurfaceTest.class.getName() + ".")), frames.toString());
    }

    @Test
    void deleteManyTakesTheIdsABulkCreateReturnedWithoutNulls() {
        List<Map<String, Object>> accounts = new ArrayList<>();
        for (int i = 0; i < 5; i++) accounts.add(Map.of("name", "Account " + i));
        BulkResult created = records.createMany("account", accounts);
        List<UUID> ids = created.getSucceededIds();
        assertEquals(5, ids.size());

        BulkResult deleted = records.deleteMany("account", ids);

        assertEquals(5, deleted.getSucceeded());
        assertEquals(ids, deleted.getSucceededIds());
        assertEquals(0L, records.list("account").stream().count());
    }

    @Test
    void deleteManyRefusesANullIdBeforeSendingAnything() {
        List<UUID> ids = new ArrayList<>(List.of(UUID.randomUUID()));
        ids.add(null);
        long before = requests();

        InvalidInputException e = assertThrows(InvalidInputException.class, () -> records.deleteMany("account", ids));

        assertTrue(e.getMessage().contains("position 1"), e.getMessage());
        assertEquals(before, requests());
        assertEquals(0, e.getStatusCode(), "nothing was sent, so there is no HTTP status");
        assertNull(e.getCorrelationId());
    }

    @Test
    void listOptionsTakeListsForSelectAndOrderBy() {
        records.createMany("account", List.of(Map.of("name", "B", "revenue", 2), Map.of("name", "A", "revenue", 1)));

        try (Stream<DataverseRecord> sorted = records.list("account",
                ListOptions.builder().select(List.of("name")).orderBy(List.of("name desc")).build()).stream()) {
            List<DataverseRecord> rows = sorted.collect(Collectors.toList());
            assertEquals(List.of("B", "A"), rows.stream().map(r -> r.getString("name")).collect(Collectors.toList()));
            assertFalse(rows.get(0).contains("revenue"));
        }
        UUID id = records.create("account", Map.of("name", "C", "revenue", 3));
        DataverseRecord selected = records.get("account", id, RetrieveOptions.builder().select(List.of("name")).build());
        assertFalse(selected.contains("revenue"));
        assertTrue(selected.toJsonString().contains("\"name\":\"C\""), selected.toJsonString());
    }

    @Test
    void doubleAndYesNoColumnsCanBeCreatedFromJava() {
        client.tables().create(TableSpec.builder("new_Gadget", "Gadget")
                .column(ColumnSpec.floatingPoint("new_Weight", "Weight"))
                .column(ColumnSpec.yesNo("new_InStock", "In stock", "Available", "Sold out"))
                .build());

        assertEquals(ColumnType.DOUBLE, client.tables().column("new_gadget", "new_weight").getType());
        assertEquals(ColumnType.BOOLEAN, client.tables().column("new_gadget", "new_instock").getType());
    }

    @Test
    void aFetchXmlWithADoctypeFailsWithoutWritingToStandardError() {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            String xml = "<!DOCTYPE fetch [<!ENTITY x \"y\">]><fetch><entity name=\"account\"/></fetch>";
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> {
                try (Stream<DataverseRecord> rows = client.query().fetchXml(xml).stream()) {
                    rows.count();
                }
            });
            assertTrue(e.getMessage().contains("DOCTYPE"), e.getMessage());
        } finally {
            System.setErr(original);
        }
        assertEquals("", captured.toString(StandardCharsets.UTF_8));
    }

    @Test
    void retryOptionsReadBackAsJavaDurationsAndDeriveThroughToBuilder() {
        RetryOptions base = RetryOptions.builder().maxAttempts(4).baseDelay(Duration.ofMillis(200)).build();

        RetryOptions derived = base.toBuilder().maxAttempts(2).build();

        assertEquals(Duration.ofMillis(200), derived.getBaseDelay());
        assertEquals(2, derived.getMaxAttempts());
        assertEquals(RetryOptions.DEFAULT.getMaxDelay(), derived.getMaxDelay());
        assertEquals(Duration.ofMinutes(5), derived.getMaxElapsed());
    }

    @Test
    void choiceLabelsHaveOneSpellingInBothLanguages() {
        assertEquals(new ChoiceLabel(List.of("Red", "Blue")), ChoiceLabel.of("Red", "Blue"));
        assertThrows(InvalidInputException.class, () -> ChoiceLabel.of());
    }
}
