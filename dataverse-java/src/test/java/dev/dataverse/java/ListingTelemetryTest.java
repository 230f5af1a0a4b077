package dev.dataverse.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataverse.AttemptInfo;
import dev.dataverse.AttemptObserver;
import dev.dataverse.ChangePage;
import dev.dataverse.ChangeTrackingOptions;
import dev.dataverse.ClientObserver;
import dev.dataverse.DataverseInstrumentation;
import dev.dataverse.DataverseRecord;
import dev.dataverse.InstrumentedClient;
import dev.dataverse.ListOptions;
import dev.dataverse.OperationInfo;
import dev.dataverse.OperationObserver;
import dev.dataverse.Page;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every listing is one telemetry operation that always ends, however its Java consumer stops: at its last page, when
 * its stream is closed, when it is abandoned half-read (then when the garbage collector finds it unreachable), when its
 * subscription is cancelled; a page future is an operation of its own, ended when the page arrives. An operation left
 * open is a span never exported, and a graceful shutdown that waits for it.
 */
class ListingTelemetryTest extends EmulatorTestSupport {
    private final ListOptions fivePerPage = ListOptions.builder().pageSize(5).build();
    private final Recorder recorder = new Recorder();
    private DataverseBlockingClient traced;

    @BeforeEach
    void create23AccountsAndATracedClient() {
        for (int i = 0; i < 23; i++) {
            records.create("account", Map.of("name", "Account " + i));
        }
        traced = newBuilder().addInstrumentation(recorder).buildClient();
    }

    @AfterEach
    void closeTraced() {
        traced.close();
    }

    @Test
    void aListingReadToItsEndIsOneOperationEndedWithoutError() {
        long count = 0;
        for (DataverseRecord ignored : traced.records().list("account", fivePerPage)) {
            count++;
        }

        assertEquals(23, count);
        assertEquals(List.of("records.list"), recorder.started);
        assertEquals(List.of("records.list:ok"), recorder.ended);
    }

    @Test
    void nothingStartsBeforeTheFirstPageIsAskedFor() {
        Iterator<DataverseRecord> iterator = traced.records().list("account", fivePerPage).iterator();
        Stream<Page> pages = traced.records().list("account", fivePerPage).streamByPage();

        assertEquals(List.of(), recorder.started);
        assertTrue(iterator.hasNext());
        assertEquals(List.of("records.list"), recorder.started);
        pages.close();
    }

    @Test
    void aStreamClosedAfterPartOfTheListingEndsItsOperationAtOnce() {
        try (Stream<DataverseRecord> stream = traced.records().list("account", fivePerPage).stream()) {
            assertEquals(7, stream.limit(7).count());
            assertEquals(List.of(), recorder.ended, "still open: the stream is not closed yet");
        }

        assertEquals(List.of("records.list"), recorder.started);
        assertEquals(List.of("records.list:ok"), recorder.ended);
    }

    @Test
    void aStreamLimitedAndNeverClosedEndsItsOperationOnceItIsUnreachable() {
        assertEquals(7, traced.records().list("account", fivePerPage).stream().limit(7).count());
        assertEquals(1, traced.records().list("account", ListOptions.builder().pageSize(50).build()).stream().limit(1).count());

        awaitCollected(() -> recorder.ended.size() == 2);
        assertEquals(List.of("records.list", "records.list"), recorder.started);
        assertEquals(List.of("records.list:ok", "records.list:ok"), recorder.ended);
    }

    @Test
    void anIteratorDroppedHalfWayEndsItsOperationOnceItIsUnreachable() {
        Iterator<Page> pages = traced.records().list("account", fivePerPage).iterableByPage().iterator();
        pages.next();
        pages.next();
        pages = null;

        awaitCollected(() -> recorder.ended.size() == 1);
        assertEquals(List.of("records.list:ok"), recorder.ended);
        assertNull(pages);
    }

    @Test
    void aFirstPageFutureAloneIsAnOperationEndedWhenThePageArrivesAndTheNextPageKeepsItsCorrelationId() throws Exception {
        PagedPublisher listing = traced.async().records().list("account", fivePerPage);

        Page first = listing.firstPage().get();
        assertEquals(List.of("records.list"), recorder.started);
        assertEquals(List.of("records.list:ok"), recorder.ended);

        listing.nextPage(first.getContinuationToken()).get();
        assertEquals(List.of("records.list:ok", "records.list:ok"), recorder.ended);
        assertEquals(2, recorder.correlationIds.size());
        assertEquals(recorder.correlationIds.get(0), recorder.correlationIds.get(1), "one listing, one correlation id");
    }

    @Test
    void aCancelledSubscriptionEndsItsOperation() throws Exception {
        TestSubscriber<DataverseRecord> subscriber = TestSubscriber.oneAtATimeCancellingAfter(7);
        traced.async().records().list("account", fivePerPage).subscribe(subscriber);

        assertEquals(7, subscriber.await().size());
        awaitCollected(() -> recorder.ended.size() == 1);
        assertEquals(List.of("records.list"), recorder.started);
        assertTrue(recorder.ended.get(0).startsWith("records.list:"), recorder.ended.toString());
    }

    @Test
    void aChangeListingStoppedEarlyEndsItsOperationToo() {
        try (Stream<ChangePage> pages = traced.records().changes("account", ChangeTrackingOptions.builder().pageSize(5).build()).streamByPage()) {
            assertEquals(5, pages.findFirst().orElseThrow().getChanges().size());
        }
        assertEquals(List.of("records.changes:ok"), recorder.ended);

        assertEquals(1, traced.records().changes("account", ChangeTrackingOptions.builder().pageSize(5).build()).stream().limit(1).count());
        awaitCollected(() -> recorder.ended.size() == 2);
        assertEquals(List.of("records.changes:ok", "records.changes:ok"), recorder.ended);
    }

    /**
     * Asks the garbage collector to run until [done] holds; a bound on attempts so that a listing never ended fails the
     * test instead of hanging it, not a timing assertion.
     */
    static void awaitCollected(BooleanSupplier done) {
        List<byte[]> pressure = new ArrayList<>();
        for (int attempt = 0; attempt < 200 && !done.getAsBoolean(); attempt++) {
            System.gc();
            pressure.add(new byte[1024]);
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        assertTrue(done.getAsBoolean(), "the operation was never ended");
    }

    /** Records the listing operations a client starts and ends, as "name" and "name:ok" or "name:ExceptionType". */
    static final class Recorder implements DataverseInstrumentation {
        final List<String> started = new CopyOnWriteArrayList<>();
        final List<String> ended = new CopyOnWriteArrayList<>();
        final List<String> correlationIds = new CopyOnWriteArrayList<>();

        @Override
        public ClientObserver bind(InstrumentedClient client) {
            return this::started;
        }

        private OperationObserver started(OperationInfo operation) {
            boolean listing = operation.getName().equals("records.list") || operation.getName().equals("records.changes");
            if (listing) {
                started.add(operation.getName());
                correlationIds.add(operation.getCorrelationId());
            }
            return new OperationObserver() {
                @Override
                public AttemptObserver attemptStarted(AttemptInfo attempt) {
                    return (response, error) -> { };
                }

                @Override
                public void ended(Throwable error) {
                    if (listing) {
                        ended.add(operation.getName() + ":" + (error == null ? "ok" : error.getClass().getSimpleName()));
                    }
                }
            };
        }
    }
}
