package dev.dataverse.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataverse.BadRequestException;
import dev.dataverse.Change;
import dev.dataverse.ChangePage;
import dev.dataverse.ChangeTrackingOptions;
import dev.dataverse.DeltaTokenExpiredException;
import dev.dataverse.Filter;
import dev.dataverse.InvalidInputException;
import dev.dataverse.ListOptions;
import dev.dataverse.TableInfo;
import dev.dataverse.TableSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Change tracking from Java, blocking and asynchronous, against the emulator (Learn: "Use change tracking to synchronize
 * data with external systems"). The emulator's account table has change tracking on.
 */
class ChangeTrackingTest extends EmulatorTestSupport {
    private final ChangeTrackingOptions twoPerPage = ChangeTrackingOptions.builder().select("name").pageSize(2).build();

    private List<UUID> createAccounts(int count) {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(records.create("account", Map.of("name", "Account " + i)));
        }
        return ids;
    }

    @Test
    void aBlockingSyncReadsEveryRecordThenOnlyTheChangesWithDeletionsAsIdsWithoutRecords() {
        List<UUID> ids = createAccounts(3);
        String deltaToken = null;
        Set<UUID> seen = new HashSet<>();
        for (ChangePage page : records.changes("account", twoPerPage).iterableByPage()) {
            page.getChanges().forEach(change -> seen.add(change.getId()));
            deltaToken = page.getDeltaToken();
            assertEquals(page.hasNext(), page.getContinuationToken() != null);
        }
        assertEquals(Set.copyOf(ids), seen);
        assertNotNull(deltaToken, "the last page carries the delta token");

        records.update("account", ids.get(0), Map.of("name", "Renamed"));
        records.delete("account", ids.get(1));
        List<Change> changes = new ArrayList<>();
        records.changes("account", twoPerPage.since(deltaToken)).forEach(changes::add);
        assertEquals(List.of(ids.get(0), ids.get(1)), changes.stream().map(Change::getId).collect(Collectors.toList()));
        assertFalse(changes.get(0).isDeleted());
        assertEquals("Renamed", changes.get(0).getRecord().getString("name"));
        assertTrue(changes.get(1).isDeleted());
        assertNull(changes.get(1).getRecord());
        assertInstanceOf(Change.Deleted.class, changes.get(1));
        assertEquals("account", changes.get(1).getTable());
    }

    @Test
    void aRunStoppedAfterAPageResumesFromItsContinuationTokenInAnotherClientWithNothingMissedOrRepeated() {
        List<UUID> ids = createAccounts(7);
        List<UUID> seen = new ArrayList<>();
        String persisted;
        try (Stream<ChangePage> pages = records.changes("account", twoPerPage).streamByPage()) {
            ChangePage first = pages.findFirst().orElseThrow();
            first.getChanges().forEach(change -> seen.add(change.getId()));
            persisted = first.getContinuationToken();
        }
        assertNotNull(persisted);
        try (DataverseBlockingClient other = newBuilder().buildClient();
             Stream<ChangePage> rest = other.records().changes("account", twoPerPage).streamByPage(persisted)) {
            rest.forEach(page -> page.getChanges().forEach(change -> seen.add(change.getId())));
        }
        assertEquals(ids.size(), seen.size());
        assertEquals(Set.copyOf(ids), Set.copyOf(seen));
        try (Stream<Change> all = records.changes("account").stream()) {
            assertEquals(7, all.count());
        }
    }

    @Test
    void asyncPageFuturesFollowTheRunToItsDeltaTokenAndThePublisherStreamsEveryChange() throws Exception {
        List<UUID> ids = createAccounts(5);
        AsyncRecords async = client.async().records();
        ChangePublisher run = async.changes("account", twoPerPage);
        List<UUID> seen = new ArrayList<>();
        String token = applyAll(run, run.firstPage().get(10, TimeUnit.SECONDS), seen).get(10, TimeUnit.SECONDS);
        assertEquals(ids, seen.stream().sorted(java.util.Comparator.comparing(ids::indexOf)).collect(Collectors.toList()));
        assertEquals(Set.copyOf(ids), Set.copyOf(seen));
        assertNotNull(token);

        records.delete("account", ids.get(4));
        TestSubscriber<Change> subscriber = TestSubscriber.requestingAll();
        async.changes("account", twoPerPage.since(token)).subscribe(subscriber);
        List<Change> delta = subscriber.done.get(10, TimeUnit.SECONDS);
        assertEquals(1, delta.size());
        assertTrue(delta.get(0).isDeleted());
        assertEquals(ids.get(4), delta.get(0).getId());
    }

    private static CompletableFuture<String> applyAll(ChangePublisher run, ChangePage page, List<UUID> seen) {
        page.getChanges().forEach(change -> seen.add(change.getId()));
        return page.hasNext()
            ? run.nextPage(page.getContinuationToken()).thenCompose(next -> applyAll(run, next, seen))
            : CompletableFuture.completedFuture(page.getDeltaToken());
    }

    @Test
    void anUnknownDeltaTokenFailsWithDeltaTokenExpiredExceptionBlockingAndAsync() {
        ChangeTrackingOptions stale = ChangeTrackingOptions.builder().deltaToken("1!01/01/2020 00:00:00").build();
        DeltaTokenExpiredException blocking = assertThrows(DeltaTokenExpiredException.class, () -> records.changes("account", stale).iterator().hasNext());
        assertEquals("0x80044352", blocking.getErrorCode());
        assertTrue(blocking.getMessage().contains("full resync"), blocking.getMessage());
        ExecutionException async = assertThrows(ExecutionException.class,
            () -> client.async().records().changes("account", stale).firstPage().get(10, TimeUnit.SECONDS));
        assertInstanceOf(DeltaTokenExpiredException.class, async.getCause());
    }

    @Test
    void unsupportedOptionsAndForeignTokensAreRefusedBeforeAnythingIsSent() {
        // A token is checked against the table's entity set, which the client looks up (and caches) first.
        assertEquals(0, records.changes("account").stream().count());
        long before = requests();
        ListOptions filtered = ListOptions.builder().filter(Filter.eq("name", "x")).build();
        InvalidInputException refused = assertThrows(InvalidInputException.class, () -> ChangeTrackingOptions.from(filtered));
        assertTrue(refused.getMessage().contains("'filter'"), refused.getMessage());
        String foreign = emulator.getApiUrl() + "/contacts?$skiptoken=x";
        assertThrows(InvalidInputException.class, () -> records.changes("account").iterableByPage(foreign).iterator().hasNext());
        assertThrows(InvalidInputException.class, () -> records.changes("account").iterableByPage(" "));
        assertEquals(0, requests() - before);
    }

    @Test
    void tablesReadAndEnableChangeTrackingAndATableWithoutItFailsWithTheServicesError() {
        TableInfo plain = client.tables().create(TableSpec.builder("new_Reading", "Reading").build());
        assertFalse(plain.getChangeTrackingEnabled());
        BadRequestException off = assertThrows(BadRequestException.class, () -> records.changes("new_reading").iterator().hasNext());
        assertEquals("0x80072491", off.getErrorCode());

        TableInfo enabled = client.tables().enableChangeTracking("new_reading");
        assertTrue(enabled.getChangeTrackingEnabled());
        records.create("new_reading", Map.of("new_name", "tracked"));
        assertEquals(1, records.changes("new_reading").stream().count());

        TableInfo created = client.tables().create(TableSpec.builder("new_Gauge", "Gauge").changeTrackingEnabled(true).build());
        assertTrue(created.getChangeTrackingEnabled());
        client.tables().delete("new_reading");
        client.tables().delete("new_gauge");
    }
}
