package dev.dataverse.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataverse.BatchOutcome;
import dev.dataverse.BatchReference;
import dev.dataverse.BatchRequest;
import dev.dataverse.BatchResult;
import dev.dataverse.ChangeSetBuilder;
import dev.dataverse.DuplicateRecordException;
import dev.dataverse.InvalidInputException;
import dev.dataverse.MatchConditions;
import dev.dataverse.NotFoundException;
import dev.dataverse.PreconditionFailedException;
import dev.dataverse.RecordKey;
import dev.dataverse.Response;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Optimistic concurrency and limited upserts from Java, blocking and async, as Learn documents them in "Perform conditional
 * operations using the Web API": If-Match with an ETag on update and delete answers 412 when the record changed;
 * If-None-Match: * on upsert prevents an update (412); If-Match: * on upsert prevents a create (404).
 */
class MatchConditionsTest extends EmulatorTestSupport {

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(30, TimeUnit.SECONDS);
    }

    @Test
    void theFactoriesAreImmutableValuesWithTheHeaderValuesTheyStandFor() {
        assertNull(MatchConditions.NONE.getIfMatch());
        assertNull(MatchConditions.NONE.getIfNoneMatch());
        assertEquals("W/\"7\"", MatchConditions.ifMatch("W/\"7\"").getIfMatch());
        assertEquals("*", MatchConditions.ifMatchAny().getIfMatch());
        assertEquals("*", MatchConditions.ifNoneMatchAny().getIfNoneMatch());
        assertEquals(MatchConditions.ifMatch("W/\"7\""), MatchConditions.ifMatch("W/\"7\""));
        assertSame(MatchConditions.ifMatchAny(), MatchConditions.ifMatch("*"));
        assertThrows(InvalidInputException.class, () -> MatchConditions.ifMatch(null));
        assertThrows(InvalidInputException.class, () -> MatchConditions.ifMatch("W/\"1\"\r\nX: y"));
    }

    @Test
    void blockingUpdateAndDeleteWithAStaleETagThrowPreconditionFailedAndChangeNothing() {
        UUID id = records.create("account", Map.of("name", "V1"));
        String read = records.get("account", id).getEtag();
        records.update("account", id, Map.of("name", "V2"), MatchConditions.ifMatch(read));

        PreconditionFailedException stale = assertThrows(PreconditionFailedException.class,
                () -> records.update("account", id, Map.of("name", "V3"), MatchConditions.ifMatch(read)));
        assertEquals(412, stale.getStatusCode());
        assertThrows(PreconditionFailedException.class, () -> records.delete("account", id, MatchConditions.ifMatch(read)));
        assertEquals("V2", records.get("account", id).getString("name"));

        Response<Void> deleted = records.deleteWithResponse("account", RecordKey.id(id), MatchConditions.ifMatch(records.get("account", id).getEtag()));
        assertEquals(204, deleted.getStatusCode());
        assertThrows(NotFoundException.class, () -> records.get("account", id));
    }

    @Test
    void blockingUpsertCreateOnlyAndUpdateOnly() {
        UUID id = UUID.randomUUID();
        Response<UUID> created = records.upsertWithResponse("account", RecordKey.id(id), Map.of("name", "Created"), MatchConditions.ifNoneMatchAny());
        assertEquals(201, created.getStatusCode());
        PreconditionFailedException exists = assertThrows(PreconditionFailedException.class,
                () -> records.upsert("account", id, Map.of("name", "Overwritten"), MatchConditions.ifNoneMatchAny()));
        assertInstanceOf(DuplicateRecordException.class, exists);
        assertEquals("Created", records.get("account", id).getString("name"));

        assertEquals(id, records.upsert("account", id, Map.of("name", "Updated"), MatchConditions.ifMatchAny()));
        UUID absent = UUID.randomUUID();
        assertThrows(NotFoundException.class, () -> records.upsert("account", absent, Map.of("name", "Never"), MatchConditions.ifMatchAny()));
        assertThrows(NotFoundException.class, () -> records.get("account", absent));
    }

    @Test
    void aConditionTheOperationCannotCarryFailsBeforeAnythingIsSent() {
        UUID id = records.create("account", Map.of("name", "Untouched"));
        long before = requests();
        assertThrows(InvalidInputException.class, () -> records.update("account", id, Map.of("name", "X"), MatchConditions.ifNoneMatchAny()));
        assertThrows(InvalidInputException.class, () -> records.delete("account", id, MatchConditions.ifNoneMatchAny()));
        NullPointerException noConditions = assertThrows(NullPointerException.class, () -> records.delete("account", id, null));
        assertTrue(noConditions.getMessage().contains("conditions"), noConditions.getMessage());
        assertThrows(InvalidInputException.class, () -> BatchRequest.builder().delete("account", id, MatchConditions.ifNoneMatchAny()));
        assertEquals(before, requests());
    }

    @Test
    void asyncFacadeCarriesTheConditionsAndFailsTheFutureWithTheTypedException() throws Exception {
        AsyncRecords async = client.async().records();
        UUID id = await(async.create("account", Map.of("name", "Async V1")));
        String read = await(async.get("account", id)).getEtag();
        await(async.update("account", id, Map.of("name", "Async V2"), MatchConditions.ifMatch(read)));

        ExecutionException stale = assertThrows(ExecutionException.class,
                () -> await(async.update("account", id, Map.of("name", "Async V3"), MatchConditions.ifMatch(read))));
        assertInstanceOf(PreconditionFailedException.class, stale.getCause());
        ExecutionException staleDelete = assertThrows(ExecutionException.class,
                () -> await(async.delete("account", id, MatchConditions.ifMatch(read))));
        assertInstanceOf(PreconditionFailedException.class, staleDelete.getCause());
        ExecutionException createOnly = assertThrows(ExecutionException.class,
                () -> await(async.upsert("account", id, Map.of("name", "No"), MatchConditions.ifNoneMatchAny())));
        assertInstanceOf(DuplicateRecordException.class, createOnly.getCause());
        ExecutionException updateOnly = assertThrows(ExecutionException.class,
                () -> await(async.upsertAndGet("account", RecordKey.id(UUID.randomUUID()), Map.of("name", "No"), dev.dataverse.RetrieveOptions.DEFAULT, MatchConditions.ifMatchAny())));
        assertInstanceOf(NotFoundException.class, updateOnly.getCause());
        assertEquals("Async V2", records.get("account", id).getString("name"));

        String current = await(async.get("account", id)).getEtag();
        assertNull(await(async.delete("account", id, MatchConditions.ifMatch(current))));
        assertThrows(NotFoundException.class, () -> records.get("account", id));
    }

    @Test
    void batchBuildersCarryConditionsBlockingAndAsync() throws Exception {
        UUID id = records.create("account", Map.of("name", "Batch V1"));
        String stale = records.get("account", id).getEtag();
        records.update("account", id, Map.of("name", "Batch V2"));

        BatchRequest.Builder batch = BatchRequest.builder().continueOnError(true);
        ChangeSetBuilder changeSet = batch.changeSet();
        BatchReference conflicting = changeSet.update("account", id, Map.of("name", "Batch V3"), MatchConditions.ifMatch(stale));
        UUID fresh = UUID.randomUUID();
        BatchReference createOnly = batch.upsert("account", RecordKey.id(fresh), Map.of("name", "Created in batch"), MatchConditions.ifNoneMatchAny());
        BatchResult result = client.batch(batch.build());
        assertInstanceOf(PreconditionFailedException.class, result.get(conflicting).getError());
        assertTrue(result.get(createOnly).isSuccess());
        assertEquals("Batch V2", records.get("account", id).getString("name"));

        BatchRequest.Builder deletes = BatchRequest.builder().continueOnError(true);
        BatchReference staleDelete = deletes.delete("account", id, MatchConditions.ifMatch(stale));
        BatchReference delete = deletes.delete("account", RecordKey.id(fresh), MatchConditions.ifMatch(records.get("account", fresh).getEtag()));
        BatchResult deleted = await(client.async().batch(deletes.build()));
        assertEquals(BatchOutcome.FAILED, deleted.get(staleDelete).getOutcome());
        assertInstanceOf(PreconditionFailedException.class, deleted.get(staleDelete).getError());
        assertTrue(deleted.get(delete).isSuccess());
        assertThrows(NotFoundException.class, () -> records.get("account", fresh));
    }
}
