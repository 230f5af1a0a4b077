package dev.dataverse.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PageIterableTest extends EmulatorTestSupport {
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

        for (Page page : records.listPages("account", fivePerPage)) {
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
        PageIterable pages = records.listPages("account", fivePerPage);
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
        PageIterable pages = records.listPages("account", fivePerPage);

        long first = pages.stream().count();
        long second = pages.stream().count();

        assertEquals(5, first);
        assertEquals(5, second);
    }

    @Test
    void theStreamIsLazyAndStopsFetchingWhenShortCircuited() {
        long before = requests();

        Page first = records.listPages("account", fivePerPage).stream().findFirst().orElseThrow();

        assertEquals(5, first.getRecords().size());
        assertEquals(1, requests() - before);
    }

    @Test
    void closingThePageStreamStopsFetching() {
        long before = requests();
        Stream<Page> stream = records.listPages("account", fivePerPage).stream();
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
        records.listPages("account", fivePerPage).startingAt(first.getContinuationToken()).forEach(rest::add);

        assertEquals(4, rest.size());
        Set<UUID> all = rest.stream().flatMap(p -> p.getRecords().stream()).map(DataverseRecord::getId).collect(Collectors.toSet());
        first.getRecords().forEach(r -> all.add(r.getId()));
        assertEquals(created, all);
        assertEquals(23, all.size());
    }

    @Test
    void countAsksForTheTotalNumberOfRecords() {
        Page first = records.listPages("account", fivePerPage.toBuilder().count(true).build()).iterator().next();

        assertEquals(23L, first.getTotalCount());
    }

    @Test
    void aFailedPageThrowsFromHasNextAndNextThrowsNoSuchElementAfterTheEnd() {
        Iterator<Page> missing = records.listPages("nosuchtable").iterator();
        assertThrows(NotFoundException.class, missing::hasNext);

        Iterator<Page> pages = records.listPages("account").iterator();
        assertEquals(23, pages.next().getRecords().size());
        assertFalse(pages.hasNext());
        assertThrows(NoSuchElementException.class, pages::next);
    }
}
