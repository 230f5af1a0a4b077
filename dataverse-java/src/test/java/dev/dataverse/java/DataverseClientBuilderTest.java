package dev.dataverse.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataverse.AccessToken;
import dev.dataverse.AuthenticationException;
import dev.dataverse.BatchRequest;
import dev.dataverse.BulkOptions;
import dev.dataverse.HttpEngine;
import javax.net.ssl.SSLContext;
import java.util.concurrent.CopyOnWriteArrayList;
import dev.dataverse.HttpPolicy;
import dev.dataverse.InvalidInputException;
import dev.dataverse.ListOptions;
import dev.dataverse.MalformedResponseException;
import dev.dataverse.RequestTimeoutException;
import dev.dataverse.RetryOptions;
import dev.dataverse.WhoAmI;
import dev.dataverse.emulator.DataverseEmulator;
import dev.dataverse.emulator.EmulatorOptions;
import dev.dataverse.emulator.FaultKind;
import dev.dataverse.emulator.FaultRule;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DataverseClientBuilderTest extends EmulatorTestSupport {

    private static AccessToken hourLong(String token) {
        return new AccessToken(token, Instant.now().plus(Duration.ofHours(1)));
    }

    @Test
    void theTestsRunWithoutAzureCoreOnTheClasspath() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("com.azure.core.credential.TokenCredential"));

        try (DataverseBlockingClient client = newBuilder().buildClient()) {
            assertEquals(emulator.getBaseUrl(), client.environmentUrl());
            client.whoAmI();
        }
    }

    @Test
    void aMissingEnvironmentUrlFailsTheBuild() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> new DataverseClientBuilder().token("t").buildClient());

        assertTrue(e.getMessage().contains("environmentUrl"), e.getMessage());
    }

    @Test
    void missingCredentialsFailTheBuild() {
        DataverseClientBuilder builder = new DataverseClientBuilder().environmentUrl(emulator.getBaseUrl());

        assertThrows(InvalidInputException.class, builder::buildClient);
        assertThrows(InvalidInputException.class, builder::buildAsyncClient);
        assertEquals(0, requests());
    }

    @Test
    void plainHttpIsRefusedExceptToLoopback() {
        DataverseClientBuilder builder = new DataverseClientBuilder();

        assertThrows(InvalidInputException.class, () -> builder.environmentUrl("http://contoso.crm.dynamics.com"));
        assertThrows(InvalidInputException.class, () -> builder.environmentUrl("https://contoso.crm.dynamics.com/api/data"));
        assertThrows(InvalidInputException.class, () -> builder.environmentUrl("not a url"));
        builder.environmentUrl("http://127.0.0.1:8080");
        builder.environmentUrl("https://contoso.crm.dynamics.com");
    }

    @Test
    void blankTokensAreRefused() {
        assertThrows(InvalidInputException.class, () -> new DataverseClientBuilder().token(""));
        assertThrows(InvalidInputException.class, () -> new DataverseClientBuilder().token("   "));
        assertThrows(InvalidInputException.class, () -> new DataverseClientBuilder().token("a\r\nX-Injected: 1"));
    }

    @Test
    void twoKindsOfCredentialFailTheBuildWithoutCallingTheProviderOrSendingAnything() {
        AtomicInteger calls = new AtomicInteger();
        DataverseClientBuilder builder = new DataverseClientBuilder()
                .environmentUrl(emulator.getBaseUrl())
                .token("t")
                .tokenProvider(scope -> {
                    calls.incrementAndGet();
                    return hourLong("p");
                });

        InvalidInputException e = assertThrows(InvalidInputException.class, builder::buildClient);

        assertTrue(e.getMessage().contains("only one"), e.getMessage());
        assertEquals(0, calls.get());
        assertEquals(0, requests());
    }

    @Test
    void nonPositiveTimeoutsAndOtherInvalidSettingsAreRefusedByTheirSetter() {
        DataverseClientBuilder builder = newBuilder();

        assertThrows(InvalidInputException.class, () -> builder.requestTimeout(Duration.ZERO));
        assertThrows(InvalidInputException.class, () -> builder.requestTimeout(Duration.ofSeconds(-1)));
        assertThrows(InvalidInputException.class, () -> builder.connectTimeout(Duration.ZERO));
        assertThrows(InvalidInputException.class, () -> builder.maxConnections(0));
        assertThrows(InvalidInputException.class, () -> builder.maxConnections(1001));
        assertThrows(InvalidInputException.class, () -> builder.apiVersion("9.2"));
        assertThrows(InvalidInputException.class, () -> builder.applicationId("my app"));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> builder.requestTimeout(Duration.ZERO));
        assertTrue(e.getMessage().contains("requestTimeout"), e.getMessage());
        assertThrows(NullPointerException.class, () -> builder.requestTimeout(null));

        try (DataverseBlockingClient client = builder.requestTimeout(Duration.ofSeconds(30)).connectTimeout(Duration.ofSeconds(5))
                .maxConnections(8).apiVersion("v9.2").applicationId("tests/1.0").retry(RetryOptions.NONE).buildClient()) {
            assertEquals(emulator.getApiUrl(), client.apiUrl());
        }
        assertEquals(0, requests());
    }

    @Test
    void aBlockingTokenProviderIsCalledOnceOffTheCallersThreadForManyConcurrentCalls() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Set<String> scopes = ConcurrentHashMap.newKeySet();
        Set<Thread> providerThreads = ConcurrentHashMap.newKeySet();
        CountDownLatch release = new CountDownLatch(1);
        try (DataverseAsyncClient client = new DataverseClientBuilder()
                .environmentUrl(emulator.getBaseUrl())
                .tokenProvider(scope -> {
                    calls.incrementAndGet();
                    scopes.add(scope);
                    providerThreads.add(Thread.currentThread());
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return hourLong("from-provider");
                })
                .buildAsyncClient()) {
            // Each call starts on this thread and returns once it waits for the token, so all 20 wait together.
            List<CompletableFuture<WhoAmI>> futures = new ArrayList<>();
            for (int i = 0; i < 20; i++) futures.add(client.whoAmI());
            release.countDown();
            for (CompletableFuture<WhoAmI> future : futures) future.get(30, TimeUnit.SECONDS);

            client.blocking().whoAmI();

            assertEquals(1, calls.get());
            assertEquals(Set.of(emulator.getBaseUrl() + "/.default"), scopes);
            assertTrue(providerThreads.stream().noneMatch(t -> t == Thread.currentThread()));
            assertEquals(21, requests());
        }
    }

    @Test
    void theProvidersTokenIsTheOneSent() throws Exception {
        try (DataverseEmulator strict = DataverseEmulator.start(EmulatorOptions.builder().requiredToken("s3cret").build())) {
            DataverseClientBuilder builder = new DataverseClientBuilder().environmentUrl(strict.getBaseUrl());
            try (DataverseBlockingClient right = builder.tokenProvider(scope -> hourLong("s3cret")).buildClient();
                 DataverseBlockingClient wrong = new DataverseClientBuilder().environmentUrl(strict.getBaseUrl())
                         .tokenProvider(scope -> hourLong("other")).buildClient()) {
                right.whoAmI();
                assertThrows(AuthenticationException.class, wrong::whoAmI);
            }
        }
    }

    @Test
    void aFailingTokenProviderFailsTheCallWithAuthenticationException() {
        IllegalStateException cause = new IllegalStateException("vault unreachable");
        try (DataverseBlockingClient client = new DataverseClientBuilder()
                .environmentUrl(emulator.getBaseUrl())
                .tokenProvider(scope -> {
                    throw cause;
                })
                .buildClient()) {
            AuthenticationException e = assertThrows(AuthenticationException.class, client::whoAmI);

            assertTrue(e.getMessage().contains("vault unreachable"), e.getMessage());
            assertEquals(0, requests());
        }
    }

    @Test
    void aNullTokenFromTheProviderFailsTheCallWithAuthenticationException() {
        try (DataverseBlockingClient client = new DataverseClientBuilder()
                .environmentUrl(emulator.getBaseUrl())
                .tokenProvider(scope -> null)
                .buildClient()) {
            assertThrows(AuthenticationException.class, client::whoAmI);
            assertEquals(0, requests());
        }
    }

    @Test
    void anAsyncTokenProviderSuppliesTokensThroughItsFuture() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CompletableFuture<AccessToken> token = new CompletableFuture<>();
        try (DataverseAsyncClient client = new DataverseClientBuilder()
                .environmentUrl(emulator.getBaseUrl())
                .asyncTokenProvider(scope -> {
                    calls.incrementAndGet();
                    return token;
                })
                .buildAsyncClient()) {
            CompletableFuture<WhoAmI> first = client.whoAmI();
            CompletableFuture<WhoAmI> second = client.whoAmI();
            assertEquals(0, requests(), "nothing is sent before the token arrives");

            token.complete(hourLong("async"));

            assertEquals(first.get(30, TimeUnit.SECONDS), second.get(30, TimeUnit.SECONDS));
            assertEquals(1, calls.get());
            assertEquals(2, requests());
        }
    }

    @Test
    void aFailedAsyncTokenFailsTheCallWithAuthenticationException() {
        try (DataverseAsyncClient client = new DataverseClientBuilder()
                .environmentUrl(emulator.getBaseUrl())
                .asyncTokenProvider(scope -> CompletableFuture.failedFuture(new IllegalStateException("denied")))
                .buildAsyncClient()) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> client.whoAmI().get(30, TimeUnit.SECONDS));

            assertInstanceOf(AuthenticationException.class, e.getCause());
            assertEquals(0, requests());
        }
    }

    @Test
    void eachBuildMakesAnIndependentClient() {
        DataverseClientBuilder builder = newBuilder();
        DataverseBlockingClient first = builder.buildClient();
        DataverseBlockingClient second = builder.buildClient();

        first.close();

        assertTrue(first.isClosed());
        assertFalse(second.isClosed());
        assertNotEquals(first.core(), second.core());
        assertNotNull(second.whoAmI());
        second.close();
    }

    @Test
    void theResilienceAndLimitSettingsAreValidatedByTheirSetter() {
        DataverseClientBuilder builder = newBuilder();

        InvalidInputException concurrency = assertThrows(InvalidInputException.class, () -> builder.maxConcurrentRequests(0));
        assertTrue(concurrency.getMessage().contains("maxConcurrentRequests"), concurrency.getMessage());
        assertThrows(InvalidInputException.class, () -> builder.maxConcurrentRequests(1001));
        InvalidInputException timeout = assertThrows(InvalidInputException.class, () -> builder.operationTimeout(Duration.ZERO));
        assertTrue(timeout.getMessage().contains("operationTimeout"), timeout.getMessage());
        assertThrows(InvalidInputException.class, () -> builder.operationTimeout(Duration.ofMillis(-1)));
        InvalidInputException bytes = assertThrows(InvalidInputException.class, () -> builder.maxResponseBytes(1023));
        assertTrue(bytes.getMessage().contains("maxResponseBytes"), bytes.getMessage());
        assertThrows(NullPointerException.class, () -> builder.operationTimeout(null));
        assertThrows(NullPointerException.class, () -> builder.httpEngine(null));

        try (DataverseBlockingClient client = builder.maxConcurrentRequests(10).operationTimeout(Duration.ofMinutes(1))
                .maxResponseBytes(1024 * 1024).logBodies(true).httpEngine(HttpEngine.CIO).buildClient()) {
            client.whoAmI();
        }
    }

    @Test
    void maxConcurrentRequestsCapsTheRequestsInFlightOfABulkOperation() {
        // Slow answers make the bulk operation's chunks overlap for sure.
        emulator.faults().add(FaultRule.builder(FaultKind.LATENCY).latencyMillis(40).pathPattern(".*CreateMultiple").build());
        BulkOptions eightAtOnce = BulkOptions.builder().chunkSize(10).maxParallelism(8).build();
        records.createMany("account", BlockingRecordsBulkTest.accounts(100), eightAtOnce);
        int unlimited = emulator.getStats().getMaxInFlight();
        emulator.reset();
        emulator.faults().add(FaultRule.builder(FaultKind.LATENCY).latencyMillis(40).pathPattern(".*CreateMultiple").build());

        try (DataverseBlockingClient client = newBuilder().maxConcurrentRequests(1).buildClient()) {
            client.records().createMany("account", BlockingRecordsBulkTest.accounts(100), eightAtOnce);
        }

        assertEquals(100, emulator.recordCount("account"));
        assertTrue(unlimited >= 3, "without the cap, chunks overlap: " + unlimited);
        // The emulator counts a request as finished only after writing its answer, so it may see the next one arrive first.
        assertTrue(emulator.getStats().getMaxInFlight() <= 2, "with the cap: " + emulator.getStats().getMaxInFlight());
    }

    @Test
    void maxResponseBytesLimitsTheResponsesTheClientReads() {
        records.createMany("account", BlockingRecordsBulkTest.accounts(50));

        try (DataverseBlockingClient client = newBuilder().maxResponseBytes(1024).buildClient()) {
            client.whoAmI();
            assertThrows(MalformedResponseException.class, () -> client.records().page("account", ListOptions.DEFAULT, null));
        }
    }

    @Test
    void operationTimeoutBoundsACallThatGetsNoAnswer() throws Exception {
        try (StallingServer server = new StallingServer(1);
             DataverseBlockingClient client = new DataverseClientBuilder().environmentUrl(server.url()).token("t")
                     .operationTimeout(Duration.ofMillis(300)).buildClient()) {
            long started = System.nanoTime();

            assertThrows(RequestTimeoutException.class, client::whoAmI);

            assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(20));
        }
    }

    @Test
    void theCioHttpEngineRunsBulkOperationsAndBatches() {
        try (DataverseBlockingClient client = newBuilder().httpEngine(HttpEngine.CIO).buildClient()) {
            client.records().createMany("account", BlockingRecordsBulkTest.accounts(120), BulkOptions.builder().chunkSize(50).build());
            BatchRequest.Builder batch = BatchRequest.builder();
            batch.create("account", Map.of("name", "Batched"));

            assertTrue(client.batch(batch.build()).isSuccess());
        }

        assertEquals(121, emulator.recordCount("account"));
    }

    @Test
    void policiesAreJavaLambdasOrClassesRunOncePerAttemptInTheOrderAdded() {
        List<String> seen = new CopyOnWriteArrayList<>();
        HttpPolicy auditing = new HttpPolicy() {
            @Override
            public void onRequest(HttpPolicy.Request request) {
                seen.add("audit " + request.getMethod() + " " + request.header("x-trace"));
            }

            @Override
            public void onResponse(HttpPolicy.Request request, HttpPolicy.Response response) {
                seen.add("status " + response.getStatusCode() + " attempt " + request.getAttempt());
            }
        };
        try (DataverseBlockingClient client = newBuilder()
                .addPolicy(request -> request.setHeader("x-trace", "t-1"))
                .addPolicy(auditing)
                .buildClient()) {
            client.whoAmI();
        }

        assertEquals(List.of("audit GET t-1", "status 200 attempt 1"), seen);
    }

    @Test
    void aPolicyCannotSetTheAuthorizationHeaderAndNothingIsSent() {
        try (DataverseBlockingClient client = newBuilder().addPolicy(request -> request.setHeader("Authorization", "Bearer other")).buildClient()) {
            assertThrows(InvalidInputException.class, client::whoAmI);
        }

        assertEquals(0, requests());
    }

    @Test
    void anSslContextIsAcceptedAndCioAsksForItsTrustManager() throws Exception {
        SSLContext context = SSLContext.getDefault();
        try (DataverseBlockingClient client = newBuilder().sslContext(context).buildClient()) {
            assertEquals(WhoAmI.class, client.whoAmI().getClass());
        }
        InvalidInputException refused = assertThrows(InvalidInputException.class,
                () -> newBuilder().sslContext(context).httpEngine(HttpEngine.CIO).buildClient());
        assertTrue(refused.getMessage().contains("trust manager"));
    }
}
