package dev.dataverse.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataverse.BatchReference;
import dev.dataverse.BatchRequest;
import dev.dataverse.BatchResult;
import dev.dataverse.BulkOptions;
import dev.dataverse.BulkResult;
import dev.dataverse.ChangeSetBuilder;
import dev.dataverse.emulator.DataverseEmulator;
import dev.dataverse.java.DataverseAsyncClient;
import dev.dataverse.java.DataverseBlockingClient;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Bulk operations and batches through the clients the extension injects: what a user's test of an import looks like. */
@ExtendWith(DataverseEmulatorExtension.class)
class BulkAndBatchTest {

    @Test
    void importsWithCreateManyAndLinksWithABatch(DataverseBlockingClient client, DataverseAsyncClient async, DataverseEmulator emulator)
            throws Exception {
        BulkResult imported = client.records().createMany("account",
                IntStream.range(0, 1000).mapToObj(i -> Map.<String, Object>of("name", "Imported " + i)),
                BulkOptions.builder().chunkSize(250).build());

        BatchRequest.Builder batch = BatchRequest.builder();
        ChangeSetBuilder changeSet = batch.changeSet();
        BatchReference account = changeSet.create("account", Map.of("name", "Linked"));
        changeSet.create("contact", Map.of("lastname", "Doe", "parentcustomerid_account", account));
        BatchResult linked = async.batch(batch.build()).get(30, TimeUnit.SECONDS).throwIfFailed();

        assertEquals(1000, imported.getSucceeded());
        assertTrue(linked.isSuccess());
        assertEquals(1001, emulator.recordCount("account"));
        assertEquals(1, emulator.recordCount("contact"));
    }
}
