package dev.dataverse.java;

import dev.dataverse.MatchConditions;
import dev.dataverse.Filter;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataverse.ClientClosedException;
import dev.dataverse.EntityReference;
import dev.dataverse.InvalidInputException;
import dev.dataverse.ListOptions;
import dev.dataverse.NotFoundException;
import dev.dataverse.PreconditionFailedException;
import dev.dataverse.DataverseRecord;
import dev.dataverse.RecordKey;
import dev.dataverse.RetrieveOptions;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BlockingRecordsTest extends EmulatorTestSupport {

    @Test
    void createThenGetRoundTripsEveryColumnTypeThroughTheTypedGetters() {
        Instant before = Instant.now().minusSeconds(1);
        UUID id = records.create("account", values(
                "name", "Contoso Ltd",
                "revenue", new BigDecimal("1234567.50"),
                "numberofemployees", 42,
                "creditonhold", true,
                "industrycode", 1,
                "description", "Zürich ☃ \"quoted\" \\ / line\nbreak"));

        DataverseRecord account = records.get("account", id);

        assertEquals(id, account.getId());
        assertEquals(id, account.getUuid("accountid"));
        assertEquals("Contoso Ltd", account.getString("name"));
        assertEquals(0, new BigDecimal("1234567.50").compareTo(account.getDecimal("revenue")));
        assertEquals(42, account.getInt("numberofemployees"));
        assertEquals(Boolean.TRUE, account.getBoolean("creditonhold"));
        assertEquals(1, account.getInt("industrycode"));
        assertEquals("Zürich ☃ \"quoted\" \\ / line\nbreak", account.getString("description"));
        Instant createdOn = account.getInstant("createdon");
        assertNotNull(createdOn);
        assertFalse(createdOn.isBefore(before.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
        assertNotNull(account.getEtag());
        assertNull(account.getString("telephone1"));
        assertEquals(1, emulator.recordCount("account"));
    }

    @Test
    void getWithSelectReturnsOnlyTheSelectedColumnsAndTheId() {
        UUID id = records.create("account", Map.of("name", "Selected", "telephone1", "555-0100"));

        DataverseRecord account = records.get("account", id, RetrieveOptions.builder().select("name").build());

        assertEquals("Selected", account.getString("name"));
        assertFalse(account.contains("telephone1"));
        assertEquals(id, account.getId());
    }

    @Test
    void updateChangesOnlyTheGivenColumns() {
        UUID id = records.create("account", Map.of("name", "Before", "telephone1", "555-0100"));

        records.update("account", id, Map.of("telephone1", "555-0199"));

        DataverseRecord account = records.get("account", id);
        assertEquals("555-0199", account.getString("telephone1"));
        assertEquals("Before", account.getString("name"));
    }

    @Test
    void updateCanClearAColumnWithNull() {
        UUID id = records.create("account", Map.of("name", "Clear me", "telephone1", "555-0100"));

        records.update("account", id, values("telephone1", null));

        assertTrue(records.get("account", id).isNull("telephone1"));
    }

    @Test
    void updateOfAMissingRecordThrowsNotFoundAndCreatesNothing() {
        UUID missing = UUID.randomUUID();

        assertThrows(NotFoundException.class, () -> records.update("account", missing, Map.of("name", "Ghost")));

        assertEquals(0, emulator.recordCount("account"));
    }

    @Test
    void updateWithAStaleETagThrowsPreconditionFailedAndLeavesTheRecordAsItWas() {
        UUID id = records.create("account", Map.of("name", "Version 1"));
        String staleEtag = records.get("account", id).getEtag();
        records.update("account", id, Map.of("name", "Version 2"), MatchConditions.ifMatch(staleEtag));

        assertThrows(PreconditionFailedException.class,
                () -> records.update("account", id, Map.of("name", "Version 3"), MatchConditions.ifMatch(staleEtag)));

        assertEquals("Version 2", records.get("account", id).getString("name"));
    }

    @Test
    void updateWithTheCurrentETagSucceeds() {
        UUID id = records.create("account", Map.of("name", "Version 1"));
        DataverseRecord current = records.get("account", id);

        records.update("account", id, Map.of("name", "Version 2"), MatchConditions.ifMatch(current.getEtag()));

        DataverseRecord updated = records.get("account", id);
        assertEquals("Version 2", updated.getString("name"));
        assertNotEquals(current.getEtag(), updated.getEtag());
    }

    @ParameterizedTest
    @ValueSource(strings = {"O'Brien & Sons", "a/b\\c?d#e", "Zürich ☃ 東京", "100% 'quoted' ''twice''", "x=1,y=2)"})
    void upsertByAlternateKeyCreatesThenUpdatesTheSameRecordWhateverTheKeyCharacters(String accountNumber) {
        createAccountNumberKey();
        RecordKey key = RecordKey.alternate("accountnumber", accountNumber);

        UUID created = records.upsert("account", key, Map.of("name", "First"));
        UUID updated = records.upsert("account", key, Map.of("name", "Second"));

        assertEquals(created, updated);
        assertEquals(1, emulator.recordCount("account"));
        DataverseRecord account = records.get("account", key);
        assertEquals(created, account.getId());
        assertEquals("Second", account.getString("name"));
        assertEquals(accountNumber, account.getString("accountnumber"));
    }

    @Test
    void updateAndDeleteByAlternateKey() {
        createAccountNumberKey();
        UUID id = records.create("account", Map.of("name", "Keyed", "accountnumber", "K-1"));
        RecordKey key = RecordKey.alternate("accountnumber", "K-1");

        records.update("account", key, Map.of("name", "Keyed again"));
        assertEquals("Keyed again", records.get("account", id).getString("name"));

        records.delete("account", key);
        assertThrows(NotFoundException.class, () -> records.get("account", key));
        assertEquals(0, emulator.recordCount("account"));
    }

    @Test
    void upsertByIdCreatesTheRecordWithThatId() {
        UUID id = UUID.randomUUID();

        assertEquals(id, records.upsert("account", id, Map.of("name", "Chosen id")));

        assertEquals("Chosen id", records.get("account", id).getString("name"));
    }

    @Test
    void deleteRemovesTheRecordAndASecondDeleteThrowsNotFound() {
        UUID id = records.create("account", Map.of("name", "Doomed"));

        records.delete("account", id);

        assertThrows(NotFoundException.class, () -> records.get("account", id));
        assertThrows(NotFoundException.class, () -> records.delete("account", id));
        assertEquals(0, emulator.recordCount("account"));
    }

    @Test
    void getOfAMissingRecordThrowsNotFoundWithTheServiceErrorCode() {
        NotFoundException e = assertThrows(NotFoundException.class, () -> records.get("account", UUID.randomUUID()));

        assertEquals(404, e.getStatusCode());
        assertNotNull(e.getCorrelationId());
    }

    @Test
    void anEntityReferenceBindsALookupThatReadsBackAsItsValueColumn() {
        UUID contactId = records.create("contact", Map.of("firstname", "Ada", "lastname", "Lovelace"));

        UUID accountId = records.create("account", Map.of(
                "name", "With contact",
                "primarycontactid", new EntityReference("contact", contactId)));

        DataverseRecord account = records.get("account", accountId, RetrieveOptions.builder().includeAnnotations(true).build());
        assertEquals(contactId, account.getUuid("_primarycontactid_value"));
        assertEquals("contact", account.lookupLogicalName("_primarycontactid_value"));
        assertEquals("Ada Lovelace", account.formattedValue("_primarycontactid_value"));
    }

    @Test
    void formattedValuesArePresentOnlyWhenAnnotationsAreAskedFor() {
        UUID id = records.create("account", Map.of("name", "Formatted", "industrycode", 1, "creditonhold", true));

        DataverseRecord plain = records.get("account", id);
        DataverseRecord annotated = records.get("account", id, RetrieveOptions.builder().includeAnnotations(true).build());

        assertNull(plain.formattedValue("industrycode"));
        assertEquals("Accounting", annotated.formattedValue("industrycode"));
        assertEquals("Yes", annotated.formattedValue("creditonhold"));
    }

    @Test
    void invalidTableNamesThrowInvalidInputBeforeAnyRequest() {
        UUID id = UUID.randomUUID();
        Map<String, Object> row = Map.of("name", "x");

        assertThrows(InvalidInputException.class, () -> records.create("account/../x", row));
        assertThrows(InvalidInputException.class, () -> records.get("account/../x", id));
        assertThrows(InvalidInputException.class, () -> records.update("account/../x", id, row));
        assertThrows(InvalidInputException.class, () -> records.upsert("account'", RecordKey.alternate("accountnumber", "1"), row));
        assertThrows(InvalidInputException.class, () -> records.delete("account?x=1", id));
        assertThrows(InvalidInputException.class, () -> records.page("account/../x"));

        assertEquals(0, requests());
    }

    @Test
    void invalidColumnNamesThrowInvalidInputBeforeAnyRequest() {
        assertThrows(InvalidInputException.class, () -> records.create("account", Map.of("name'", "x")));
        assertThrows(InvalidInputException.class, () -> RetrieveOptions.builder().select("name'").build());
        assertThrows(InvalidInputException.class, () -> RecordKey.alternate("accountnumber'", "1"));

        assertEquals(0, requests());
    }

    @Test
    void anUnsupportedValueTypeThrowsInvalidInputNamingTheColumnBeforeAnyRequest() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> records.create("account", Map.of("name", "ok", "description", new Object())));

        assertTrue(e.getMessage().contains("description"), e.getMessage());
        assertEquals(0, requests());
        assertEquals(0, emulator.recordCount("account"));
    }

    @Test
    void nullArgumentsThrowNullPointerExceptionNamingTheParameter() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> records.get("account", (UUID) null));

        assertTrue(e.getMessage().contains("id"), e.getMessage());
        assertEquals(0, requests());
    }

    @Test
    void callsOnAClosedClientThrowClientClosedWithoutARequest() {
        client.close();

        assertThrows(ClientClosedException.class, () -> records.create("account", Map.of("name", "late")));
        assertThrows(ClientClosedException.class, () -> records.get("account", UUID.randomUUID()));
        assertThrows(ClientClosedException.class, () -> records.list("account").stream().findFirst());

        assertEquals(0, requests());
    }

    /** list(): a lazy Stream over page-by-page blocking calls. */
    @Nested
    class List_ {
        private final ListOptions fivePerPage = ListOptions.builder().pageSize(5).build();

        private Set<UUID> create(int count) {
            Set<UUID> ids = new HashSet<>();
            for (int i = 0; i < count; i++) {
                ids.add(records.create("account", Map.of("name", "Account " + i, "numberofemployees", i)));
            }
            return ids;
        }

        @Test
        void streamsEveryRecordExactlyOncePageByPage() {
            Set<UUID> created = create(23);
            long before = requests();

            List<UUID> listed;
            try (Stream<DataverseRecord> stream = records.list("account", fivePerPage).stream()) {
                listed = stream.map(DataverseRecord::getId).collect(Collectors.toList());
            }

            assertEquals(23, listed.size());
            assertEquals(created, new HashSet<>(listed));
            assertEquals(5, requests() - before, "23 records in pages of 5 take 5 requests");
        }

        @Test
        void sendsNothingUntilConsumedAndFetchesOnlyThePagesItConsumes() {
            create(23);
            long before = requests();

            Stream<DataverseRecord> stream = records.list("account", fivePerPage).stream();
            assertEquals(0, requests() - before, "creating the stream sends nothing");

            assertEquals(3, stream.limit(3).count());
            assertEquals(1, requests() - before, "3 records of pages of 5 take one request");

            assertEquals(6, records.list("account", fivePerPage).stream().limit(6).count());
            assertEquals(3, requests() - before, "6 records take two more requests");
        }

        @Test
        void closingTheStreamStopsFetching() {
            create(12);
            long before = requests();
            Stream<DataverseRecord> stream = records.list("account", fivePerPage).stream();
            Iterator<DataverseRecord> iterator = stream.iterator();
            for (int i = 0; i < 5; i++) iterator.next();

            stream.close();

            assertFalse(iterator.hasNext());
            assertEquals(1, requests() - before);
        }

        @Test
        void honoursTheQueryOptions() {
            create(10);

            List<Integer> employees = records.list("account", ListOptions.builder()
                            .select("numberofemployees").filter(Filter.raw("numberofemployees ge 7")).orderBy("numberofemployees desc").build()).stream()
                    .map(r -> r.getInt("numberofemployees"))
                    .collect(Collectors.toList());

            assertEquals(List.of(9, 8, 7), employees);
        }

        @Test
        void anEmptyTableGivesAnEmptyStreamAfterOneRequest() {
            records.list("contact").stream().count(); // table metadata lookup
            long before = requests();

            assertEquals(0, records.list("contact").stream().count());
            assertEquals(1, requests() - before);
        }

        @Test
        void anInvalidTableNameThrowsWhenListIsCalledBeforeAnyRequest() {
            assertThrows(InvalidInputException.class, () -> records.list("account/../x").stream());
            assertThrows(InvalidInputException.class, () -> records.list("name'"));

            assertEquals(0, requests());
        }

        @Test
        void serviceErrorsSurfaceFromTheStreamOperationNotFromList() {
            Stream<DataverseRecord> stream = records.list("nosuchtable").stream();
            assertEquals(0, requests());

            assertThrows(NotFoundException.class, stream::count);
        }

        @Test
        void pageSizesOutsideOneTo5000AreRejectedWhenTheOptionsAreBuilt() {
            assertThrows(InvalidInputException.class, () -> ListOptions.builder().pageSize(0).build());
            assertThrows(InvalidInputException.class, () -> ListOptions.builder().pageSize(5001).build());
            assertEquals(5000, ListOptions.builder().pageSize(5000).build().getPageSize());
        }

        @Test
        void manualPagingFollowsContinuationTokens() {
            Set<UUID> created = create(7);

            dev.dataverse.Page first = records.page("account", fivePerPage);
            dev.dataverse.Page second = records.page("account", fivePerPage, first.getContinuationToken());

            assertEquals(5, first.getRecords().size());
            assertTrue(first.hasNext());
            assertEquals(2, second.getRecords().size());
            assertNull(second.getContinuationToken());
            Set<UUID> seen = Stream.concat(first.getRecords().stream(), second.getRecords().stream())
                    .map(DataverseRecord::getId).collect(Collectors.toSet());
            assertEquals(created, seen);
        }
    }
}
