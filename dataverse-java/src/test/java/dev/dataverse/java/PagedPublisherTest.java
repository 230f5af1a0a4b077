package dev.dataverse.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataverse.DataverseRecord;
import dev.dataverse.InvalidInputException;
import dev.dataverse.ListOptions;
import dev.dataverse.Page;
import dev.dataverse.emulator.FaultKind;
import dev.dataverse.emulator.FaultRule;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The asynchronous listing: records and pages as publishers, page futures, exact laziness, cancellation. */
class PagedPublisherTest extends EmulatorTestSupport {
    private final ListOptions fivePerPage = ListOptions.builder().pageSize(5).build();
    private AsyncRecords async;

    @BeforeEach
    void create23Accounts() {
        async = client.async().records();
        for (int i = 0; i < 23; i++) {
            records.create("account", Map.of("name", "Account " + i));
        }
    }

    @Test
    void nothingIsSentUntilASubscriberRequestsAndThenOnlyThePagesItsDemandNeeds() throws Exception {
        long before = requests();
        PagedPublisher listing = async.list("account", fivePerPage);
        ManualSubscriber<DataverseRecord> subscriber = new ManualSubscriber<>();
        listing.subscribe(subscriber);
        assertEquals(0, requests() - before);

        subscriber.request(5);
        assertEquals(5, subscriber.take(5).size());
        assertEquals(1, requests() - before, "the first page");

        subscriber.request(1);
        subscriber.take(1);
        assertEquals(2, requests() - before, "the sixth record needs the second page");

        subscriber.cancel();
        assertEquals(2, requests() - before);
    }

    @Test
    void cancellingTheSubscriptionWhileAPageIsInFlightAbortsThatRequestAndFetchesNothingMore() throws Exception {
        ManualSubscriber<DataverseRecord> subscriber = new ManualSubscriber<>();
        async.list("account", fivePerPage).subscribe(subscriber);
        subscriber.request(5);
        subscriber.take(5);
        long before = requests();
        emulator.faults().add(FaultRule.builder(FaultKind.LATENCY).latencyMillis(600_000).pathPattern("accounts").build());

        subscriber.request(10);
        waitFor(() -> emulator.getStats().getInFlight() == 1);
        subscriber.cancel();

        // The page's coroutine was cancelled and closed its exchange: the emulator sees the client hang up.
        waitFor(() -> emulator.getStats().getDisconnects() == 1);
        emulator.faults().clear();
        assertEquals(1, requests() - before, "only the second page was requested");
        assertEquals(0, emulator.getStats().getInFlight());
        assertTrue(subscriber.received.isEmpty(), "no record after the first page reached the subscriber");
        assertNull(subscriber.error);
        assertFalse(subscriber.completed);
    }

    @Test
    void pagesArePublishedWithTheirTokensAndAListingResumesFromOne() throws Exception {
        TestSubscriber<Page> pages = TestSubscriber.requestingAll();
        async.list("account", fivePerPage).byPage().subscribe(pages);
        List<Page> all = pages.await();
        assertEquals(List.of(5, 5, 5, 5, 3), all.stream().map(p -> p.getRecords().size()).toList());
        assertNull(all.get(4).getContinuationToken());

        TestSubscriber<Page> resumed = TestSubscriber.requestingAll();
        async.list("account", fivePerPage).byPage(all.get(2).getContinuationToken()).subscribe(resumed);
        assertEquals(List.of(5, 3), resumed.await().stream().map(p -> p.getRecords().size()).toList());
    }

    @Test
    void pageFuturesOfOneListingShareOneCorrelationId() throws Exception {
        List<String> correlationIds = new CopyOnWriteArrayList<>();
        try (DataverseBlockingClient traced = newBuilder()
                .addPolicy(request -> correlationIds.add(request.header("x-ms-correlation-id")))
                .buildClient()) {
            PagedPublisher listing = traced.async().records().list("account", fivePerPage);
            Page page = listing.firstPage().get(30, TimeUnit.SECONDS);
            while (page.hasNext()) {
                page = listing.nextPage(page.getContinuationToken()).get(30, TimeUnit.SECONDS);
            }
            assertEquals(6, correlationIds.size(), "the table's metadata, then five pages");
            assertEquals(1, Set.copyOf(correlationIds).size());
        }
    }

    @Test
    void invalidInputFailsTheFutureOrReachesOnErrorWithoutARequest() {
        long before = requests();
        PagedPublisher invalid = async.list("account/../x");
        ExecutionException first = assertThrows(ExecutionException.class, () -> invalid.firstPage().get(30, TimeUnit.SECONDS));
        assertInstanceOf(InvalidInputException.class, first.getCause());

        TestSubscriber<Page> pages = TestSubscriber.requestingAll();
        async.list("account", fivePerPage).byPage(" ").subscribe(pages);
        assertInstanceOf(InvalidInputException.class, assertThrows(ExecutionException.class, pages::await).getCause());
        assertEquals(0, requests() - before);
    }

    /** Polls [condition]; the bound only keeps a broken build from hanging. */
    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not reached");
            Thread.sleep(5);
        }
    }

    /** A subscriber the test drives by hand: it requests only what the test asks for. */
    private static final class ManualSubscriber<T> implements Flow.Subscriber<T> {
        final LinkedBlockingQueue<T> received = new LinkedBlockingQueue<>();
        volatile Flow.Subscription subscription;
        volatile Throwable error;
        volatile boolean completed;

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
        }

        @Override
        public void onNext(T item) {
            received.add(item);
        }

        @Override
        public void onError(Throwable throwable) {
            error = throwable;
        }

        @Override
        public void onComplete() {
            completed = true;
        }

        void request(long n) {
            subscription.request(n);
        }

        void cancel() {
            subscription.cancel();
        }

        List<T> take(int count) throws InterruptedException {
            List<T> items = new CopyOnWriteArrayList<>();
            for (int i = 0; i < count; i++) {
                T item = received.poll(30, TimeUnit.SECONDS);
                if (item == null) throw new AssertionError("no item " + i + (error == null ? "" : ": " + error));
                items.add(item);
            }
            return items;
        }
    }
}
