package dev.dataverse.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataverse.NotFoundException;
import dev.dataverse.emulator.DataverseEmulator;
import dev.dataverse.emulator.EmulatorOptions;
import dev.dataverse.schema.ColumnSchema;
import dev.dataverse.schema.InvalidSnapshotException;
import dev.dataverse.schema.SchemaDriftException;
import dev.dataverse.schema.SchemaDriftKind;
import dev.dataverse.schema.SchemaDriftReport;
import dev.dataverse.schema.SchemaSnapshot;
import dev.dataverse.schema.TableSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Schema snapshots from Java: export with the blocking and the async facade, write, read, seed an emulator with the
 * file, and check for drift. The model is read through its getters and built with its builders, as Java code does.
 */
class SchemaSnapshotTest extends EmulatorTestSupport {

    @Test
    void exportsWritesReadsAndSeedsAnEmulatorThatMatchesIt() throws Exception {
        SchemaSnapshot snapshot = client.tables().exportSnapshot(List.of("account", "contact"));
        TableSchema contact = snapshot.table("contact");
        ColumnSchema customer = contact.column("parentcustomerid");
        assertEquals("Customer", customer.getAttributeType());
        assertEquals(List.of("account", "contact"), customer.getTargets().stream().map(t -> t.getTable()).toList());
        assertNull(snapshot.getSource());

        Path file = Files.createTempFile("snapshot", ".json");
        snapshot.write(file);
        SchemaSnapshot read = SchemaSnapshot.read(file);
        assertEquals(snapshot, read);
        assertEquals(SchemaSnapshot.FORMAT_VERSION, read.getFormatVersion());

        SchemaSnapshot async = client.async().tables().exportSnapshot(List.of("account", "contact"), List.of(), "async")
                .get(30, TimeUnit.SECONDS);
        assertEquals("async", async.getSource());
        assertEquals(snapshot.withSource("async").toJson(), async.toJson());

        try (DataverseEmulator seeded = DataverseEmulator.start(EmulatorOptions.builder().schema(file).build());
             DataverseBlockingClient other = new DataverseClientBuilder().environmentUrl(seeded.getBaseUrl()).token(TOKEN).buildClient()) {
            SchemaDriftReport report = other.tables().checkSnapshot(snapshot);
            assertTrue(report.isEmpty(), report.toString());
            other.tables().requireSnapshot(snapshot);
            assertEquals(snapshot.toJson(), other.tables().exportSnapshot(List.of("account", "contact")).toJson());
        }
    }

    @Test
    void driftIsReportedAndThrownWithEveryDifference() throws Exception {
        SchemaSnapshot snapshot = client.tables().exportSnapshot(List.of("account"));
        TableSchema account = snapshot.table("account");
        ColumnSchema invented = ColumnSchema.builder("new_invented", "new_Invented", "String").maxLength(10).custom(true).build();
        List<ColumnSchema> columns = new java.util.ArrayList<>(account.getColumns());
        columns.add(invented);
        SchemaSnapshot expected = new SchemaSnapshot(List.of(account.toBuilder().columns(columns).build()));

        SchemaDriftReport report = client.tables().checkSnapshot(expected);
        assertEquals(1, report.getDifferences().size());
        assertEquals(SchemaDriftKind.COLUMN_MISSING, report.getDifferences().get(0).getKind());
        assertEquals("new_invented", report.getDifferences().get(0).getMember());

        SchemaDriftException thrown = assertThrows(SchemaDriftException.class, () -> client.tables().requireSnapshot(expected));
        assertEquals(report, thrown.getReport());
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> client.async().tables().requireSnapshot(expected).get(30, TimeUnit.SECONDS));
        assertInstanceOf(SchemaDriftException.class, failed.getCause());
        assertThrows(SchemaDriftException.class, report::throwIfDrifted);
    }

    @Test
    void unknownNamesAndBadFilesAreTypedErrors() throws Exception {
        assertThrows(NotFoundException.class, () -> client.tables().exportSnapshot(List.of("new_nothere")));
        Path file = Files.createTempFile("broken", ".json");
        Files.writeString(file, "{\"formatVersion\": 1, \"tables\": [{}], \"customApis\": []}");
        InvalidSnapshotException error = assertThrows(InvalidSnapshotException.class, () -> SchemaSnapshot.read(file));
        assertEquals("tables[0].columns", error.getJsonPath());
        assertEquals(file, error.getFile());
    }
}
