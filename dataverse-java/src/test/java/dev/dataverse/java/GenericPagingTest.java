package dev.dataverse.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataverse.Change;
import dev.dataverse.ChangePage;
import dev.dataverse.ChangeTrackingOptions;
import dev.dataverse.ContinuablePage;
import dev.dataverse.DataverseRecord;
import dev.dataverse.ListOptions;
import dev.dataverse.Page;
import dev.dataverse.model.TableModel;
import dev.dataverse.model.WriteOperation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The generic pagers, {@link PagedIterableBase} and {@link PagedPublisherBase}, driven by code written once against
 * them and run on both listings there are: records ({@link PagedIterable}, {@link PagedPublisher}: pages of
 * {@link Page}), changes ({@link ChangeIterable}, {@link ChangePublisher}: pages of {@link ChangePage}) and instances of
 * a table model ({@link TypedPagedIterable}, {@link TypedPagedPublisher}: pages of {@link TypedPage}). Each listing
 * must end its operation (seen through the client's instrumentation) when it is read to its end, when its stream is
 * closed, and when an iteration is abandoned half-way; and must resume from a page's continuation token with nothing
 * missed and nothing repeated.
 */
class GenericPagingTest extends EmulatorTestSupport {
    private static final int ACCOUNTS = 11;
    private static final int PAGE_SIZE = 5;

    private final ListingTelemetryTest.Recorder recorder = new ListingTelemetryTest.Recorder();
    private DataverseBlockingClient traced;
    private Set<UUID> ids;

    @BeforeEach
    void create11AccountsAndATracedClient() {
        ids = new HashSet<>();
        for (int i = 0; i < ACCOUNTS; i++) {
            ids.add(records.create("account", Map.of("name", "Account " + i)));
        }
        traced = newBuilder().addInstrumentation(recorder).buildClient();
    }

    @AfterEach
    void closeTraced() {
        traced.close();
    }

    private PagedIterableBase<DataverseRecord, Page> recordListing() {
        PagedIterable listing = traced.records().list("account", ListOptions.builder().select("name").pageSize(PAGE_SIZE).build());
        return listing;
    }

    private PagedIterableBase<Change, ChangePage> changeListing() {
        ChangeIterable listing = traced.records().changes("account", ChangeTrackingOptions.builder().select("name").pageSize(PAGE_SIZE).build());
        return listing;
    }

    /** An account as a typed instance, read through a hand-written model as generated ones are. */
    record AccountName(UUID id, String name) {}

    static final TableModel<AccountName> ACCOUNT_NAME = new TableModel<>() {
        @Override public String getLogicalName() { return "account"; }
        @Override public String getPrimaryIdColumn() { return "accountid"; }
        @Override public List<String> getColumns() { return List.of("accountid", "name"); }
        @Override public boolean getNeedsAnnotations() { return false; }
        @Override public AccountName fromRecord(DataverseRecord record) { return new AccountName(record.getId(), record.getString("name")); }
        @Override public Map<String, Object> toValues(AccountName entity, WriteOperation operation) { return Map.of("name", entity.name()); }
        @Override public UUID idOf(AccountName entity) { return entity.id(); }
    };

    private PagedIterableBase<AccountName, TypedPage<AccountName>> typedListing() {
        TypedPagedIterable<AccountName> listing = traced.records().typed(ACCOUNT_NAME).list(null, ListOptions.builder().pageSize(PAGE_SIZE).build());
        return listing;
    }

    private static UUID recordId(DataverseRecord record) {
        return record.getId();
    }

    // Written once for any listing: the whole point of the generic base.

    private static <T, P extends ContinuablePage<T>> Set<UUID> readAll(PagedIterableBase<T, P> listing, Function<T, UUID> id) {
        Set<UUID> seen = new HashSet<>();
        for (T item : listing) {
            assertTrue(seen.add(id.apply(item)), "an item was listed twice");
        }
        return seen;
    }

    private static <T, P extends ContinuablePage<T>> long readPartOfAStreamAndCloseIt(PagedIterableBase<T, P> listing, Recorder recorder) {
        int endedBefore = recorder.ended().size();
        try (Stream<T> stream = listing.stream()) {
            long read = stream.limit(PAGE_SIZE + 1).count();
            assertEquals(endedBefore, recorder.ended().size(), "still open: the stream is not closed yet");
            return read;
        }
    }

    private static <T, P extends ContinuablePage<T>> Set<UUID> resumeAfterTheFirstPage(PagedIterableBase<T, P> listing, Function<T, UUID> id) {
        P first;
        try (Stream<P> pages = listing.streamByPage()) {
            first = pages.findFirst().orElseThrow();
        }
        assertEquals(PAGE_SIZE, first.getItems().size());
        String token = first.getContinuationToken();
        assertNotNull(token, "a first page of " + ACCOUNTS + " items at " + PAGE_SIZE + " per page has a next one");

        Set<UUID> seen = new HashSet<>();
        first.getItems().forEach(item -> seen.add(id.apply(item)));
        int pages = 1;
        for (P page : listing.iterableByPage(token)) {
            pages++;
            page.getItems().forEach(item -> assertTrue(seen.add(id.apply(item)), "an item of the first page came again"));
        }
        assertEquals((ACCOUNTS + PAGE_SIZE - 1) / PAGE_SIZE, pages);
        return seen;
    }

    private static <T, P extends ContinuablePage<T>> Set<UUID> pageByHand(PagedPublisherBase<T, P> listing, Function<T, UUID> id) throws Exception {
        Set<UUID> seen = new HashSet<>();
        P page = listing.firstPage().get();
        while (true) {
            page.getItems().forEach(item -> assertTrue(seen.add(id.apply(item)), "an item was listed twice"));
            if (page.getContinuationToken() == null) {
                return seen;
            }
            page = listing.nextPage(page.getContinuationToken()).get();
        }
    }

    /** The recorder's ended operations, through a view the generic helpers can take. */
    interface Recorder {
        List<String> ended();
    }

    private Recorder ended() {
        return () -> recorder.ended;
    }

    @Test
    void aListingReadToItsEndEndsItsOperation() {
        assertEquals(ids, readAll(recordListing(), GenericPagingTest::recordId));
        assertEquals(ids, readAll(changeListing(), Change::getId));
        assertEquals(ids, readAll(typedListing(), AccountName::id));

        assertEquals(List.of("records.list:ok", "records.changes:ok", "records.list:ok"), recorder.ended);
    }

    @Test
    void closingAStreamReadInPartEndsItsOperationAtOnce() {
        assertEquals(PAGE_SIZE + 1, readPartOfAStreamAndCloseIt(recordListing(), ended()));
        assertEquals(List.of("records.list:ok"), recorder.ended);

        assertEquals(PAGE_SIZE + 1, readPartOfAStreamAndCloseIt(changeListing(), ended()));
        assertEquals(List.of("records.list:ok", "records.changes:ok"), recorder.ended);

        assertEquals(PAGE_SIZE + 1, readPartOfAStreamAndCloseIt(typedListing(), ended()));
        assertEquals(List.of("records.list:ok", "records.changes:ok", "records.list:ok"), recorder.ended);
    }

    @Test
    void anIterationAbandonedHalfWayEndsItsOperationOnceUnreachable() {
        abandonAfterOnePage(recordListing());
        abandonAfterOnePage(changeListing());
        abandonAfterOnePage(typedListing());

        ListingTelemetryTest.awaitCollected(() -> recorder.ended.size() == 3);
        assertEquals(List.of("records.list", "records.changes", "records.list"), recorder.started);
        assertEquals(List.of("records.changes:ok", "records.list:ok", "records.list:ok"), recorder.ended.stream().sorted().toList());
    }

    private static <T, P extends ContinuablePage<T>> void abandonAfterOnePage(PagedIterableBase<T, P> listing) {
        Iterator<P> pages = listing.iterableByPage().iterator();
        assertEquals(PAGE_SIZE, pages.next().getItems().size());
        assertTrue(pages.hasNext());
        pages = null;
        assertNull(pages);
    }

    @Test
    void aContinuationTokenResumesAfterItsPageWithNothingMissedOrRepeated() {
        assertEquals(ids, resumeAfterTheFirstPage(recordListing(), GenericPagingTest::recordId));
        assertEquals(ids, resumeAfterTheFirstPage(changeListing(), Change::getId));
        assertEquals(ids, resumeAfterTheFirstPage(typedListing(), AccountName::id));

        assertEquals(List.of("records.list:ok", "records.list:ok", "records.changes:ok", "records.changes:ok", "records.list:ok", "records.list:ok"),
                recorder.ended);
    }

    @Test
    void pageFuturesPageAnyListingByHand() throws Exception {
        PagedPublisherBase<DataverseRecord, Page> recordPages =
                traced.async().records().list("account", ListOptions.builder().pageSize(PAGE_SIZE).build());
        PagedPublisherBase<Change, ChangePage> changePages =
                traced.async().records().changes("account", ChangeTrackingOptions.builder().pageSize(PAGE_SIZE).build());

        assertEquals(ids, pageByHand(recordPages, GenericPagingTest::recordId));
        assertEquals(ids, pageByHand(changePages, Change::getId));
        PagedPublisherBase<AccountName, TypedPage<AccountName>> typedPages =
                traced.async().records().typed(ACCOUNT_NAME).list(null, ListOptions.builder().pageSize(PAGE_SIZE).build());
        assertEquals(ids, pageByHand(typedPages, AccountName::id));

        // One operation per page future, each ended when its page arrived; three pages of each listing.
        List<String> expected = new ArrayList<>();
        for (String operation : List.of("records.list:ok", "records.changes:ok", "records.list:ok")) {
            for (int i = 0; i < 3; i++) {
                expected.add(operation);
            }
        }
        assertEquals(expected, recorder.ended);
    }
}
