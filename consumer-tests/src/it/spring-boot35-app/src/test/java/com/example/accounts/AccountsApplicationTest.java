package com.example.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dataverse.emulator.DataverseEmulator;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The same application on Spring Boot 3.5 (Jackson 2, Boot 3's health types), with the Kotlin version override:
 * started on a free port with the embedded emulator and called over HTTP.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
        "dataverse.emulator.enabled=true",
        "dataverse.token=" + AccountsApplicationTest.TOKEN,
        "management.endpoints.web.exposure.include=health,env,configprops,metrics",
        "management.endpoint.env.show-values=ALWAYS",
        "management.endpoint.configprops.show-values=ALWAYS",
        "management.endpoint.health.show-details=ALWAYS",
    })
class AccountsApplicationTest {
    static final String TOKEN = "eyJ0eXAiOiJKV1QifQ.boot35-TOKEN-value.sig";

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @Value("${local.server.port}")
    int port;

    @Autowired
    DataverseEmulator emulator;

    @Test
    void itIsSpringBoot35() {
        assertTrue(SpringBootVersion.getVersion().startsWith("3.5."), SpringBootVersion.getVersion());
    }

    @Test
    void healthIsUpWithTheDataverseComponentUp() throws Exception {
        HttpResponse<String> health = get("/actuator/health");
        assertEquals(200, health.statusCode(), health.body());
        JsonNode body = json.readTree(health.body());
        assertEquals("UP", body.get("status").asText(), health.body());
        assertEquals("UP", body.get("components").get("dataverse").get("status").asText(), health.body());
        assertEquals(emulator.getBaseUrl(), body.get("components").get("dataverse").get("details").get("environment").asText());
    }

    @Test
    void anAccountIsCreatedAndReturnedAsTheWebApiSentItWithItsTable() throws Exception {
        int before = emulator.recordCount("account");
        UUID id = create("Contoso");
        assertEquals(before + 1, emulator.recordCount("account"));
        assertEquals("Contoso", get("/accounts/" + id).body());

        HttpResponse<String> response = get("/accounts/" + id + "/record");
        assertEquals(200, response.statusCode(), response.body());
        JsonNode record = json.readTree(response.body());
        assertEquals("account", record.get("@dataverse.table").asText());
        assertEquals(id.toString(), record.get("accountid").asText());
        assertEquals("Contoso", record.get("name").asText());
    }

    @Test
    void aPageAndItsContinuationTokenTravelThroughTheApplicationsJson() throws Exception {
        for (int i = 0; i < 3; i++) create("Paged " + i);
        JsonNode first = json.readTree(get("/accounts").body());
        assertEquals(2, first.get("records").size());
        String token = first.get("continuationToken").asText();
        JsonNode second = json.readTree(get("/accounts?next=" + URLEncoder.encode(token, StandardCharsets.UTF_8)).body());
        assertFalse(second.get("records").isEmpty());
        assertFalse(second.get("records").get(0).get("accountid").equals(first.get("records").get(0).get("accountid")));
    }

    @Test
    void theTokenIsMaskedInEnvAndConfigpropsWhileOtherValuesAreShown() throws Exception {
        HttpResponse<String> entry = get("/actuator/env/dataverse.token");
        assertEquals(200, entry.statusCode(), entry.body());
        assertTrue(entry.body().contains("\"value\":\"******\""), entry.body());
        assertTrue(get("/actuator/env/dataverse.emulator.enabled").body().contains("\"value\":\"true\""));
        HttpResponse<String> configprops = get("/actuator/configprops/dataverse");
        assertTrue(configprops.body().contains("\"token\":\"******\""), configprops.body());
        assertFalse(configprops.body().contains("TOKEN-value"), configprops.body());
        assertFalse(get("/actuator/env").body().contains("TOKEN-value"));
    }

    @Test
    void eachCallIsAnObservationBootsMetricsBridgeTimes() throws Exception {
        create("Timed");
        HttpResponse<String> metric = get("/actuator/metrics/dataverse.client.operations?tag=dataverse.operation:records.create");
        assertEquals(200, metric.statusCode(), metric.body());
        assertTrue(metric.body().contains("\"tag\":\"error\""), metric.body());
        assertEquals(200, get("/actuator/metrics/dataverse.client.requests.in.flight").statusCode());
    }

    private UUID create(String name) throws Exception {
        HttpResponse<String> created = http.send(
            HttpRequest.newBuilder(url("/accounts")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());
        return UUID.fromString(created.body());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(url(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
