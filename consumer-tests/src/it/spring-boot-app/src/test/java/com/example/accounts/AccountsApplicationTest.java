package com.example.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataverse.emulator.DataverseEmulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The application started on a free port with the starter's embedded emulator, and called over HTTP as its users call
 * it: with Boot's own versions of Kotlin, kotlinx and Netty, a version mismatch shows up here as a NoSuchMethodError.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "dataverse.emulator.enabled=true")
class AccountsApplicationTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @Value("${local.server.port}")
    int port;

    @Autowired
    DataverseEmulator emulator;

    @Test
    void healthIsUpWithTheDataverseComponentUp() throws Exception {
        HttpResponse<String> health = get("/actuator/health");
        assertEquals(200, health.statusCode(), health.body());
        String body = health.body().replace(" ", "");
        assertTrue(body.endsWith("\"status\":\"UP\"}"), body);
        assertTrue(body.contains("\"dataverse\":{\"status\":\"UP\""), body);
    }

    @Test
    void anAccountCreatedOverHttpIsStoredInDataverseAndReadBack() throws Exception {
        int before = emulator.recordCount("account");
        HttpResponse<String> created = http.send(
            HttpRequest.newBuilder(url("/accounts")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Contoso\"}")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());
        UUID id = UUID.fromString(created.body());
        assertEquals(before + 1, emulator.recordCount("account"));

        HttpResponse<String> read = get("/accounts/" + id);
        assertEquals(200, read.statusCode(), read.body());
        assertEquals("Contoso", read.body());
        assertEquals(404, get("/accounts/" + UUID.randomUUID()).statusCode());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(url(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
