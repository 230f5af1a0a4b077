package dev.dataverse.java;

import dev.dataverse.Filter;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataverse.BulkFailure;
import dev.dataverse.BulkOptions;
import dev.dataverse.BulkResult;
import dev.dataverse.InvalidInputException;
import dev.dataverse.ListOptions;
import dev.dataverse.Page;
import dev.dataverse.DataverseRecord;
import dev.dataverse.RequestTooLargeException;
import dev.dataverse.emulator.FaultKind;
import dev.dataverse.emulator.FaultRule;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The Java view of behaviour the documented service imposes: row limits, long URLs and requests too large. */
class WireFidelityTest extends EmulatorTestSupport {

    private void createAccounts(int count) {
        for (int i = 0; i < count; i++) {
            records.create("account", Map.of("name", String.format("Account %02d", i)));
        }
    }

    /** Learn: webapi/query/page-results ("Don't use $top with paging"): the client keeps the limit itself. */
    @Test
    void pageResultsRowLimitLargerThanAPageStopsAtTheLimitOverPages() {
        createAccounts(12);
        long before = requests();
        ListOptions options = ListOptions.builder().top(7).pageSize(3).orderBy("name").build();

        List<String> names = records.list("account", options).stream().map(r -> r.getString("name")).collect(Collectors.toList());

        assertEquals(IntStream.range(0, 7).mapToObj(i -> String.format("Account %02d", i)).collect(Collectors.toList()), names);
        assertEquals(3, requests() - before);
    }

    @Test
    void pageResultsContinuationTokensOfALimitedListingEndAtTheLimit() {
        createAccounts(12);
        ListOptions options = ListOptions.builder().top(5).pageSize(2).build();
        int seen = 0;
        String token = null;
        do {
            Page page = records.page("account", options, token);
            seen += page.getRecords().size();
            token = page.getContinuationToken();
        } while (token != null);
        assertEquals(5, seen);
    }

    /** Learn: webapi/query/overview "URL length limitations": 32 KB for a GET, 64 KB inside $batch. */
    @Test
    void urlLengthLimitationsAQueryOver32KbIsSentInsideBatch() {
        createAccounts(3);
        String longText = "x".repeat(40_000);
        ListOptions options = ListOptions.builder().filter(Filter.raw("name ne '" + longText + "'")).build();

        List<DataverseRecord> rows = records.list("account", options).stream().collect(Collectors.toList());

        assertEquals(3, rows.size());
    }

    @Test
    void urlLengthLimitationsAQueryOver64KbIsRefusedBeforeSending() {
        records.list("account", ListOptions.builder().top(1).build()).stream().count(); // the table's metadata is cached now
        long before = requests();
        ListOptions options = ListOptions.builder().filter(Filter.raw("name ne '" + "x".repeat(70_000) + "'")).build();

        InvalidInputException error = assertThrows(InvalidInputException.class, () -> records.list("account", options).stream().count());

        assertTrue(error.getMessage().contains("65536"), error.getMessage());
        assertEquals(0, requests() - before);
    }

    /** Learn: reference/web-service-error-codes, RequestLengthTooLarge (413, 0x8004418a). */
    @Test
    void requestTooLargeHalvesTheChunkUntilSingleInputsFailAloneAndNothingIsWritten() {
        emulator.faults().add(FaultRule.builder(FaultKind.REQUEST_TOO_LARGE).pathPattern("accounts/Microsoft.Dynamics.CRM.CreateMultiple").build());
        List<Map<String, Object>> inputs = List.of(Map.of("name", "a"), Map.of("name", "b"), Map.of("name", "c"), Map.of("name", "d"));
        try {
            BulkResult result = records.createMany("account", inputs, BulkOptions.builder().chunkSize(4).continueOnError(true).build());

            assertEquals(4, result.getFailures().size());
            for (BulkFailure failure : result.getFailures()) {
                RequestTooLargeException error = assertInstanceOf(RequestTooLargeException.class, failure.getError());
                assertEquals("0x8004418a", error.getErrorCode());
            }
            // 4 refused, then 2 refused and split into 1 + 1, both refused; the other half is sent at the smaller size
            // the operation learned (1 + 1) instead of as a 2 bound to be refused.
            assertEquals(6, emulator.getStats().faultsInjected(FaultKind.REQUEST_TOO_LARGE));
            assertEquals(0, emulator.recordCount("account"));
        } finally {
            emulator.faults().clear();
        }
        BulkResult retried = records.createMany("account", inputs, BulkOptions.builder().chunkSize(4).build());
        assertTrue(retried.isSuccess());
        assertEquals(4, emulator.recordCount("account"));
        assertTrue(retried.getIds().stream().allMatch(Objects::nonNull));
    }
}
