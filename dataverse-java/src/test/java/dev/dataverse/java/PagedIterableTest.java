package dev.dataverse.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataverse.InvalidInputException;
import dev.dataverse.ListOptions;
import dev.dataverse.NotFoundException;
import dev.dataverse.Page;
import dev.dataverse.DataverseRecord;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PagedIterableTest extends EmulatorTestSupport {
    private final ListOptions fivePerPage = ListOptions.builder().pageSize(5).build();
    private final Set<UUID> created = new HashSet<>();

    @BeforeEach
    void create23Accounts() {
        for (int i = 0; i < 23; i++) {
            created.add(records.create("account", Map.of("name", "Account " + i)));
        }
    }

    @Test
    void iteratesEveryPageOnceWithTheLastOneWithoutContinuationToken() {
        long before = requests();
        List<Integer> sizes = new ArrayList<>();
        Set<UUID> seen = new HashSet<>();
        Page last = null;

        for (Page page : records.list("account", fivePerPage).iterableByPage()) {
            sizes.add(page.getRecords().size());
            page.getRecords().forEach(r -> seen.add(r.getId()));
            last = page;
        }

        assertEquals(List.of(5, 5, 5, 5, 3), sizes);
        assertEquals(created, seen);
        assertNotNull(last);
        assertNull(last.getContinuationToken());
        assertEquals(5, requests() - before);
    }

    @Test
    void fetchesAPageOnlyWhenTheIterationReachesIt() {
        long before = requests();
        Iterable<Page> pages = records.list("account", fivePerPage).iterableByPage();
        Iterator<Page> iterator = pages.iterator();
        assertEquals(0, requests() - before);

        assertTrue(iterator.hasNext());
        assertTrue(iterator.hasNext());
        assertEquals(1, requests() - before, "hasNext() fetches once and keeps the page");
        iterator.next();
        assertEquals(1, requests() - before);

        iterator.next();
        assertEquals(2, requests() - before);
    }

    @Test
    void everyIterationRunsTheQueryAnew() {
        PagedIterable pages = records.list("account", fivePerPage);

        long first = pages.streamByPage().count();
        long second = pages.streamByPage().count();

        assertEquals(5, first);
        assertEquals(5, second);
    }

    @Test
    void theStreamIsLazyAndStopsFetchingWhenShortCircuited() {
        long before = requests();

        Page first = records.list("account", fivePerPage).streamByPage().findFirst().orElseThrow();

        assertEquals(5, first.getRecords().size());
        assertEquals(1, requests() - before);
    }

    @Test
    void closingThePageStreamStopsFetching() {
        long before = requests();
        Stream<Page> stream = records.list("account", fivePerPage).streamByPage();
        Iterator<Page> iterator = stream.iterator();
        iterator.next();

        stream.close();

        assertFalse(iterator.hasNext());
        assertEquals(1, requests() - before);
    }

    @Test
    void startingAtAContinuationTokenResumesAfterThePageItCameFrom() {
        Page first = records.page("account", fivePerPage);

        List<Page> rest = new ArrayList<>();
        records.list("account", fivePerPage).iterableByPage(first.getContinuationToken()).forEach(rest::add);

        assertEquals(4, rest.size());
        Set<UUID> all = rest.stream().flatMap(p -> p.getRecords().stream()).map(DataverseRecord::getId).collect(Collectors.toSet());
        first.getRecords().forEach(r -> all.add(r.getId()));
        assertEquals(created, all);
        assertEquals(23, all.size());
    }

    @Test
    void countAsksForTheTotalNumberOfRecords() {
        Page first = records.list("account", fivePerPage.toBuilder().count(true).build()).iterableByPage().iterator().next();

        assertEquals(23L, first.getTotalCount());
    }

    @Test
    void aFailedPageThrowsFromHasNextAndNextThrowsNoSuchElementAfterTheEnd() {
        Iterator<Page> missing = records.list("nosuchtable").iterableByPage().iterator();
        assertThrows(NotFoundException.class, missing::hasNext);

        Iterator<Page> pages = records.list("account").iterableByPage().iterator();
        assertEquals(23, pages.next().getRecords().size());
        assertFalse(pages.hasNext());
        assertThrows(NoSuchElementException.class, pages::next);
    }

    @Test
    void recordsAreIteratedWithAForLoopAndTheNextPageIsFetchedAfterTheLastRecordOfThePage() {
        long before = requests();
        Iterator<DataverseRecord> iterator = records.list("account", fivePerPage).iterator();
        for (int i = 0; i < 5; i++) {
            iterator.next();
        }
        assertEquals(1, requests() - before, "five records of a page of five take one request");
        assertTrue(iterator.hasNext());
        assertEquals(2, requests() - before);

        Set<UUID> seen = new HashSet<>();
        for (DataverseRecord record : records.list("account", fivePerPage)) {
            seen.add(record.getId());
        }
        assertEquals(created, seen);
    }

    @Test
    void closingARecordStreamAfterReadingPartSendsNothingMore() {
        long before = requests();
        Stream<DataverseRecord> stream = records.list("account", fivePerPage).stream();
        Iterator<DataverseRecord> iterator = stream.iterator();
        for (int i = 0; i < 7; i++) {
            iterator.next();
        }
        assertEquals(2, requests() - before, "seven records of pages of five take two requests");

        stream.close();

        // Pages are fetched by blocking calls on this thread only, so after close nothing is left that could send.
        assertFalse(iterator.hasNext());
        assertEquals(2, requests() - before);
        assertEquals(5, records.list("account", fivePerPage).stream().limit(5).count());
        assertEquals(3, requests() - before, "a later listing starts from its own first page");
    }

    @Test
    void everyRequestOfOneIterationSharesOneCorrelationIdAndAnotherIterationHasItsOwn() {
        List<String> correlationIds = new CopyOnWriteArrayList<>();
        try (DataverseBlockingClient traced = newBuilder()
                .addPolicy(request -> correlationIds.add(request.header("x-ms-correlation-id")))
                .buildClient()) {
            PagedIterable listing = traced.records().list("account", fivePerPage);
            listing.forEach(r -> { });
            assertEquals(6, correlationIds.size(), "the table's metadata, then five pages");
            assertEquals(1, Set.copyOf(correlationIds).size());

            listing.streamByPage().count();
            assertEquals(11, correlationIds.size());
            assertEquals(1, Set.copyOf(correlationIds.subList(6, 11)).size());
            assertNotEquals(correlationIds.get(0), correlationIds.get(6));
        }
    }

    @Test
    void aContinuationTokenOfAnotherTableIsRefusedBeforeAnythingIsSent() {
        records.list("contact").stream().count(); // table metadata cached
        String accountToken = records.page("account", fivePerPage).getContinuationToken();
        long before = requests();

        Iterator<Page> resumed = records.list("contact", fivePerPage).iterableByPage(accountToken).iterator();

        assertThrows(InvalidInputException.class, resumed::hasNext);
        assertEquals(0, requests() - before);
    }

    @Test
    void aContinuationTokenUsedWithOtherListOptionsIsRefusedBeforeAnythingIsSent() {
        String token = records.list("account", fivePerPage).iterableByPage().iterator().next().getContinuationToken();
        ListOptions filtered = fivePerPage.toBuilder().filter(dev.dataverse.Filter.eq("name", "Account 1")).build();
        long before = requests();

        Iterator<Page> resumed = records.list("account", filtered).iterableByPage(token).iterator();
        InvalidInputException e = assertThrows(InvalidInputException.class, resumed::hasNext);

        assertTrue(e.getMessage().contains("another query"), e.getMessage());
        assertTrue(e.getMessage().contains("Pass the same options"), e.getMessage());
        assertEquals(0, requests() - before);
        // With the options of the page that issued it, the token resumes: the 18 records after the first 5.
        long resumedRows = records.list("account", fivePerPage).streamByPage(token).mapToLong(p -> p.getRecords().size()).sum();
        assertEquals(18, resumedRows);
    }

    @Test
    void aContinuationTokenOfAnotherEnvironmentIsRefusedNamingBothHostsNotTheTable() {
        String token = records.page("account", fivePerPage).getContinuationToken();
        String ours = emulator.getBaseUrl();
        // The same page's link as a client of another environment would have saved it.
        String foreign = token.replace(ours, "https://contoso.crm.dynamics.com");
        assertNotEquals(token, foreign);
        long before = requests();

        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> records.list("account", fivePerPage).iterableByPage(foreign).iterator().hasNext());

        assertTrue(e.getMessage().contains("https://contoso.crm.dynamics.com"), e.getMessage());
        assertTrue(e.getMessage().contains(ours), e.getMessage());
        assertFalse(e.getMessage().contains("for 'account'"), e.getMessage());
        // Another API version on the same host is named as such too.
        String otherVersion = token.replace("/api/data/v9.2/", "/api/data/v9.1/");
        InvalidInputException version = assertThrows(InvalidInputException.class,
                () -> records.page("account", fivePerPage, otherVersion));
        assertTrue(version.getMessage().contains("/api/data/v9.2"), version.getMessage());
        assertTrue(version.getMessage().contains("API version"), version.getMessage());
        assertEquals(0, requests() - before);
    }

    @Test
    void fetchXmlResumesFromItsContinuationTokenAndSqlListsByPage() {
        String fetch = "<fetch><entity name='account'><attribute name='name'/><order attribute='name'/></entity></fetch>";
        PagedIterable fetched = client.query().fetchXml(fetch, 5);
        Page first = fetched.iterableByPage().iterator().next();
        Set<UUID> all = first.getRecords().stream().map(DataverseRecord::getId).collect(Collectors.toCollection(HashSet::new));
        fetched.iterableByPage(first.getContinuationToken()).forEach(p -> p.getRecords().forEach(r -> all.add(r.getId())));
        assertEquals(created, all);

        PagedIterable sql = client.query().sql("SELECT name FROM account WHERE name LIKE 'Account %'");
        Set<String> viaSql = new HashSet<>();
        sql.iterableByPage().forEach(p -> p.getRecords().forEach(r -> viaSql.add(r.getString("name"))));
        assertEquals(23, viaSql.size());
        assertTrue(viaSql.contains("Account 22"));
    }
}
