package dev.dataverse.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataverse.BadRequestException;
import dev.dataverse.BatchFailedException;
import dev.dataverse.BatchOperationResult;
import dev.dataverse.BatchOutcome;
import dev.dataverse.BatchReference;
import dev.dataverse.BatchRequest;
import dev.dataverse.BatchResult;
import dev.dataverse.ChangeSetBuilder;
import dev.dataverse.ClientClosedException;
import dev.dataverse.InvalidInputException;
import dev.dataverse.NotFoundException;
import dev.dataverse.DataverseRecord;
import dev.dataverse.RecordKey;
import dev.dataverse.RetrieveOptions;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@code $batch} from Java: {@link DataverseBlockingClient#batch} and {@link DataverseAsyncClient#batch}. */
class BatchTest extends EmulatorTestSupport {

    private static List<BatchOutcome> outcomes(BatchResult result) {
        return result.getOperations().stream().map(BatchOperationResult::getOutcome).collect(Collectors.toList());
    }

    @Test
    void aChangeSetCreatesAnAccountAndAContactBoundToItThroughTheReference() {
        BatchRequest.Builder batch = BatchRequest.builder();
        ChangeSetBuilder changeSet = batch.changeSet();
        BatchReference account = changeSet.create("account", Map.of("name", "Contoso"));
        BatchReference contact = changeSet.create("contact", Map.of("lastname", "Doe", "parentcustomerid_account", account));

        BatchResult result = client.batch(batch.build());

        assertTrue(result.isSuccess(), result.toString());
        assertSame(result, result.throwIfFailed());
        assertEquals(0, account.getIndex());
        assertEquals(1, contact.getIndex());
        assertEquals("contact", contact.getTable());
        UUID accountId = result.get(account).getEntityId();
        UUID contactId = result.get(contact).getEntityId();
        assertNotNull(accountId);
        assertNotNull(contactId);
        assertEquals("Contoso", records.get("account", accountId).getString("name"));
        DataverseRecord saved = records.get("contact", contactId);
        assertEquals("Doe", saved.getString("lastname"));
        assertEquals(accountId, saved.getUuid("_parentcustomerid_value"));
        assertEquals(1, emulator.recordCount("account"));
        assertEquals(1, emulator.recordCount("contact"));
    }

    @Test
    void aChangeSetCanUpdateAndAddressTheRecordItCreated() {
        BatchRequest.Builder batch = BatchRequest.builder();
        ChangeSetBuilder changeSet = batch.changeSet();
        BatchReference account = changeSet.create("account", Map.of("name", "Draft"));
        changeSet.update(account, Map.of("name", "Final", "telephone1", "555-0100"));

        BatchResult result = client.batch(batch.build());

        assertTrue(result.isSuccess(), result.toString());
        DataverseRecord saved = records.get("account", result.get(account).getEntityId());
        assertEquals("Final", saved.getString("name"));
        assertEquals("555-0100", saved.getString("telephone1"));
    }

    @Test
    void aFailingChangeSetIsRolledBackAsAWhole() {
        records.create("account", Map.of("name", "Existing"));
        BatchRequest.Builder batch = BatchRequest.builder();
        ChangeSetBuilder changeSet = batch.changeSet();
        BatchReference account = changeSet.create("account", Map.of("name", "Rolled back"));
        changeSet.create("contact", Map.of("lastname", "x".repeat(51), "parentcustomerid_account", account));

        BatchResult result = client.batch(batch.build());

        assertFalse(result.isSuccess());
        assertEquals(List.of(BatchOutcome.ROLLED_BACK, BatchOutcome.FAILED), outcomes(result));
        BatchOperationResult failed = result.getFailures().get(0);
        assertEquals(1, failed.getIndex());
        assertInstanceOf(BadRequestException.class, failed.getError());
        assertEquals(400, failed.getStatus());
        assertNull(result.get(account).getEntityId());
        assertEquals(1, emulator.recordCount("account"), "the account created in the change set was rolled back");
        assertEquals(0, emulator.recordCount("contact"));

        BatchFailedException e = assertThrows(BatchFailedException.class, result::throwIfFailed);
        assertSame(result, e.getResult());
        assertEquals(400, e.getStatusCode());
    }

    @Test
    void withContinueOnErrorEveryOperationRunsAndReportsItsOwnOutcome() {
        createAccountNumberKey();
        UUID existing = records.create("account", Map.of("name", "Existing"));
        UUID doomed = records.create("account", Map.of("name", "Doomed"));
        BatchRequest.Builder batch = BatchRequest.builder().continueOnError(true);
        BatchReference created = batch.create("account", Map.of("name", "Created"));
        BatchReference missing = batch.update("account", UUID.randomUUID(), Map.of("name", "Nobody"));
        BatchReference read = batch.get("account", existing, RetrieveOptions.builder().select("name").build());
        BatchReference tooLong = batch.create("account", Map.of("name", BlockingRecordsBulkTest.TOO_LONG));
        BatchReference deleted = batch.delete("account", doomed);
        BatchReference upserted = batch.upsert("account", RecordKey.alternate("accountnumber", "B-1"), Map.of("name", "Upserted"));

        BatchResult result = client.batch(batch.build());

        assertEquals(List.of(BatchOutcome.SUCCEEDED, BatchOutcome.FAILED, BatchOutcome.SUCCEEDED, BatchOutcome.FAILED,
                BatchOutcome.SUCCEEDED, BatchOutcome.SUCCEEDED), outcomes(result));
        assertEquals("Created", records.get("account", result.get(created).getEntityId()).getString("name"));
        assertInstanceOf(NotFoundException.class, result.get(missing).getError());
        assertEquals(404, result.get(missing).getStatus());
        assertEquals("Existing", result.get(read).getRecord().getString("name"));
        assertInstanceOf(BadRequestException.class, result.get(tooLong).getError());
        assertTrue(result.get(deleted).isSuccess());
        assertEquals("Upserted", records.get("account", RecordKey.alternate("accountnumber", "B-1")).getString("name"));
        assertEquals(5, upserted.getIndex());
        assertEquals(List.of(1, 3), result.getFailures().stream().map(BatchOperationResult::getIndex).collect(Collectors.toList()));
        assertEquals(3, emulator.recordCount("account"));

        BatchFailedException e = assertThrows(BatchFailedException.class, result::throwIfFailed);
        assertEquals(2, e.getResult().getFailures().size());
    }

    @Test
    void withoutContinueOnErrorTheBatchStopsAtTheFirstFailure() {
        BatchRequest.Builder batch = BatchRequest.builder();
        batch.create("account", Map.of("name", "First"));
        batch.delete("account", UUID.randomUUID());
        batch.create("account", Map.of("name", "Never"));

        BatchResult result = client.batch(batch.build());

        assertEquals(BatchOutcome.FAILED, result.getOperations().get(1).getOutcome());
        assertInstanceOf(NotFoundException.class, result.getOperations().get(1).getError());
        assertEquals(BatchOutcome.NOT_EXECUTED, result.getOperations().get(2).getOutcome());
        assertEquals(1, emulator.recordCount("account"));
    }

    @Test
    void aBatchOfMoreThanAThousandOperationsIsSplitAndEveryOperationSucceeds() {
        BatchRequest.Builder batch = BatchRequest.builder();
        for (int i = 0; i < 1500; i++) batch.create("account", Map.of("name", "Batch " + i));
        BatchRequest request = batch.build();

        BatchResult result = client.batch(request);

        assertEquals(1500, request.getSize());
        assertEquals(1500, result.getOperations().size());
        assertTrue(result.isSuccess());
        assertEquals(1500, emulator.recordCount("account"));
    }

    @Test
    void theAsyncClientCompletesWithTheResult() throws Exception {
        UUID existing = records.create("account", Map.of("name", "Existing"));
        BatchRequest.Builder batch = BatchRequest.builder().continueOnError(true);
        batch.update("account", existing, Map.of("name", "Changed"));
        batch.delete("account", UUID.randomUUID());

        BatchResult result = client.async().batch(batch.build()).get(30, TimeUnit.SECONDS);

        assertEquals(List.of(BatchOutcome.SUCCEEDED, BatchOutcome.FAILED), outcomes(result));
        assertEquals("Changed", records.get("account", existing).getString("name"));

        ExecutionException e = assertThrows(ExecutionException.class, () -> client.async().batch(batch.build())
                .thenApply(BatchResult::throwIfFailed)
                .get(30, TimeUnit.SECONDS));
        assertInstanceOf(BatchFailedException.class, e.getCause());
    }

    @Test
    void aClosedClientRefusesABatch() {
        BatchRequest.Builder batch = BatchRequest.builder();
        batch.create("account", Map.of("name", "x"));
        client.close();

        assertThrows(ClientClosedException.class, () -> client.batch(batch.build()));
        ExecutionException e = assertThrows(ExecutionException.class, () -> client.async().batch(batch.build()).get(30, TimeUnit.SECONDS));
        assertInstanceOf(ClientClosedException.class, e.getCause());
        assertEquals(0, requests());
    }

    @Test
    void invalidBatchesAreRefusedBeforeAnythingIsSent() {
        InvalidInputException empty = assertThrows(InvalidInputException.class, () -> BatchRequest.builder().build());
        assertTrue(empty.getMessage().contains("at least one"), empty.getMessage());

        BatchRequest.Builder withEmptyChangeSet = BatchRequest.builder();
        withEmptyChangeSet.create("account", Map.of("name", "a"));
        withEmptyChangeSet.changeSet();
        assertThrows(InvalidInputException.class, withEmptyChangeSet::build);

        BatchRequest.Builder other = BatchRequest.builder();
        BatchReference foreign = other.changeSet().create("account", Map.of("name", "Elsewhere"));
        ChangeSetBuilder changeSet = BatchRequest.builder().changeSet();
        InvalidInputException bound = assertThrows(InvalidInputException.class,
                () -> changeSet.create("contact", Map.of("lastname", "Doe", "parentcustomerid_account", foreign)));
        assertTrue(bound.getMessage().contains("does not exist in this batch"), bound.getMessage());
        assertThrows(InvalidInputException.class, () -> changeSet.update(foreign, Map.of("name", "x")));
        assertThrows(InvalidInputException.class, () -> changeSet.delete(foreign));

        BatchRequest.Builder outside = BatchRequest.builder();
        BatchReference topLevel = outside.create("account", Map.of("name", "Top level"));
        assertThrows(InvalidInputException.class, () -> outside.changeSet().update(topLevel, Map.of("name", "x")));

        BatchRequest.Builder huge = BatchRequest.builder();
        ChangeSetBuilder large = huge.changeSet();
        for (int i = 0; i < 1001; i++) large.create("account", Map.of("name", "n" + i));
        InvalidInputException tooLarge = assertThrows(InvalidInputException.class, huge::build);
        assertTrue(tooLarge.getMessage().contains("1001"), tooLarge.getMessage());

        assertThrows(InvalidInputException.class, () -> BatchRequest.builder().create("account", Map.of("name", new Object())));
        assertThrows(InvalidInputException.class, () -> BatchRequest.builder().create("not a table", Map.of("name", "x")));
        assertEquals(0, requests());
    }
}
