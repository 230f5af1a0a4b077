package dev.dataverse.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataverse.BulkFailure;
import dev.dataverse.BulkOptions;
import dev.dataverse.BulkOutcome;
import dev.dataverse.BulkResult;
import dev.dataverse.DuplicateRecordException;
import dev.dataverse.NotFoundException;
import dev.dataverse.RecordChange;
import dev.dataverse.RecordKey;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The input of a bulk failure, typed for Java: {@code getValues()} for createMany, {@code getChange()} and {@code getKey()}
 * for updateMany, {@code getKey()} for deleteMany, each null for the other operations; and the skip-existing re-run.
 * A create of an existing id fails with "Cannot insert duplicate key" (0x80040237, Learn: "Dataverse client errors"); an
 * update or delete of a missing record with 404 (Learn: "Update and delete table rows using the Web API").
 */
class TypedBulkFailuresTest extends EmulatorTestSupport {
    private final BulkOptions continueOnError = BulkOptions.builder().continueOnError(true).build();

    @Test
    void eachOperationsFailureExposesItsInputThroughItsOwnTypedAccessor() {
        UUID existing = records.create("account", Map.of("name", "Typed existing"));
        UUID missing = UUID.randomUUID();

        BulkResult created = records.createMany("account",
                List.of(Map.of("accountid", existing, "name", "Typed duplicate"), Map.of("name", "Typed new")), continueOnError);
        BulkFailure createFailure = created.getFailures().get(0);
        Map<String, Object> values = createFailure.getValues();
        assertEquals("Typed duplicate", values.get("name"));
        assertEquals(existing, values.get("accountid"));
        assertNull(createFailure.getChange());
        assertNull(createFailure.getKey());
        assertInstanceOf(DuplicateRecordException.class, createFailure.getError());

        RecordChange change = RecordChange.of(missing, Map.of("name", "Typed nobody"));
        BulkFailure updateFailure = records.updateMany("account", List.of(change), continueOnError).getFailures().get(0);
        assertSame(change, updateFailure.getChange());
        assertEquals(RecordKey.id(missing), updateFailure.getKey());
        assertNull(updateFailure.getValues());
        assertInstanceOf(NotFoundException.class, updateFailure.getError());

        BulkFailure deleteFailure = records.deleteMany("account", List.of(RecordKey.id(missing)), continueOnError).getFailures().get(0);
        assertEquals(RecordKey.id(missing), deleteFailure.getKey());
        assertNull(deleteFailure.getChange());
        assertNull(deleteFailure.getValues());
    }

    @Test
    void aRerunWithSkipExistingCountsTheExistingApartFromTheCreated() {
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        records.create("account", Map.of("accountid", first, "name", "Rerun 1"));

        BulkResult rerun = records.createMany("account",
                List.of(Map.of("accountid", first, "name", "Rerun 1 again"), Map.of("accountid", second, "name", "Rerun 2")),
                BulkOptions.builder().skipExisting(true).build());

        assertTrue(rerun.isSuccess());
        assertEquals(1, rerun.getSucceeded());
        assertEquals(1, rerun.getAlreadyExisting());
        assertEquals(List.of(first), rerun.getAlreadyExistingIds());
        assertEquals(List.of(second), rerun.getSucceededIds());
        assertEquals(BulkOutcome.ALREADY_EXISTS, rerun.outcome(0));
        assertEquals("Rerun 1", records.get("account", first).getString("name"));
    }
}
