package dev.dataverse.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataverse.DataverseRecord;
import dev.dataverse.InvalidInputException;
import dev.dataverse.RequestOptions;
import dev.dataverse.RequestTimeoutException;
import dev.dataverse.emulator.FaultKind;
import dev.dataverse.emulator.FaultRule;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * Per-call timeouts for Java: {@code withTimeout(Duration)} views of the blocking and the CompletableFuture client. A
 * view bounds each call made through it (retries and waits included) and cancels the call's HTTP exchange when the time
 * is up; the client it came from keeps its own bounds.
 */
class PerCallTimeoutTest extends EmulatorTestSupport {

    /** The x-ms-client-request-id of every attempt the client sends, as a policy sees it. */
    private final List<String> sentIds = new CopyOnWriteArrayList<>();

    private DataverseBlockingClient recordingClient() {
        return newBuilder().addPolicy(request -> sentIds.add(request.getClientRequestId())).buildClient();
    }

    private void slowReadsOfAccounts(long millis) {
        emulator.faults().add(FaultRule.builder(FaultKind.LATENCY).latencyMillis(millis).methods("GET").pathPattern("accounts.*").build());
    }

    @Test
    void aBlockingCallThroughATimeoutViewFailsWithTheIdsOfTheAttemptItWasWaitingFor() {
        UUID id = records.create("account", Map.of("name", "Slow"));
        slowReadsOfAccounts(600_000);
        try (DataverseBlockingClient client = recordingClient()) {
            RequestTimeoutException e = assertThrows(RequestTimeoutException.class,
                    () -> client.withTimeout(Duration.ofMillis(300)).records().get("account", id));
            assertTrue(e.getMessage().contains("operation timeout"), e.getMessage());
            assertTrue(e.isTransient());
            // The request id of the exchange that was cut short, not a placeholder: the one the client put on the wire.
            assertNotNull(e.getClientRequestId());
            assertEquals(sentIds.get(sentIds.size() - 1), e.getClientRequestId());
            assertNotNull(e.getCorrelationId());
            assertNotEquals(e.getCorrelationId(), e.getClientRequestId());
        }
    }

    @Test
    void theViewBoundsOnlyItsOwnCallsAndCombinesWithRequestOptions() {
        UUID id = records.create("account", Map.of("name", "Somewhat slow"));
        slowReadsOfAccounts(400);
        DataverseBlockingClient bounded = client.withTimeout(Duration.ofMillis(100));
        assertThrows(RequestTimeoutException.class, () -> bounded.records().get("account", id));
        // The client the view came from has no operation timeout: the same read waits and succeeds.
        assertEquals("Somewhat slow", client.records().get("account", id).getString("name"));
        // A generous timeout lets the call through; options and timeout views stack in either order.
        RequestOptions tagged = RequestOptions.builder().tag("per-call-timeout").build();
        DataverseRecord read = client.withOptions(tagged).withTimeout(Duration.ofSeconds(60)).records().get("account", id);
        assertEquals("Somewhat slow", read.getString("name"));
        assertEquals("per-call-timeout", emulator.getStats().getLastTag());
        assertThrows(RequestTimeoutException.class, () -> client.withTimeout(Duration.ofMillis(100))
                .withOptions(RequestOptions.builder().tag("second").build()).records().get("account", id));
    }

    @Test
    void anAsyncCallThroughATimeoutViewFailsItsFutureWithTheTimeout() throws Exception {
        UUID id = records.create("account", Map.of("name", "Slow async"));
        slowReadsOfAccounts(600_000);
        try (DataverseBlockingClient client = recordingClient()) {
            CompletableFuture<DataverseRecord> read = client.async().withTimeout(Duration.ofMillis(300)).records().get("account", id);
            ExecutionException e = assertThrows(ExecutionException.class, read::get);
            RequestTimeoutException timeout = assertInstanceOf(RequestTimeoutException.class, e.getCause());
            assertEquals(sentIds.get(sentIds.size() - 1), timeout.getClientRequestId());
        }
        emulator.faults().clear();
        // A call that completes in time completes its future normally.
        assertEquals("Slow async", client.async().withTimeout(Duration.ofSeconds(60)).records().get("account", id).get().getString("name"));
    }

    @Test
    void aTimeoutThatIsNotPositiveIsRefusedBeforeAnythingIsSent() {
        long before = requests();
        InvalidInputException zero = assertThrows(InvalidInputException.class, () -> client.withTimeout(Duration.ZERO));
        assertTrue(zero.getMessage().contains("'timeout' must be positive"), zero.getMessage());
        assertThrows(InvalidInputException.class, () -> client.async().withTimeout(Duration.ofSeconds(-1)));
        assertEquals(before, requests());
    }
}
