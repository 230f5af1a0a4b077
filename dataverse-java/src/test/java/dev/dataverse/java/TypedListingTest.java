package dev.dataverse.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataverse.DataverseRecord;
import dev.dataverse.ListOptions;
import dev.dataverse.Page;
import dev.dataverse.java.GenericPagingTest.AccountName;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Flow;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The typed listings, {@link TypedPagedIterable} and {@link TypedPagedPublisher}, as Java code uses them: code written
 * against the earlier typed listing (iterate, stream, {@code untyped()}, a {@code Flow.Publisher} on the async side)
 * keeps working, and the pages ({@link TypedPage}) carry instances, the count and continuation tokens that the untyped
 * listing of the same query takes, and the other way round (Learn, "Page results": the next link continues the same query).
 */
class TypedListingTest extends EmulatorTestSupport {
    private static final int ACCOUNTS = 11;
    private final ListOptions fivePerPage = ListOptions.builder().pageSize(5).build();
    private Set<UUID> ids;

    @BeforeEach
    void create11Accounts() {
        ids = new HashSet<>();
        for (int i = 0; i < ACCOUNTS; i++) {
            ids.add(records.create("account", Map.of("name", "Account " + i)));
        }
    }

    @Test
    void codeWrittenAgainstTheEarlierTypedListingKeepsWorking() throws Exception {
        BlockingTypedTable<AccountName> accounts = records.typed(GenericPagingTest.ACCOUNT_NAME);
        TypedPagedIterable<AccountName> listing = accounts.list(null, fivePerPage);
        Set<UUID> seen = new HashSet<>();
        for (AccountName account : listing) {
            assertTrue(account.name().startsWith("Account "));
            seen.add(account.id());
        }
        assertEquals(ids, seen);
        try (Stream<AccountName> stream = accounts.list().stream()) {
            assertEquals(ids, stream.map(AccountName::id).collect(Collectors.toSet()));
        }
        PagedIterable untyped = listing.untyped();
        assertEquals(ids, untyped.stream().map(DataverseRecord::getId).collect(Collectors.toSet()));

        Flow.Publisher<AccountName> published = client.async().records().typed(GenericPagingTest.ACCOUNT_NAME).list();
        TestSubscriber<AccountName> subscriber = TestSubscriber.requestingAll();
        published.subscribe(subscriber);
        assertEquals(ids, subscriber.await().stream().map(AccountName::id).collect(Collectors.toSet()));
    }

    @Test
    void typedPagesCarryInstancesAndTheCountAndTokensThatTheUntypedListingTakes() {
        TypedPagedIterable<AccountName> typed = records.typed(GenericPagingTest.ACCOUNT_NAME)
                .list(null, ListOptions.builder().pageSize(5).count(true).build());
        TypedPage<AccountName> first;
        try (Stream<TypedPage<AccountName>> pages = typed.streamByPage()) {
            first = pages.findFirst().orElseThrow();
        }
        assertEquals(5, first.getItems().size());
        assertTrue(first.hasNext());
        assertEquals(Long.valueOf(ACCOUNTS), first.getTotalCount());
        assertFalse(first.getTotalCountLimitExceeded());

        // A typed page's token resumes the untyped listing, and an untyped page's the typed one: one query, one token.
        Set<UUID> seen = new HashSet<>();
        first.getItems().forEach(account -> seen.add(account.id()));
        String secondToken = null;
        for (Page page : typed.untyped().iterableByPage(first.getContinuationToken())) {
            page.getRecords().forEach(record -> assertTrue(seen.add(record.getId()), "listed twice"));
            if (secondToken == null) {
                secondToken = page.getContinuationToken();
            }
        }
        assertEquals(ids, seen);
        assertNotNull(secondToken);
        List<TypedPage<AccountName>> rest = typed.streamByPage(secondToken).toList();
        assertEquals(1, rest.size());
        assertEquals(ACCOUNTS - 10, rest.get(0).getItems().size());
        assertNull(rest.get(0).getContinuationToken());
        assertFalse(rest.get(0).hasNext());
    }

    @Test
    void theAsyncTypedListingPublishesPagesOfInstances() throws Exception {
        TypedPagedPublisher<AccountName> listing = client.async().records().typed(GenericPagingTest.ACCOUNT_NAME).list(null, fivePerPage);
        TestSubscriber<TypedPage<AccountName>> subscriber = TestSubscriber.requestingAll();
        listing.byPage().subscribe(subscriber);
        List<TypedPage<AccountName>> pages = subscriber.await();
        assertEquals(List.of(5, 5, 1), pages.stream().map(page -> page.getItems().size()).toList());
        assertEquals(ids, pages.stream().flatMap(page -> page.getItems().stream()).map(AccountName::id).collect(Collectors.toSet()));

        Page untypedFirst = listing.untyped().firstPage().get();
        TypedPage<AccountName> second = listing.nextPage(untypedFirst.getContinuationToken()).get();
        assertEquals(5, second.getItems().size());
        assertTrue(second.getItems().stream().noneMatch(account -> untypedFirst.getRecords().stream().anyMatch(r -> r.getId().equals(account.id()))));
    }
}
