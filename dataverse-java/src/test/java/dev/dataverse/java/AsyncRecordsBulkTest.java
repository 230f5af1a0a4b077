package dev.dataverse.java;

import static dev.dataverse.java.BlockingRecordsBulkTest.TOO_LONG;
import static dev.dataverse.java.BlockingRecordsBulkTest.account;
import static dev.dataverse.java.BlockingRecordsBulkTest.accounts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataverse.BulkFailure;
import dev.dataverse.BulkOperationException;
import dev.dataverse.BulkOptions;
import dev.dataverse.BulkOutcome;
import dev.dataverse.BulkResult;
import dev.dataverse.ClientClosedException;
import dev.dataverse.InvalidInputException;
import dev.dataverse.RecordChange;
import dev.dataverse.RecordKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The bulk operations of {@link AsyncRecords}: they complete and fail as the blocking ones, through the future. */
class AsyncRecordsBulkTest extends EmulatorTestSupport {
    private AsyncRecords async;

    @BeforeEach
    void asyncView() {
        async = client.async().records();
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(60, TimeUnit.SECONDS);
    }

    @Test
    void createManyCompletesWithEveryIdInInputOrderAndReportsProgressOnWorkerThreads() throws Exception {
        Set<String> progressThreads = ConcurrentHashMap.newKeySet();
        AtomicInteger lastProcessed = new AtomicInteger();
        BulkOptions options = BulkOptions.builder().chunkSize(200).onProgress(progress -> {
            progressThreads.add(Thread.currentThread().getName());
            lastProcessed.set(progress.getProcessed());
        }).build();

        BulkResult result = await(async.createMany("account", accounts(1000), options));

        assertTrue(result.isSuccess());
        assertEquals(1000, emulator.recordCount("account"));
        assertEquals(1000, lastProcessed.get());
        assertEquals(617, records.get("account", result.getIds().get(617)).getInt("numberofemployees"));
        assertFalse(progressThreads.contains(Thread.currentThread().getName()));
    }

    @Test
    void aFailFastFailureFailsTheFutureWithTheBulkOperationException() throws Exception {
        List<Map<String, Object>> rows = new ArrayList<>(accounts(30));
        rows.set(12, Map.of("name", TOO_LONG));
        CompletableFuture<BulkResult> future = async.createMany("account", rows, BulkOptions.builder().chunkSize(10).maxParallelism(1).build());

        ExecutionException e = assertThrows(ExecutionException.class, () -> await(future));

        BulkOperationException failed = assertInstanceOf(BulkOperationException.class, e.getCause());
        BulkResult result = failed.getResult();
        assertEquals(List.of(12), result.getFailures().stream().map(BulkFailure::getIndex).collect(Collectors.toList()));
        assertEquals(19, result.getSucceeded());
        assertEquals(BulkOutcome.NOT_ATTEMPTED, result.outcome(20));
        assertEquals(19, emulator.recordCount("account"));
        CompletionException joined = assertThrows(CompletionException.class, future::join);
        assertInstanceOf(BulkOperationException.class, joined.getCause());
    }

    @Test
    void continueOnErrorCompletesWithTheFailuresListed() throws Exception {
        List<Map<String, Object>> rows = new ArrayList<>(accounts(30));
        rows.set(3, Map.of("name", TOO_LONG));
        rows.set(27, Map.of("name", TOO_LONG));

        BulkResult result = await(async.createMany("account", rows, BulkOptions.builder().chunkSize(10).continueOnError(true).build()));

        assertEquals(List.of(3, 27), result.getFailures().stream().map(BulkFailure::getIndex).collect(Collectors.toList()));
        assertEquals(28, emulator.recordCount("account"));
    }

    @Test
    void anEmptyListFailsTheFutureBeforeAnythingIsSent() {
        List<CompletableFuture<BulkResult>> futures = List.of(
                async.createMany("account", List.of()),
                async.updateMany("account", List.of()),
                async.upsertMany("account", List.of()),
                async.deleteMany("account", List.<RecordKey>of(), BulkOptions.DEFAULT));

        for (CompletableFuture<BulkResult> future : futures) {
            assertTrue(future.isCompletedExceptionally(), "failed when returned");
            ExecutionException e = assertThrows(ExecutionException.class, () -> await(future));
            assertInstanceOf(InvalidInputException.class, e.getCause());
        }
        assertEquals(0, requests());
    }

    @Test
    void updateUpsertAndDeleteManyComposeAsFutures() throws Exception {
        createAccountNumberKey();
        List<UUID> ids = await(async.createMany("account", accounts(25))).getIds();

        CompletableFuture<BulkResult> chain = async
                .updateMany("account", ids.stream().map(id -> RecordChange.of(id, Map.of("telephone1", "555"))).collect(Collectors.toList()))
                .thenCompose(updated -> async.upsertMany("account",
                        List.of(RecordChange.of(RecordKey.alternate("accountnumber", "A-1"), Map.of("name", "Upserted")))))
                .thenCompose(upserted -> async.deleteMany("account", ids.stream().limit(20).map(RecordKey::id).collect(Collectors.toList())));

        BulkResult deleted = await(chain);

        assertEquals(20, deleted.getSucceeded());
        assertEquals(6, emulator.recordCount("account"));
        assertEquals("555", records.get("account", ids.get(24)).getString("telephone1"));
        assertEquals("Upserted", records.get("account", RecordKey.alternate("accountnumber", "A-1")).getString("name"));
    }

    @Test
    void aStreamIsConsumedAndClosed() throws Exception {
        BlockingRecordsBulkTest.CountingStream counting = new BlockingRecordsBulkTest.CountingStream();
        AtomicInteger next = new AtomicInteger();
        Stream<Map<String, Object>> rows = counting.of(Stream.generate(() -> account(next.getAndIncrement())).limit(450));

        BulkResult result = await(async.createMany("account", rows, BulkOptions.builder().chunkSize(100).build()));

        assertEquals(450, result.getSucceeded());
        assertEquals(450, emulator.recordCount("account"));
        assertTrue(counting.closed.get());
    }

    @Test
    void cancellingTheFutureStopsReadingTheStreamAndClosesIt() throws Exception {
        BlockingRecordsBulkTest.CountingStream counting = new BlockingRecordsBulkTest.CountingStream();
        CountDownLatch closed = new CountDownLatch(1);
        AtomicInteger next = new AtomicInteger();
        Stream<Map<String, Object>> endless = counting.of(Stream.generate(() -> account(next.getAndIncrement()))).onClose(closed::countDown);
        CountDownLatch firstChunkDone = new CountDownLatch(1);
        BulkOptions options = BulkOptions.builder().chunkSize(50).onProgress(p -> firstChunkDone.countDown()).build();

        CompletableFuture<BulkResult> future = async.createMany("account", endless, options);
        assertTrue(firstChunkDone.await(30, TimeUnit.SECONDS));
        assertTrue(future.cancel(true));

        assertTrue(closed.await(30, TimeUnit.SECONDS), "the stream was closed");
        int readWhenClosed = counting.read.get();
        Thread.sleep(100);
        assertEquals(readWhenClosed, counting.read.get());
        assertTrue(future.isCancelled());
    }

    @Test
    void aStreamGivenToAClosedClientIsClosedAndTheFutureFails() {
        BlockingRecordsBulkTest.CountingStream counting = new BlockingRecordsBulkTest.CountingStream();
        client.close();

        CompletableFuture<BulkResult> future = async.deleteMany("account", counting.of(Stream.of(RecordKey.id(UUID.randomUUID()))));

        ExecutionException e = assertThrows(ExecutionException.class, () -> await(future));
        assertInstanceOf(ClientClosedException.class, e.getCause());
        assertTrue(counting.closed.get());
        assertEquals(0, counting.read.get());
    }

    @Test
    void aNullElementOfAStreamFailsTheFuture() {
        List<RecordKey> keys = new ArrayList<>();
        keys.add(null);

        ExecutionException e = assertThrows(ExecutionException.class, () -> await(async.deleteMany("account", keys.stream())));

        assertInstanceOf(InvalidInputException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("#0"), e.getCause().getMessage());
        assertEquals(0, requests());
    }
}
