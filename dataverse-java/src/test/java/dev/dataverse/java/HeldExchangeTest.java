package dev.dataverse.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataverse.BulkOptions;
import dev.dataverse.BulkResult;
import dev.dataverse.ClientClosedException;
import dev.dataverse.HttpPolicy;
import dev.dataverse.RequestTimeoutException;
import dev.dataverse.RetryOptions;
import dev.dataverse.WhoAmI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A blocking call whose request is the call's only one waits for the response on the calling thread (no hand-off to a
 * pooled thread and back); its deadline and the client's close still end it, without leaving an interrupt on the
 * caller's thread, and a bulk call, whose requests run side by side, is not serialised onto that thread.
 */
class HeldExchangeTest extends EmulatorTestSupport {

    private static DataverseClientBuilder stallingBuilder(StallingServer server) {
        return new DataverseClientBuilder().environmentUrl(server.url()).token("t");
    }

    /** Whether the thread's stack shows it waiting inside the JDK client's blocking send. */
    private static boolean waitsInJdkSend(Thread thread) {
        return Arrays.stream(thread.getStackTrace())
                .anyMatch(frame -> frame.getClassName().equals("jdk.internal.net.http.HttpClientImpl") && frame.getMethodName().equals("send"));
    }

    /** A blocking call made on a thread of its own: what it threw (null when it returned) and its interrupt status after. */
    private static final class Caller {
        final CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        final CompletableFuture<Boolean> interruptedAfter = new CompletableFuture<>();
        final Thread thread;

        private Caller(Runnable call) {
            thread = new Thread(() -> {
                try {
                    call.run();
                    outcome.complete(null);
                } catch (Throwable e) {
                    outcome.complete(e);
                }
                interruptedAfter.complete(Thread.currentThread().isInterrupted());
            }, "blocking-caller");
        }

        static Caller start(Runnable call) {
            Caller caller = new Caller(call);
            caller.thread.start();
            return caller;
        }
    }

    @Test
    void theResponseOfABlockingCallIsAwaitedOnTheCallingThread() throws Exception {
        try (StallingServer server = new StallingServer(1);
             DataverseBlockingClient client = stallingBuilder(server).buildClient()) {
            Caller caller = Caller.start(client::whoAmI);
            server.awaitStalledRequest();

            boolean seen = false;
            for (int i = 0; i < 200 && !seen; i++) {
                seen = waitsInJdkSend(caller.thread);
                if (!seen) Thread.sleep(10);
            }
            assertTrue(seen, "the calling thread waits in HttpClient.send: " + Arrays.toString(caller.thread.getStackTrace()));

            client.close();
            assertTrue(caller.outcome.get(30, TimeUnit.SECONDS) instanceof ClientClosedException);
            server.awaitClientHangUp();
        }
    }

    @Test
    void aBodyThatStallsPastTheRequestTimeoutEndsInRequestTimeoutWithoutInterruptingTheCaller() throws Exception {
        try (StallingServer server = new StallingServer(1, true);
             DataverseBlockingClient client = stallingBuilder(server)
                     .requestTimeout(Duration.ofMillis(700))
                     .retry(RetryOptions.NONE)
                     .buildClient()) {
            RequestTimeoutException timedOut = assertThrows(RequestTimeoutException.class, client::whoAmI);

            assertTrue(timedOut.getMessage().contains("timed out"), timedOut.getMessage());
            assertFalse(Thread.currentThread().isInterrupted(), "the client's own interrupt never reaches the caller");
            server.awaitClientHangUp(); // the stalled exchange was aborted, its connection closed
            WhoAmI next = client.whoAmI();
            assertEquals(StallingServer.USER_ID, next.getUserId());
            assertFalse(Thread.currentThread().isInterrupted());
        }
    }

    @Test
    void closingTheClientEndsAHeldCallAndLeavesTheCallerUninterrupted() throws Exception {
        try (StallingServer server = new StallingServer(1)) {
            DataverseBlockingClient client = stallingBuilder(server).buildClient();
            Caller caller = Caller.start(client::whoAmI);
            server.awaitStalledRequest();

            client.close();

            assertTrue(caller.outcome.get(30, TimeUnit.SECONDS) instanceof ClientClosedException);
            assertFalse(caller.interruptedAfter.get(30, TimeUnit.SECONDS));
            server.awaitClientHangUp();
        }
    }

    @Test
    void aBulkCallFromTheBlockingFacadeStillSendsItsChunksSideBySide() {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        HttpPolicy counting = new HttpPolicy() {
            @Override
            public void onRequest(HttpPolicy.Request request) {
                if (request.getUrl().contains("CreateMultiple")) peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            }

            @Override
            public void onResponse(HttpPolicy.Request request, HttpPolicy.Response response) {
                if (request.getUrl().contains("CreateMultiple")) inFlight.decrementAndGet();
            }
        };
        try (DataverseBlockingClient bulkClient = newBuilder().addPolicy(counting).buildClient()) {
            List<Map<String, Object>> accounts = IntStream.range(0, 400)
                    .mapToObj(i -> Map.<String, Object>of("name", "Held " + i))
                    .collect(Collectors.toList());

            BulkResult result = bulkClient.records().createMany("account", accounts,
                    BulkOptions.builder().chunkSize(10).maxParallelism(4).build());

            assertEquals(400, result.getSucceeded());
            assertTrue(peak.get() > 1, "chunks were sent side by side, at most " + peak.get() + " at once");
        }
    }
}
