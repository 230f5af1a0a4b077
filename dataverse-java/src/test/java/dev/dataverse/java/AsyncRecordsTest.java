package dev.dataverse.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataverse.ClientClosedException;
import dev.dataverse.InvalidInputException;
import dev.dataverse.ListOptions;
import dev.dataverse.MatchConditions;
import dev.dataverse.NotFoundException;
import dev.dataverse.Page;
import dev.dataverse.PreconditionFailedException;
import dev.dataverse.DataverseRecord;
import dev.dataverse.RecordKey;
import dev.dataverse.RetrieveOptions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AsyncRecordsTest extends EmulatorTestSupport {
    private final ListOptions fivePerPage = ListOptions.builder().pageSize(5).build();
    private AsyncRecords async;

    @BeforeEach
    void asyncView() {
        async = client.async().records();
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(30, TimeUnit.SECONDS);
    }

    private Set<UUID> create(int count) {
        Set<UUID> ids = new HashSet<>();
        for (int i = 0; i < count; i++) ids.add(records.create("account", Map.of("name", "Account " + i)));
        return ids;
    }

    @Test
    void createGetUpdateDeleteComposeAsFutures() throws Exception {
        CompletableFuture<DataverseRecord> flow = async.create("account", Map.of("name", "Async Ltd", "numberofemployees", 7))
                .thenCompose(id -> async.update("account", id, Map.of("numberofemployees", 8)).thenApply(ignored -> id))
                .thenCompose(id -> async.get("account", id, RetrieveOptions.builder().select("name", "numberofemployees").build()));

        DataverseRecord account = await(flow);

        assertEquals("Async Ltd", account.getString("name"));
        assertEquals(8, account.getInt("numberofemployees"));
        assertNull(await(async.delete("account", account.getId())));
        assertEquals(0, emulator.recordCount("account"));
    }

    @Test
    void upsertByAlternateKeyAndGetByKey() throws Exception {
        createAccountNumberKey();
        RecordKey key = RecordKey.alternate("accountnumber", "A/1 'x'");

        UUID created = await(async.upsert("account", key, Map.of("name", "One")));
        UUID updated = await(async.upsert("account", key, Map.of("name", "Two")));

        assertEquals(created, updated);
        assertEquals("Two", await(async.get("account", key)).getString("name"));
        await(async.update("account", key, Map.of("name", "Three")));
        assertEquals("Three", records.get("account", created).getString("name"));
        await(async.delete("account", key));
        assertEquals(0, emulator.recordCount("account"));
    }

    @Test
    void getOnAFailingFutureThrowsExecutionExceptionCausedByNotFound() {
        CompletableFuture<DataverseRecord> missing = async.get("account", UUID.randomUUID());

        ExecutionException e = assertThrows(ExecutionException.class, () -> missing.get(30, TimeUnit.SECONDS));
        assertInstanceOf(NotFoundException.class, e.getCause());
        CompletionException joined = assertThrows(CompletionException.class, missing::join);
        assertInstanceOf(NotFoundException.class, joined.getCause());
        assertFalse(missing.isCancelled());
    }

    @Test
    void aStaleETagFailsTheFutureWithPreconditionFailed() throws Exception {
        UUID id = records.create("account", Map.of("name", "v1"));
        String etag = records.get("account", id).getEtag();
        records.update("account", id, Map.of("name", "v2"));

        ExecutionException e = assertThrows(ExecutionException.class,
                () -> await(async.update("account", id, Map.of("name", "v3"), MatchConditions.ifMatch(etag))));

        assertInstanceOf(PreconditionFailedException.class, e.getCause());
        assertEquals("v2", records.get("account", id).getString("name"));
    }

    @Test
    void invalidInputFailsTheReturnedFutureAtOnceWithoutARequest() {
        CompletableFuture<UUID> badTable = async.create("account/../x", Map.of("name", "x"));
        CompletableFuture<UUID> badColumn = async.create("account", Map.of("name'", "x"));
        CompletableFuture<UUID> badValue = async.create("account", Map.of("description", new Object()));

        for (CompletableFuture<UUID> future : List.of(badTable, badColumn, badValue)) {
            assertTrue(future.isCompletedExceptionally(), "failed before the method returned");
            ExecutionException e = assertThrows(ExecutionException.class, future::get);
            assertInstanceOf(InvalidInputException.class, e.getCause());
        }
        assertTrue(assertThrows(ExecutionException.class, badValue::get).getCause().getMessage().contains("description"));
        assertEquals(0, requests());
    }

    @Test
    void pagesChainFromTheFirstToTheLastWithNextPage() throws Exception {
        Set<UUID> created = create(23);
        List<Page> pages = new ArrayList<>();

        PagedPublisher listing = async.list("account", fivePerPage);
        Page page = await(listing.firstPage());
        pages.add(page);
        while (page.hasNext()) {
            page = await(listing.nextPage(page.getContinuationToken()));
            pages.add(page);
        }

        assertEquals(5, pages.size());
        Set<UUID> seen = pages.stream().flatMap(p -> p.getRecords().stream()).map(DataverseRecord::getId).collect(Collectors.toSet());
        assertEquals(created, seen);
        ExecutionException e = assertThrows(ExecutionException.class, () -> await(listing.nextPage("https://evil.example/api/data/v9.2/accounts?$skiptoken=1")));
        assertInstanceOf(InvalidInputException.class, e.getCause());
    }

    @Test
    void pageWithAContinuationTokenFetchesThatPage() throws Exception {
        create(7);

        Page first = await(async.page("account", fivePerPage, null));
        Page second = await(async.page("account", fivePerPage, first.getContinuationToken()));

        assertEquals(5, first.getRecords().size());
        assertEquals(2, second.getRecords().size());
        assertFalse(second.hasNext());
    }

    @Test
    void aPublisherDeliversEveryRecordToASubscriberThenCompletes() throws Exception {
        Set<UUID> created = create(23);
        TestSubscriber<DataverseRecord> subscriber = TestSubscriber.requestingAll();

        async.list("account", fivePerPage).subscribe(subscriber);

        List<DataverseRecord> received = subscriber.await();
        assertEquals(23, received.size());
        assertEquals(created, received.stream().map(DataverseRecord::getId).collect(Collectors.toSet()));
    }

    @Test
    void aPublisherFetchesOnlyWhatTheSubscriberAsksFor() throws Exception {
        create(23);
        long before = requests();
        TestSubscriber<DataverseRecord> oneByOne = TestSubscriber.oneAtATimeCancellingAfter(3);

        async.list("account", fivePerPage).subscribe(oneByOne);

        assertEquals(3, oneByOne.await().size());
        assertEquals(1, requests() - before, "three records of a page of five take one request");
    }

    @Test
    void aPublisherSignalsInvalidInputAndServiceErrorsThroughOnError() {
        TestSubscriber<DataverseRecord> invalid = TestSubscriber.requestingAll();
        async.list("account/../x").subscribe(invalid);
        ExecutionException e = assertThrows(ExecutionException.class, invalid::await);
        assertInstanceOf(InvalidInputException.class, e.getCause());
        assertEquals(0, requests());

        TestSubscriber<DataverseRecord> missing = TestSubscriber.requestingAll();
        async.list("nosuchtable").subscribe(missing);
        ExecutionException notFound = assertThrows(ExecutionException.class, missing::await);
        assertInstanceOf(NotFoundException.class, notFound.getCause());
    }

    @Test
    void afterCloseFuturesAndPublishersFailWithClientClosedWithoutARequest() {
        client.close();

        CompletableFuture<UUID> create = async.create("account", Map.of("name", "late"));
        assertInstanceOf(ClientClosedException.class, assertThrows(ExecutionException.class, create::get).getCause());
        TestSubscriber<DataverseRecord> subscriber = TestSubscriber.requestingAll();
        async.list("account").subscribe(subscriber);
        assertInstanceOf(ClientClosedException.class, assertThrows(ExecutionException.class, subscriber::await).getCause());
        assertEquals(0, requests());
    }
}
