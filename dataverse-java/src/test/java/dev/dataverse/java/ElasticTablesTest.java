package dev.dataverse.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataverse.BulkFailure;
import dev.dataverse.BulkOptions;
import dev.dataverse.BulkResult;
import dev.dataverse.ColumnSpec;
import dev.dataverse.DataverseRecord;
import dev.dataverse.InvalidInputException;
import dev.dataverse.NotFoundException;
import dev.dataverse.RecordCount;
import dev.dataverse.RecordKey;
import dev.dataverse.TableSpec;
import dev.dataverse.TableType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Elastic tables from Java, blocking and async, against the emulator. Learn: "Create elastic tables using code",
 * "Use elastic tables using code" (id + partitionid keys, upsert), "Bulk operations with elastic tables" (DeleteMultiple,
 * partial success, 100 records per request); the $count cap of 500 is WIRE.md §3.
 */
class ElasticTablesTest extends EmulatorTestSupport {
    static final String TABLE = "new_sensor";

    @BeforeAll
    static void createElasticTable() {
        try (DataverseBlockingClient setup = newBuilder().buildClient()) {
            setup.tables().create(TableSpec.builder("new_Sensor", "Sensor")
                    .column(ColumnSpec.integer("new_Value", "Value"))
                    .tableType(TableType.ELASTIC)
                    .build());
        }
    }

    private static List<Map<String, Object>> readings(int count, String partition) {
        return IntStream.range(0, count).mapToObj(i -> values("new_name", "r" + i, "partitionid", partition)).collect(Collectors.toList());
    }

    @Test
    void tableTypeIsReadBackFromMetadata() {
        assertEquals(TableType.ELASTIC, client.tables().get(TABLE).getTableType());
        assertEquals(TableType.STANDARD, client.tables().get("account").getTableType());
    }

    @Test
    void blockingCallsAddressRecordsByIdAndPartition() {
        UUID id = records.create(TABLE, values("new_name", "r1", "new_value", 1, "partitionid", "device-1"));
        RecordKey key = RecordKey.partitioned(id, "device-1");
        assertEquals(1, records.get(TABLE, key).getInt("new_value"));
        assertThrows(NotFoundException.class, () -> records.get(TABLE, id));

        records.update(TABLE, key, values("new_value", 2));
        assertEquals(2, records.get(TABLE, key).getInt("new_value"));
        records.upsert(TABLE, key, values("new_value", 3));
        DataverseRecord replaced = records.get(TABLE, key);
        assertEquals(3, replaced.getInt("new_value"));
        assertNull(replaced.getString("new_name"), "an elastic upsert replaces the whole record");

        records.delete(TABLE, key);
        assertEquals(0, emulator.recordCount(TABLE));
    }

    @Test
    void asyncCallsAddressRecordsByIdAndPartition() throws Exception {
        AsyncRecords async = client.async().records();
        UUID id = UUID.randomUUID();
        RecordKey key = RecordKey.partitioned(id.toString(), "async-p");
        assertEquals(id, async.upsert(TABLE, key, values("new_name", "made")).get(30, TimeUnit.SECONDS));
        assertEquals("made", async.get(TABLE, key).get(30, TimeUnit.SECONDS).getString("new_name"));
        async.delete(TABLE, key).get(30, TimeUnit.SECONDS);
        ExecutionException gone = assertThrows(ExecutionException.class, () -> async.get(TABLE, key).get(30, TimeUnit.SECONDS));
        assertTrue(gone.getCause() instanceof NotFoundException, gone.toString());
    }

    @Test
    void invalidPartitionIdsAndStandardTablesAreRefusedBeforeSending() {
        assertThrows(InvalidInputException.class, () -> RecordKey.partitioned(UUID.randomUUID(), "a/b"));
        assertThrows(InvalidInputException.class, () -> RecordKey.partitioned("not a guid", "p"));
        records.create("account", values("name", "warm the metadata cache"));
        long before = requests();
        InvalidInputException error = assertThrows(InvalidInputException.class,
                () -> records.get("account", RecordKey.partitioned(UUID.randomUUID(), "p")));
        assertTrue(error.getMessage().contains("not an elastic table"), error.getMessage());
        assertEquals(before, requests());
    }

    @Test
    void asyncDeleteManyRemovesEveryRecordOfEveryPartitionInChunksOfOneHundred() throws Exception {
        BulkResult created = records.createMany(TABLE, readings(250, "d1"));
        assertTrue(created.isSuccess());
        List<RecordKey> keys = created.getSucceededIds().stream().map(id -> RecordKey.partitioned(id, "d1")).collect(Collectors.toList());
        long before = requests();
        BulkResult deleted = client.async().records().deleteMany(TABLE, keys).get(60, TimeUnit.SECONDS);
        assertTrue(deleted.isSuccess());
        assertEquals(3, requests() - before, "250 deletes in DeleteMultiple requests of 100");
        assertEquals(0, emulator.recordCount(TABLE));
    }

    @Test
    void elasticChunkSizeIsConfigurableFromTheJavaBuilder() {
        records.createMany(TABLE, readings(1, "warm"));
        long before = requests();
        BulkResult result = records.createMany(TABLE, readings(30, "c"), BulkOptions.builder().chunkSize(1).elasticChunkSize(10).build());
        assertTrue(result.isSuccess());
        assertEquals(3, requests() - before);
    }

    @Test
    void aPartlyFailedElasticRequestReportsExactlyTheFailedRecords() {
        List<Map<String, Object>> inputs = new ArrayList<>(readings(6, "p"));
        inputs.set(4, values("new_name", "x".repeat(500), "partitionid", "p"));
        records.create(TABLE, values("new_name", "warm the metadata cache"));
        long before = requests();
        BulkResult result = records.createMany(TABLE, inputs, BulkOptions.builder().continueOnError(true).build());
        assertEquals(1, requests() - before, "nothing is replayed: the other records were applied");
        assertEquals(List.of(4), result.getFailures().stream().map(BulkFailure::getIndex).collect(Collectors.toList()));
        assertEquals(400, result.getFailures().get(0).getError().getStatusCode());
        assertEquals(5, result.getSucceeded());
        assertEquals(6, emulator.recordCount(TABLE));
    }

    @Test
    void countsOfElasticTablesAreCappedAtFiveHundred() throws Exception {
        assertTrue(records.createMany(TABLE, readings(505, "n")).isSuccess());
        RecordCount blocking = client.query().count(TABLE);
        assertEquals(500, blocking.getCount());
        assertTrue(blocking.isCapped());
        RecordCount async = client.async().query().count(TABLE).get(30, TimeUnit.SECONDS);
        assertEquals(500, async.getCount());
        assertTrue(async.isCapped());
    }
}
