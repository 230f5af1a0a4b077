package dev.dataverse.java;

import dev.dataverse.Filter;
import dev.dataverse.InvalidInputException;
import dev.dataverse.ListOptions;
import dev.dataverse.DataverseRecord;
import dev.dataverse.RecordCount;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

class QueryTest extends EmulatorTestSupport {

    @BeforeEach
    void seedAccounts() {
        client.records().createMany("account", IntStream.range(0, 23)
                .mapToObj(i -> Map.<String, Object>of("name", String.format("Query %02d", i), "numberofemployees", i))
                .collect(Collectors.toList()));
        client.records().create("account", Map.of("name", "O'Neil & Sons #1"));
    }

    @Test
    void typedFiltersEscapeValuesAndCompose() {
        Filter filter = Filter.startsWith("name", "Query").and(Filter.between("numberofemployees", 5, 9));
        try (Stream<DataverseRecord> rows = client.records().list("account", ListOptions.builder().filter(filter).orderBy("name").build()).stream()) {
            assertEquals(List.of(5, 6, 7, 8, 9), rows.map(r -> r.getInt("numberofemployees")).collect(Collectors.toList()));
        }
        try (Stream<DataverseRecord> rows = client.records().list("account", ListOptions.builder().filter(Filter.eq("name", "O'Neil & Sons #1")).build()).stream()) {
            assertEquals(1, rows.count());
        }
    }

    @Test
    void countsWithAndWithoutFilter() {
        RecordCount all = client.query().count("account");
        assertEquals(24, all.getCount());
        assertFalse(all.isCapped());
        assertEquals(3, client.query().count("account", Filter.isIn("numberofemployees", List.of(1, 2, 3))).getCount());
    }

    @Test
    void fetchXmlStreamsEveryRowAcrossPages() {
        String fetch = "<fetch><entity name='account'><attribute name='name'/>"
                + "<filter><condition attribute='name' operator='begins-with' value='Query'/></filter>"
                + "<order attribute='name'/></entity></fetch>";
        try (Stream<DataverseRecord> rows = client.query().fetchXml(fetch, 5).stream()) {
            List<String> names = rows.map(r -> r.getString("name")).collect(Collectors.toList());
            assertEquals(IntStream.range(0, 23).mapToObj(i -> String.format("Query %02d", i)).collect(Collectors.toList()), names);
        }
    }

    @Test
    void sqlStreamsRowsAndRefusesWrites() {
        try (Stream<DataverseRecord> rows = client.query().sql("SELECT name FROM account WHERE numberofemployees >= 20 ORDER BY name").stream()) {
            assertEquals(List.of("Query 20", "Query 21", "Query 22"), rows.map(r -> r.getString("name")).collect(Collectors.toList()));
        }
        long before = requests();
        try (Stream<DataverseRecord> rows = client.query().sql("DELETE FROM account").stream()) {
            assertThrows(InvalidInputException.class, rows::count);
        }
        assertEquals(before, requests());
    }

    @Test
    void asyncCountFailsTheFutureForBadInput() throws Exception {
        assertEquals(24, client.async().query().count("account").get(30, TimeUnit.SECONDS).getCount());
        CompletableFuture<RecordCount> bad = client.async().query().count("account/../x");
        ExecutionException error = assertThrows(ExecutionException.class, () -> bad.get(30, TimeUnit.SECONDS));
        assertInstanceOf(InvalidInputException.class, error.getCause());
    }

    @Test
    void asyncSqlPublishesEveryRow() throws Exception {
        TestSubscriber<DataverseRecord> subscriber = TestSubscriber.requestingAll();
        client.async().query().sql("SELECT name FROM account WHERE name LIKE 'Query%'").subscribe(subscriber);
        assertEquals(23, subscriber.await().size());
    }
}
