package com.example.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataverse.MessageRequest;
import dev.dataverse.emulator.CustomApi;
import dev.dataverse.emulator.CustomApiBindingType;
import dev.dataverse.emulator.CustomApiProperty;
import dev.dataverse.emulator.CustomApiType;
import dev.dataverse.emulator.DataverseEmulator;
import dev.dataverse.java.DataverseBlockingClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * With {@code spring.threads.virtual.enabled=true}, Tomcat serves each request on a virtual thread, and the blocking
 * client's calls from it must not pin the carrier: the facade waits in kotlinx-coroutines' {@code runBlocking}, which
 * parks the thread with {@code LockSupport.parkNanos}, and a parked virtual thread leaves its carrier.
 *
 * <p>Proof without timing: the JVM gets a single carrier thread, and the emulator answers a custom API only once
 * {@value #CALLS} calls of it have arrived (a barrier). If a waiting call held the carrier, the second request could not
 * run and the barrier would never fill. JFR's {@code jdk.VirtualThreadPinned} events (threshold 0) are recorded meanwhile:
 * none may occur. (The emulator holds one of its request threads per waiting call, one per CPU: the JVM reports eight.)
 * Runs on JDK 21 or newer (the build runs it on the Temurin 25 JDK when the machine has one, see the
 * pom); on an older JDK it is skipped, saying so.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"spring.threads.virtual.enabled=true", "dataverse.emulator.enabled=true"})
@Import(VirtualThreadsTest.BarrierController.class)
class VirtualThreadsTest {
    static final int CALLS = 4;
    /** The current round: a latch the calls wait on, and how many of them arrived. */
    record Round(CountDownLatch latch, AtomicInteger arrived) {
        Round(int calls) {
            this(new CountDownLatch(calls), new AtomicInteger());
        }
    }

    static final AtomicReference<Round> BARRIER = new AtomicReference<>();

    @RestController
    static class BarrierController {
        private final DataverseBlockingClient dataverse;

        BarrierController(DataverseBlockingClient dataverse) {
            this.dataverse = dataverse;
        }

        /** A blocking Dataverse call from the request's thread, which the response names. */
        @GetMapping("/test/barrier")
        String barrier() {
            Object arrived = dataverse.messages().execute(MessageRequest.action("test_Barrier").build()).toMap().get("Arrived");
            return arrived + " " + Thread.currentThread();
        }
    }

    @Value("${local.server.port}")
    int port;

    @Autowired
    DataverseEmulator emulator;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void blockingCallsFromVirtualThreadRequestHandlersDoNotPinTheCarrier() throws Exception {
        String jdk = Runtime.version() + " (" + System.getProperty("java.vm.vendor") + ", " + System.getProperty("java.home") + ")";
        Assumptions.assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21 or newer; this JVM is " + jdk);
        System.out.println("[virtual threads] JDK " + jdk + ", carrier threads: "
            + System.getProperty("jdk.virtualThreadScheduler.parallelism", "one per CPU"));

        emulator.registerCustomApi(new CustomApi("test_Barrier", false, CustomApiBindingType.GLOBAL, null, List.of(),
            List.of(new CustomApiProperty("Arrived", CustomApiType.INTEGER)), invocation -> {
                Round round = BARRIER.get();
                round.arrived().incrementAndGet();
                round.latch().countDown();
                try {
                    round.latch().await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Map.of("Arrived", round.arrived().get());
            }));

        // Warm-up: the request path's classes load once (class loading from a virtual thread pins it, a JDK limit).
        BARRIER.set(new Round(1));
        assertEquals(200, get("/test/barrier").statusCode());

        Path events = Files.createTempFile("pinned", ".jfr");
        List<String> answers = new ArrayList<>();
        try (Recording recording = new Recording()) {
            recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
            recording.start();
            BARRIER.set(new Round(CALLS));
            List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
            for (int i = 0; i < CALLS; i++) {
                responses.add(http.sendAsync(HttpRequest.newBuilder(url("/test/barrier")).GET().build(), HttpResponse.BodyHandlers.ofString()));
            }
            for (CompletableFuture<HttpResponse<String>> response : responses) {
                HttpResponse<String> done = response.get(60, TimeUnit.SECONDS);
                assertEquals(200, done.statusCode(), done.body());
                answers.add(done.body());
            }
            recording.stop();
            recording.dump(events);
        }
        List<RecordedEvent> pinned = RecordingFile.readAllEvents(events);
        Files.delete(events);
        System.out.println("[virtual threads] " + CALLS + " requests, answers " + answers + ", pinned events: " + pinned.size());

        for (String answer : answers) {
            assertTrue(answer.startsWith(CALLS + " "), "every call saw all " + CALLS + " at the barrier at once: " + answers);
            assertTrue(answer.contains("VirtualThread["), "the request ran on a virtual thread: " + answer);
        }
        assertEquals(List.of(), pinned.stream().map(event -> event.getThread() + " pinned " + event.getDuration() + ": "
            + event.getStackTrace().getFrames().stream().limit(12).map(Object::toString).collect(Collectors.joining(" <- ")))
            .collect(Collectors.toList()));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(url(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
