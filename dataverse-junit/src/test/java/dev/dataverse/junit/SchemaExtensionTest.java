package dev.dataverse.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataverse.emulator.DataverseEmulator;
import dev.dataverse.java.DataverseBlockingClient;
import dev.dataverse.schema.SchemaSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The extension seeded from a schema snapshot file: the snapshot's table is there in every test, and the drift check passes. */
class SchemaExtensionTest {
    private static final Path SCHEMA = writeSchema();

    @RegisterExtension
    static DataverseEmulatorExtension dataverse = DataverseEmulatorExtension.builder().schema(SCHEMA).build();

    private static Path writeSchema() {
        try {
            Path file = Files.createTempFile("junit-schema", ".json");
            Files.writeString(file, """
                {
                  "formatVersion": 1,
                  "tables": [
                    {
                      "logicalName": "new_gizmo", "schemaName": "new_Gizmo", "entitySetName": "new_gizmos",
                      "primaryIdColumn": "new_gizmoid", "primaryNameColumn": "new_name", "tableType": "Standard",
                      "isCustom": true, "changeTrackingEnabled": false,
                      "columns": [
                        {"logicalName": "new_name", "schemaName": "new_Name", "attributeType": "String", "isPrimaryId": false,
                         "isPrimaryName": true, "isCustom": true, "validForCreate": true, "validForUpdate": true, "validForRead": true,
                         "maxLength": 100}
                      ],
                      "alternateKeys": [],
                      "relationships": []
                    }
                  ],
                  "customApis": []
                }
                """);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theSnapshotsTableTakesRecordsAndMatchesTheSnapshot(DataverseBlockingClient client, DataverseEmulator emulator) {
        UUID id = client.records().create("new_gizmo", Map.of("new_name", "G"));
        assertEquals("G", client.records().get("new_gizmo", id).getString("new_name"));
        SchemaSnapshot snapshot = SchemaSnapshot.read(SCHEMA);
        assertTrue(client.tables().checkSnapshot(snapshot).isEmpty());
        assertEquals(List.of("new_gizmo"), client.tables().exportSnapshot(List.of("new_gizmo")).getTables().stream().map(t -> t.getLogicalName()).toList());
        assertEquals(1, emulator.recordCount("new_gizmo"));
    }
}
