package com.example.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.TraceContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.micrometer.tracing.test.autoconfigure.AutoConfigureTracing;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Boot's tracing bridge (Micrometer Tracing with Brave, added as an application adds it) makes spans of the starter's
 * observations with no Dataverse configuration: the call's span is a child of the server request's, and each HTTP
 * attempt a CLIENT span under the call's, in one trace.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"dataverse.emulator.enabled=true", "management.tracing.sampling.probability=1.0"})
@AutoConfigureTracing
@Import(TracingTest.Spans.class)
class TracingTest {
    static final List<MutableSpan> FINISHED = new CopyOnWriteArrayList<>();

    /** Keeps every finished span, as a reporter would send it. */
    @TestConfiguration
    static class Spans {
        @Bean
        SpanHandler keepFinishedSpans() {
            return new SpanHandler() {
                @Override
                public boolean end(TraceContext context, MutableSpan span, Cause cause) {
                    FINISHED.add(span);
                    return true;
                }
            };
        }
    }

    private static String describe() {
        return FINISHED.stream().map(span -> span.name() + "/" + span.kind() + " " + span.traceId() + "/" + span.id() + " parent " + span.parentId())
            .collect(Collectors.joining(", "));
    }

    @Value("${local.server.port}")
    int port;

    @Test
    void aCallMadeWhileServingARequestIsTracedUnderItsSpan() throws Exception {
        HttpResponse<String> created = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/accounts")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Traced\"}")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());

        MutableSpan call = FINISHED.stream().filter(span -> "records.create".equals(span.name())).findFirst()
            .orElseThrow(() -> new AssertionError("no records.create span among " + describe()));
        // The server request's span ends after its response was sent: wait for it (a bounded wait, not a timing check).
        for (int i = 0; i < 200 && FINISHED.stream().noneMatch(span -> span.kind() == brave.Span.Kind.SERVER); i++) Thread.sleep(50);
        String all = describe();
        MutableSpan server = FINISHED.stream().filter(span -> span.kind() == brave.Span.Kind.SERVER && call.traceId().equals(span.traceId()))
            .findFirst().orElseThrow(() -> new AssertionError("the call is not in the server request's trace: " + all));
        assertEquals(server.id(), call.parentId(), all);
        assertEquals("records.create", call.tag("dataverse.operation"));

        MutableSpan attempt = FINISHED.stream().filter(span -> call.id().equals(span.parentId()) && "POST".equalsIgnoreCase(span.name()))
            .findFirst().orElseThrow(() -> new AssertionError("no POST attempt under the call: " + all));
        assertEquals(brave.Span.Kind.CLIENT, attempt.kind());
        assertEquals("204", attempt.tag("http.response.status_code"));
        assertEquals("dataverse", attempt.remoteServiceName());
        assertTrue(attempt.tag("url.full").endsWith("/api/data/v9.2/accounts"), attempt.tag("url.full"));
    }
}
