package dev.dataverse.java;

import dev.dataverse.Filter;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataverse.BadRequestException;
import dev.dataverse.BulkFailure;
import dev.dataverse.BulkOperationException;
import dev.dataverse.BulkOptions;
import dev.dataverse.BulkOutcome;
import dev.dataverse.BulkProgress;
import dev.dataverse.BulkResult;
import dev.dataverse.InvalidInputException;
import dev.dataverse.ListOptions;
import dev.dataverse.NotFoundException;
import dev.dataverse.DataverseRecord;
import dev.dataverse.RecordChange;
import dev.dataverse.RecordKey;
import dev.dataverse.OperationInterruptedException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The bulk operations of {@link BlockingRecords}, from Java, against the emulator's bulk actions and {@code $batch}. */
class BlockingRecordsBulkTest extends EmulatorTestSupport {
    /** Longer than the 160 characters the service allows for an account's name. */
    static final String TOO_LONG = "x".repeat(161);

    static Map<String, Object> account(int i) {
        return Map.of("name", "Account " + i, "numberofemployees", i);
    }

    static List<Map<String, Object>> accounts(int count) {
        return IntStream.range(0, count).mapToObj(BlockingRecordsBulkTest::account).collect(Collectors.toList());
    }

    static BulkOptions chunksOf(int size) {
        return BulkOptions.builder().chunkSize(size).build();
    }

    /** A progress listener recording every report; a Java lambda implements the core's fun interface. */
    static final class Reports {
        final List<BulkProgress> all = Collections.synchronizedList(new ArrayList<>());
        final Set<Thread> threads = ConcurrentHashMap.newKeySet();

        BulkOptions.Builder options(int chunkSize) {
            return BulkOptions.builder().chunkSize(chunkSize).onProgress(progress -> {
                threads.add(Thread.currentThread());
                all.add(progress);
            });
        }

        BulkProgress last() {
            return all.get(all.size() - 1);
        }
    }

    /** A stream that counts the elements read from it and records whether it was closed. */
    static final class CountingStream {
        final AtomicInteger read = new AtomicInteger();
        final AtomicBoolean closed = new AtomicBoolean();

        <T> Stream<T> of(Stream<T> source) {
            return source.peek(ignored -> read.incrementAndGet()).onClose(() -> closed.set(true));
        }
    }

    @Test
    void createManyCreatesEveryRecordInChunksWithIdsInInputOrderAndReportsIncreasingProgress() {
        Reports reports = new Reports();

        BulkResult result = records.createMany("account", accounts(2500), reports.options(500).build());

        assertTrue(result.isSuccess());
        assertEquals(2500, result.getSize());
        assertEquals(2500, result.getSucceeded());
        assertEquals(0, result.getNotAttempted());
        assertTrue(result.getFailures().isEmpty());
        assertEquals(2500, emulator.recordCount("account"));
        List<UUID> ids = result.getIds();
        assertEquals(2500, ids.size());
        assertEquals(2500, new HashSet<>(ids).size());
        for (int i : new int[] {0, 1, 499, 500, 1234, 2000, 2499}) {
            assertEquals(BulkOutcome.SUCCEEDED, result.outcome(i));
            DataverseRecord record = records.get("account", ids.get(i));
            assertEquals(i, record.getInt("numberofemployees"), "record #" + i);
            assertEquals("Account " + i, record.getString("name"));
        }
        assertEquals(5, reports.all.size(), reports.all.toString());
        for (int i = 1; i < reports.all.size(); i++) {
            assertTrue(reports.all.get(i).getProcessed() > reports.all.get(i - 1).getProcessed(), reports.all.toString());
        }
        reports.all.forEach(progress -> assertEquals(2500, progress.getTotal()));
        assertEquals(2500, reports.last().getProcessed());
        assertEquals(2500, reports.last().getSucceeded());
        assertEquals(0, reports.last().getFailed());
        assertEquals(Set.of(Thread.currentThread()), reports.threads, "progress is reported on the calling thread");
    }

    @Test
    void createManyWithDefaultOptionsAndChosenIds() {
        UUID chosen = UUID.randomUUID();
        List<Map<String, Object>> rows = List.of(Map.of("name", "Chosen", "accountid", chosen), Map.of("name", "Assigned"));

        BulkResult result = records.createMany("account", rows);

        assertEquals(chosen, result.getIds().get(0));
        assertEquals("Chosen", records.get("account", chosen).getString("name"));
        assertEquals("Assigned", records.get("account", result.getIds().get(1)).getString("name"));
    }

    @Test
    void aStreamIsReadLazilyNeverMoreThanMaxParallelismPlusOneChunksAheadOfWhatIsDone() {
        int chunkSize = 100;
        int parallelism = 2;
        int count = 3000;
        AtomicInteger done = new AtomicInteger();
        AtomicInteger read = new AtomicInteger();
        AtomicInteger furthestAhead = new AtomicInteger();
        AtomicBoolean closed = new AtomicBoolean();
        AtomicInteger next = new AtomicInteger();
        Stream<Map<String, Object>> stream = Stream.generate(() -> account(next.getAndIncrement()))
                .limit(count)
                .peek(ignored -> furthestAhead.accumulateAndGet(read.incrementAndGet() - done.get(), Math::max))
                .onClose(() -> closed.set(true));
        BulkOptions options = BulkOptions.builder().chunkSize(chunkSize).maxParallelism(parallelism)
                .onProgress(progress -> done.set(progress.getProcessed()))
                .build();

        BulkResult result = records.createMany("account", stream, options);

        assertEquals(count, result.getSize());
        assertTrue(result.isSuccess());
        assertEquals(count, emulator.recordCount("account"));
        assertEquals(count, read.get());
        assertTrue(furthestAhead.get() <= (parallelism + 1) * chunkSize,
                "read " + furthestAhead.get() + " inputs ahead of those done");
        assertTrue(closed.get(), "the stream was closed");
        assertEquals(account(2999).get("numberofemployees"), records.get("account", result.getIds().get(2999)).getInt("numberofemployees"));
    }

    @Test
    void anEndlessStreamStopsBeingReadWhenAFailFastOperationStops() {
        CountingStream counting = new CountingStream();
        AtomicInteger next = new AtomicInteger();
        Stream<Map<String, Object>> endless = counting.of(Stream.generate(() -> {
            int i = next.getAndIncrement();
            return i == 250 ? Map.<String, Object>of("name", TOO_LONG) : account(i);
        }));

        BulkOperationException e = assertThrows(BulkOperationException.class,
                () -> records.createMany("account", endless, BulkOptions.builder().chunkSize(100).maxParallelism(1).build()));

        BulkResult result = e.getResult();
        assertEquals(List.of(250), result.getFailures().stream().map(BulkFailure::getIndex).collect(Collectors.toList()));
        assertEquals(299, result.getSucceeded());
        for (int i = 300; i < result.getSize(); i++) assertEquals(BulkOutcome.NOT_ATTEMPTED, result.outcome(i));
        assertEquals(299, emulator.recordCount("account"));
        assertTrue(counting.read.get() <= 500, counting.read.get() + " read");
        assertTrue(counting.closed.get());
    }

    @Test
    void failFastStopsAtTheChunkWithABadRecordWhoseOthersAreCreatedAndAttemptsNoLaterChunk() {
        List<Map<String, Object>> rows = new ArrayList<>(accounts(2500));
        Map<String, Object> bad = Map.of("name", TOO_LONG, "numberofemployees", 700);
        rows.set(700, bad);
        Reports reports = new Reports();

        BulkOperationException e = assertThrows(BulkOperationException.class,
                () -> records.createMany("account", rows, reports.options(500).maxParallelism(1).build()));

        BulkResult result = e.getResult();
        assertFalse(result.isSuccess());
        assertEquals(1, result.getFailures().size());
        BulkFailure failure = result.getFailures().get(0);
        assertEquals(700, failure.getIndex());
        assertEquals(bad, failure.getInput());
        assertInstanceOf(BadRequestException.class, failure.getError());
        assertEquals(BulkOutcome.FAILED, result.outcome(700));
        assertNull(result.getIds().get(700));
        assertEquals(999, result.getSucceeded());
        for (int i = 0; i < 1000; i++) {
            if (i != 700) assertEquals(BulkOutcome.SUCCEEDED, result.outcome(i), "input #" + i);
        }
        assertEquals(2500, result.getSize(), "every input of the list has an outcome");
        assertEquals(1500, result.getNotAttempted());
        for (int i = 1000; i < 2500; i++) assertEquals(BulkOutcome.NOT_ATTEMPTED, result.outcome(i), "input #" + i);
        assertEquals(999, emulator.recordCount("account"));
        assertEquals(result.getIds().get(701), records.get("account", RecordKey.id(result.getIds().get(701))).getId());
        assertEquals(1000, reports.last().getProcessed());
        assertEquals(1, reports.last().getFailed());
        assertTrue(e.getMessage().contains("#700"), e.getMessage());
    }

    @Test
    void continueOnErrorCreatesEveryGoodRecordAndListsTheFailures() {
        List<Map<String, Object>> rows = new ArrayList<>(accounts(1200));
        for (int i : new int[] {3, 650, 1199}) rows.set(i, Map.of("name", TOO_LONG));
        Reports reports = new Reports();

        BulkResult result = records.createMany("account", rows, reports.options(500).continueOnError(true).build());

        assertEquals(List.of(3, 650, 1199), result.getFailures().stream().map(BulkFailure::getIndex).collect(Collectors.toList()));
        result.getFailures().forEach(failure -> assertInstanceOf(BadRequestException.class, failure.getError()));
        assertEquals(1197, result.getSucceeded());
        assertEquals(0, result.getNotAttempted());
        assertNull(result.getIds().get(650));
        assertNotNull(result.getIds().get(651));
        assertEquals(1197, emulator.recordCount("account"));
        assertEquals(1200, reports.last().getProcessed());
        assertEquals(3, reports.last().getFailed());
    }

    @Test
    void anInvalidInputOfAStreamFailsOnItsOwnAndIsNeverSent() {
        Stream<Map<String, Object>> rows = Stream.of(account(0), Map.of("name", new Object()), account(2));

        BulkResult result = records.createMany("account", rows, BulkOptions.builder().continueOnError(true).build());

        assertEquals(1, result.getFailures().size());
        assertEquals(1, result.getFailures().get(0).getIndex());
        assertInstanceOf(InvalidInputException.class, result.getFailures().get(0).getError());
        assertEquals(2, emulator.recordCount("account"));
    }

    @Test
    void updateManyByIdChangesEveryRecord() {
        List<UUID> ids = records.createMany("account", accounts(30)).getIds();
        List<RecordChange> changes = IntStream.range(0, 30)
                .mapToObj(i -> RecordChange.of(ids.get(i), Map.of("numberofemployees", 1000 + i)))
                .collect(Collectors.toList());
        Reports reports = new Reports();

        BulkResult result = records.updateMany("account", changes, reports.options(10).build());

        assertTrue(result.isSuccess());
        assertEquals(ids, result.getIds());
        assertEquals(30, emulator.recordCount("account"));
        for (int i : new int[] {0, 15, 29}) {
            DataverseRecord record = records.get("account", ids.get(i));
            assertEquals(1000 + i, record.getInt("numberofemployees"));
            assertEquals("Account " + i, record.getString("name"), "columns not in the change are kept");
        }
        assertEquals(3, reports.all.size());
    }

    @Test
    void updateManyNeverCreatesAMissingRecordButReportsItAlone() {
        List<UUID> ids = records.createMany("account", accounts(5)).getIds();
        UUID missing = UUID.randomUUID();
        List<RecordChange> changes = new ArrayList<>();
        ids.forEach(id -> changes.add(RecordChange.of(id, Map.of("telephone1", "555-0100"))));
        changes.add(2, RecordChange.of(missing, Map.of("telephone1", "555-0199")));

        BulkResult result = records.updateMany("account", changes, BulkOptions.builder().continueOnError(true).build());

        assertEquals(1, result.getFailures().size());
        assertEquals(2, result.getFailures().get(0).getIndex());
        assertInstanceOf(NotFoundException.class, result.getFailures().get(0).getError());
        assertEquals(5, result.getSucceeded());
        assertEquals(5, emulator.recordCount("account"));
        assertEquals("555-0100", records.get("account", ids.get(4)).getString("telephone1"));
    }

    @Test
    void upsertManyByAlternateKeyCreatesThenUpdates() {
        createAccountNumberKey();
        List<RecordChange> first = IntStream.range(0, 20)
                .mapToObj(i -> RecordChange.of(RecordKey.alternate("accountnumber", "AK-" + i), Map.of("name", "First " + i)))
                .collect(Collectors.toList());

        BulkResult created = records.upsertMany("account", first, chunksOf(8));

        assertTrue(created.isSuccess());
        assertEquals(20, emulator.recordCount("account"));
        created.getIds().forEach(id -> assertNull(id, "UpsertMultiple returns no ids"));
        UUID before = records.get("account", RecordKey.alternate("accountnumber", "AK-7")).getId();

        List<RecordChange> second = IntStream.range(5, 25)
                .mapToObj(i -> RecordChange.of(RecordKey.alternate("accountnumber", "AK-" + i), Map.of("name", "Second " + i)))
                .collect(Collectors.toList());
        BulkResult upserted = records.upsertMany("account", second, chunksOf(8));

        assertTrue(upserted.isSuccess());
        assertEquals(25, emulator.recordCount("account"));
        DataverseRecord updated = records.get("account", RecordKey.alternate("accountnumber", "AK-7"));
        assertEquals("Second 7", updated.getString("name"));
        assertEquals(before, updated.getId());
        assertEquals("First 4", records.get("account", RecordKey.alternate("accountnumber", "AK-4")).getString("name"));
        assertEquals("Second 24", records.get("account", RecordKey.alternate("accountnumber", "AK-24")).getString("name"));
        assertEquals("AK-24", records.get("account", RecordKey.alternate("accountnumber", "AK-24")).getString("accountnumber"));
    }

    @Test
    void upsertManyByIdReturnsTheKeysIds() {
        UUID existing = records.create("account", Map.of("name", "Old"));
        UUID fresh = UUID.randomUUID();

        BulkResult result = records.upsertMany("account",
                List.of(RecordChange.of(existing, Map.of("name", "New")), RecordChange.of(fresh, Map.of("name", "Fresh"))));

        assertEquals(List.of(existing, fresh), result.getIds());
        assertEquals("New", records.get("account", existing).getString("name"));
        assertEquals("Fresh", records.get("account", fresh).getString("name"));
    }

    @Test
    void deleteManyDeletesAndReportsAMissingRecordAsTheFailureOfItsInputAlone() {
        List<UUID> ids = records.createMany("account", accounts(50)).getIds();
        List<RecordKey> keys = ids.stream().map(RecordKey::id).collect(Collectors.toCollection(ArrayList::new));
        keys.add(10, RecordKey.id(UUID.randomUUID()));

        BulkResult result = records.deleteMany("account", keys, BulkOptions.builder().chunkSize(20).continueOnError(true).build());

        assertEquals(51, result.getSize());
        assertEquals(50, result.getSucceeded());
        assertEquals(List.of(10), result.getFailures().stream().map(BulkFailure::getIndex).collect(Collectors.toList()));
        assertInstanceOf(NotFoundException.class, result.getFailures().get(0).getError());
        assertEquals(ids.get(0), result.getIds().get(0));
        assertEquals(0, emulator.recordCount("account"));
    }

    @Test
    void deleteManyOfTheRecordsAListingStreams() {
        records.createMany("account", accounts(120));
        records.create("account", Map.of("name", "Keep me"));
        ListOptions options = ListOptions.builder().select("accountid").filter(Filter.raw("startswith(name,'Account ')")).pageSize(25).build();

        BulkResult result;
        try (Stream<DataverseRecord> matching = records.list("account", options).stream()) {
            result = records.deleteMany("account", matching.map(record -> RecordKey.id(record.getId())), chunksOf(50));
        }

        assertEquals(120, result.getSucceeded());
        assertEquals(1, emulator.recordCount("account"));
    }

    @Test
    void updateAndUpsertAndDeleteTakeStreamsToo() {
        createAccountNumberKey();
        List<UUID> ids = records.createMany("account", accounts(10)).getIds();
        CountingStream updates = new CountingStream();
        CountingStream upserts = new CountingStream();
        CountingStream deletes = new CountingStream();

        records.updateMany("account", updates.of(ids.stream().map(id -> RecordChange.of(id, Map.of("telephone1", "1")))));
        records.upsertMany("account", upserts.of(Stream.of(RecordChange.of(RecordKey.alternate("accountnumber", "S-1"), Map.of("name", "S")))));
        BulkResult deleted = records.deleteMany("account", deletes.of(ids.stream().limit(4).map(RecordKey::id)), chunksOf(3));

        assertEquals("1", records.get("account", ids.get(9)).getString("telephone1"));
        assertEquals(4, deleted.getSucceeded());
        assertEquals(7, emulator.recordCount("account"));
        assertTrue(updates.closed.get() && upserts.closed.get() && deletes.closed.get());
        assertEquals(10, updates.read.get());
    }

    @Test
    void anEmptyListIsRefusedBeforeAnythingIsSent() {
        assertThrows(InvalidInputException.class, () -> records.createMany("account", List.of()));
        assertThrows(InvalidInputException.class, () -> records.updateMany("account", List.of()));
        assertThrows(InvalidInputException.class, () -> records.upsertMany("account", List.of(), chunksOf(5)));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> records.deleteMany("account", List.<RecordKey>of()));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        assertEquals(0, requests());
    }

    @Test
    void anInvalidOrNullInputOfAListIsRefusedBeforeAnythingIsSent() {
        List<Map<String, Object>> rows = new ArrayList<>(accounts(3));
        rows.set(1, Map.of("name", new Object()));
        InvalidInputException invalid = assertThrows(InvalidInputException.class, () -> records.createMany("account", rows));
        assertTrue(invalid.getMessage().contains("#1"), invalid.getMessage());

        List<RecordKey> keys = new ArrayList<>();
        keys.add(RecordKey.id(UUID.randomUUID()));
        keys.add(null);
        InvalidInputException nullKey = assertThrows(InvalidInputException.class, () -> records.deleteMany("account", keys));
        assertTrue(nullKey.getMessage().contains("#1"), nullKey.getMessage());

        assertThrows(InvalidInputException.class, () -> records.createMany("not a table", accounts(1)));
        assertThrows(InvalidInputException.class, () -> BulkOptions.builder().chunkSize(1001).build());
        assertThrows(InvalidInputException.class, () -> BulkOptions.builder().maxParallelism(0).build());
        assertEquals(0, emulator.recordCount("account"));
    }

    @Test
    void anEmptyStreamReturnsAnEmptyResultAndIsClosed() {
        CountingStream counting = new CountingStream();

        BulkResult result = records.deleteMany("account", counting.of(Stream.<RecordKey>empty()));

        assertEquals(0, result.getSize());
        assertTrue(result.isSuccess());
        assertTrue(counting.closed.get());
    }

    @Test
    void aNullElementOfAStreamFailsTheCallNamingItsPositionAndTheStreamIsClosed() {
        CountingStream counting = new CountingStream();
        List<RecordChange> changes = new ArrayList<>();
        changes.add(RecordChange.of(UUID.randomUUID(), Map.of("name", "a")));
        changes.add(null);

        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> records.updateMany("account", counting.of(changes.stream())));

        assertTrue(e.getMessage().contains("#1"), e.getMessage());
        assertTrue(counting.closed.get());
    }

    @Test
    void anExceptionThrownByTheStreamEndsTheCallAndTheStreamIsClosed() {
        CountingStream counting = new CountingStream();
        Stream<Map<String, Object>> failing = counting.of(IntStream.range(0, 1000).mapToObj(i -> {
            if (i == 600) throw new IllegalStateException("the source broke at 600");
            return account(i);
        }));

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> records.createMany("account", failing, chunksOf(100)));

        assertTrue(e.getMessage().contains("600"), e.getMessage());
        assertTrue(counting.closed.get());
    }

    @Test
    void theStreamIsClosedWhenTheCallFailsBeforeReadingIt() {
        CountingStream counting = new CountingStream();

        assertThrows(InvalidInputException.class, () -> records.createMany("bad table!", counting.of(accounts(3).stream())));

        assertTrue(counting.closed.get());
        assertEquals(0, counting.read.get());
        assertEquals(0, requests());
    }

    @Test
    void interruptingTheCallingThreadCancelsABulkOperationAndClosesTheStream() throws Exception {
        CountingStream counting = new CountingStream();
        AtomicInteger next = new AtomicInteger();
        Stream<Map<String, Object>> endless = counting.of(Stream.generate(() -> account(next.getAndIncrement())));
        CountDownLatch firstChunkDone = new CountDownLatch(1);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean interruptedAfterwards = new AtomicBoolean();
        BulkOptions options = BulkOptions.builder().chunkSize(50).maxParallelism(2).onProgress(p -> firstChunkDone.countDown()).build();
        Thread caller = new Thread(() -> {
            try {
                records.createMany("account", endless, options);
            } catch (Throwable t) {
                thrown.set(t);
            }
            interruptedAfterwards.set(Thread.currentThread().isInterrupted());
        });

        caller.start();
        assertTrue(firstChunkDone.await(30, TimeUnit.SECONDS));
        caller.interrupt();
        caller.join(30_000);

        assertFalse(caller.isAlive());
        OperationInterruptedException interrupted = assertInstanceOf(OperationInterruptedException.class, thrown.get());
        assertTrue(interruptedAfterwards.get());
        // What was written before the interrupt: at least the first chunk, and exactly what the emulator holds.
        BulkResult partial = interrupted.getPartialResult();
        assertNotNull(partial, "an interrupted bulk operation reports what it wrote");
        assertTrue(partial.getSucceeded() >= 50, partial.toString());
        long stored = records.list("account").stream().count();
        int inFlight = (int) partial.getFailures().stream()
                .filter(f -> f.getError().getMessage().contains("may or may not have applied")).count();
        assertTrue(stored >= partial.getSucceeded() && stored <= partial.getSucceeded() + inFlight,
                "stored " + stored + " for " + partial);
        assertEquals(partial.getSucceeded(), partial.getSucceededIds().size());
        assertTrue(counting.closed.get());
        int readWhenClosed = counting.read.get();
        Thread.sleep(100);
        assertEquals(readWhenClosed, counting.read.get(), "nothing is read after the call returned");
    }
}
