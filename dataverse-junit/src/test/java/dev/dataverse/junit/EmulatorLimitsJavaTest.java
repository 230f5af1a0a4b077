package dev.dataverse.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataverse.emulator.CustomApi;
import dev.dataverse.emulator.CustomApiBindingType;
import dev.dataverse.emulator.DataverseEmulator;
import dev.dataverse.emulator.EmulatorOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * The emulator's request timeout, solutions and handler failures as Java code configures and meets them. Learn:
 * "Analyze plug-in performance" (a message operation has 2 minutes), "Use InvalidPluginExecutionException in plug-ins and
 * workflow activities" (other exceptions from plug-in code are IsvUnExpected), web-service-error-codes, and "Solution
 * table/entity reference" (a unique name has at most 65 characters).
 */
class EmulatorLimitsJavaTest {

    private static HttpResponse<String> post(DataverseEmulator emulator, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(emulator.getApiUrl() + "/" + path))
                .header("Authorization", "Bearer t")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theBuilderSetsTheRequestTimeoutAndSolutionsAndRefusesBadValues() {
        EmulatorOptions options = EmulatorOptions.builder().requestTimeout(Duration.ofSeconds(5)).solutions(Set.of("Contoso_Core")).build();
        assertEquals(Duration.ofSeconds(5), options.getRequestTimeout());
        assertEquals(Set.of("Contoso_Core"), options.getSolutions());
        assertEquals(Duration.ofMinutes(2), EmulatorOptions.builder().build().getRequestTimeout());
        assertThrows(IllegalArgumentException.class, () -> EmulatorOptions.builder().requestTimeout(Duration.ZERO).build());
        assertThrows(IllegalArgumentException.class, () -> EmulatorOptions.builder().solutions(Set.of("has space")).build());
        assertThrows(IllegalArgumentException.class, () -> EmulatorOptions.builder().solutions(Set.of("S" + "x".repeat(65))).build());
    }

    @Test
    void solutionsAreAddedAtRuntimeAndListedWithTheDefaultOne() {
        try (DataverseEmulator emulator = DataverseEmulator.start(EmulatorOptions.builder().solutions(Set.of("Contoso_Core")).build())) {
            assertTrue(emulator.addSolution("Contoso_Later"));
            assertFalse(emulator.addSolution("contoso_later"));
            assertEquals(List.of("Contoso_Core", "Contoso_Later", "Default"), emulator.getSolutions());
            assertThrows(IllegalArgumentException.class, () -> emulator.addSolution("9lives"));
        }
    }

    @Test
    void aHandlerThatNeverReturnsIsAnsweredWithTheTimeoutErrorAndOneThrowingAnErrorWithIsvUnexpected() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (DataverseEmulator emulator = DataverseEmulator.start(EmulatorOptions.builder().requestTimeout(Duration.ofMillis(200)).build())) {
            emulator.registerCustomApi(new CustomApi("sample_Stuck", false, CustomApiBindingType.GLOBAL, null, List.of(), List.of(), call -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Map.of();
            }));
            emulator.registerCustomApi(new CustomApi("sample_Broken", false, CustomApiBindingType.GLOBAL, null, List.of(), List.of(), call -> {
                throw new AssertionError("broken handler");
            }));

            HttpResponse<String> stuck = post(emulator, "sample_Stuck");
            assertEquals(500, stuck.statusCode());
            assertTrue(stuck.body().contains("\"code\":\"0x80044151\""), stuck.body());

            HttpResponse<String> broken = post(emulator, "sample_Broken");
            assertEquals(500, broken.statusCode());
            assertTrue(broken.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), broken.headers().toString());
            assertTrue(broken.body().contains("\"code\":\"0x80040224\""), broken.body());
            assertTrue(broken.body().contains("An unexpected error occurred from ISV code."), broken.body());
        } finally {
            release.countDown();
        }
    }
}
