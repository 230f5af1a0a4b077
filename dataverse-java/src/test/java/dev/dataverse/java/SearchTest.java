package dev.dataverse.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataverse.InvalidInputException;
import dev.dataverse.SearchAutocompleteQuery;
import dev.dataverse.SearchDisabledException;
import dev.dataverse.SearchEntity;
import dev.dataverse.SearchFacet;
import dev.dataverse.SearchFailedException;
import dev.dataverse.SearchMode;
import dev.dataverse.SearchQuery;
import dev.dataverse.SearchQueryType;
import dev.dataverse.SearchResult;
import dev.dataverse.SearchResults;
import dev.dataverse.SearchSuggestQuery;
import dev.dataverse.SearchSuggestion;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Dataverse search from Java, blocking and async, against the emulator's search 2.0 endpoint. Learn: "Dataverse Search
 * query", "Dataverse Search suggest", "Dataverse Search autocomplete", "Search for Dataverse records".
 */
class SearchTest extends EmulatorTestSupport {
    UUID contoso;
    UUID fabrikam;
    UUID northwind;

    @BeforeEach
    void seed() {
        contoso = records.create("account", values("name", "Contoso Pharmaceuticals", "numberofemployees", 120));
        fabrikam = records.create("account", values("name", "Fabrikam Contoso Partners", "numberofemployees", 15));
        northwind = records.create("account", values("name", "Northwind Traders", "numberofemployees", 40));
    }

    @AfterEach
    void restoreSearch() {
        emulator.setSearchEnabled(true);
        emulator.setSearchableTables(null);
    }

    @Test
    void blockingQueryReturnsTypedResultsWithHighlightsFacetsAndCount() {
        SearchResults page = client.search().query(SearchQuery.builder("contoso")
                .entities(SearchEntity.builder("account").selectColumns("name", "numberofemployees").build())
                .facets("entityname")
                .count(true)
                .build());
        assertEquals(2L, page.getTotalCount());
        Set<UUID> ids = page.getResults().stream().map(SearchResult::getId).collect(Collectors.toSet());
        assertEquals(Set.of(contoso, fabrikam), ids);
        SearchResult first = page.getResults().stream().filter(r -> r.getId().equals(contoso)).findFirst().orElseThrow();
        assertEquals("account", first.getEntityName());
        assertEquals(120L, first.getAttributes().get("numberofemployees"));
        assertEquals(List.of("{crmhit}Contoso{/crmhit} Pharmaceuticals"), first.getHighlights().get("name"));
        assertEquals("Contoso Pharmaceuticals", SearchResult.stripHighlights(first.getHighlights().get("name").get(0)));
        List<SearchFacet> byTable = page.getFacets().get("entityname");
        assertEquals("account", byTable.get(0).getValue());
        assertEquals(2L, byTable.get(0).getCount());
    }

    @Test
    void pagingWithTopAndSkipFollowsTheOrder() {
        SearchQuery all = SearchQuery.builder("contoso | northwind").orderBy("numberofemployees asc").build();
        List<UUID> order = List.of(fabrikam, northwind, contoso);
        for (int page = 0; page < 3; page++) {
            SearchResults results = client.search().query(all.toBuilder().top(1).skip(page).build());
            assertEquals(List.of(order.get(page)), results.getResults().stream().map(SearchResult::getId).collect(Collectors.toList()));
            assertNull(results.getTotalCount());
        }
    }

    @Test
    void asyncSearchAdaptsTheSameOperations() throws Exception {
        AsyncSearch search = client.async().search();
        SearchResults all = search.query(SearchQuery.builder("contoso partners").searchMode(SearchMode.ALL).build()).get(30, TimeUnit.SECONDS);
        assertEquals(List.of(fabrikam), all.getResults().stream().map(SearchResult::getId).collect(Collectors.toList()));
        List<SearchSuggestion> suggestions = search.suggest(SearchSuggestQuery.builder("nort").top(2).build()).get(30, TimeUnit.SECONDS);
        assertEquals(northwind, suggestions.get(0).getId());
        assertEquals("{crmhit}Northwind{/crmhit} Traders", suggestions.get(0).getText());
        assertEquals("{crmhit}contoso{/crmhit}", search.autocomplete(SearchAutocompleteQuery.builder("con").build()).get(30, TimeUnit.SECONDS));
        assertNull(search.autocomplete(new SearchAutocompleteQuery("qqq")).get(30, TimeUnit.SECONDS));
    }

    @Test
    void searchSwitchedOffFailsWithTheTypedExceptionInBothFacades() {
        emulator.setSearchEnabled(false);
        SearchDisabledException blocking = assertThrows(SearchDisabledException.class, () -> client.search().query(new SearchQuery("contoso")));
        assertEquals("0x80048d0b", blocking.getErrorCode());
        assertEquals(400, blocking.getStatusCode());
        ExecutionException async = assertThrows(ExecutionException.class,
                () -> client.async().search().suggest(new SearchSuggestQuery("contoso")).get(30, TimeUnit.SECONDS));
        assertInstanceOf(SearchDisabledException.class, async.getCause());
    }

    @Test
    void luceneTextTheServiceCannotParseIsASearchFailedException() {
        SearchQuery broken = SearchQuery.builder("\"unclosed").queryType(SearchQueryType.LUCENE).build();
        SearchFailedException error = assertThrows(SearchFailedException.class, () -> client.search().query(broken));
        assertTrue(error.getServiceMessage().contains("Failed to parse"), error.getServiceMessage());
    }

    @Test
    void badInputIsRejectedBeforeAnythingIsSent() {
        long before = requests();
        assertThrows(InvalidInputException.class, () -> SearchQuery.builder("x".repeat(101)).build());
        assertThrows(InvalidInputException.class, () -> SearchQuery.builder("contoso").top(101).build());
        assertThrows(InvalidInputException.class, () -> new SearchSuggestQuery("ab"));
        assertThrows(InvalidInputException.class, () -> SearchEntity.builder("account").selectColumns("bad column").build());
        assertEquals("\\+1\\(800\\)555\\-1234", SearchQuery.escape("+1(800)555-1234"));
        assertEquals(before, requests());
    }

    @Test
    void onlyTheSearchableTablesAreSearched() {
        records.create("contact", values("lastname", "Contoso"));
        emulator.setSearchableTables(Set.of("contact"));
        SearchResults results = client.search().query(new SearchQuery("contoso"));
        assertEquals(List.of("contact"), results.getResults().stream().map(SearchResult::getEntityName).collect(Collectors.toList()));
        Map<String, List<String>> highlights = results.getResults().get(0).getHighlights();
        assertTrue(highlights.values().stream().flatMap(List::stream).anyMatch(text -> text.contains("{crmhit}Contoso{/crmhit}")), highlights.toString());
    }
}
