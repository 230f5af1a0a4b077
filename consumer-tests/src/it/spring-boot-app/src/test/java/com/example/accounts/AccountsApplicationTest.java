package com.example.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The application started on a free port with the starter's embedded emulator, and called over HTTP as its users call
 * it: with Boot's own versions of Kotlin, kotlinx and Netty, a version mismatch shows up here as a NoSuchMethodError.
 * The actuator shows values in clear (as many deployments configure it behind authentication), yet never the token.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
        "dataverse.emulator.enabled=true",
        // Unused with the emulator, but configured: it must never be shown.
        "dataverse.token=" + AccountsApplicationTest.TOKEN,
        "management.endpoints.web.exposure.include=health,env,configprops,metrics",
        "management.endpoint.env.show-values=ALWAYS",
        "management.endpoint.configprops.show-values=ALWAYS",
    })
class AccountsApplicationTest {
    static final String TOKEN = "eyJ0eXAiOiJKV1QifQ.consumer-app-TOKEN-value.sig";

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

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
        UUID id = create("Contoso");
        assertEquals(before + 1, emulator.recordCount("account"));

        HttpResponse<String> read = get("/accounts/" + id);
        assertEquals(200, read.statusCode(), read.body());
        assertEquals("Contoso", read.body());
        assertEquals(404, get("/accounts/" + UUID.randomUUID()).statusCode());
    }

    @Test
    void aControllerReturnsTheRecordAsTheWebApiSentItWithItsTable() throws Exception {
        UUID id = create("Fabrikam");
        HttpResponse<String> response = get("/accounts/" + id + "/record");
        assertEquals(200, response.statusCode(), response.body());
        JsonNode record = json.readTree(response.body());
        assertEquals("account", record.get("@dataverse.table").asString());
        assertEquals("accountid", record.get("@dataverse.primaryidcolumn").asString());
        assertEquals(id.toString(), record.get("accountid").asString());
        assertEquals("Fabrikam", record.get("name").asString());
        assertTrue(record.get("@odata.etag").asString().startsWith("W/\""), response.body());
    }

    @Test
    void aPageAndItsContinuationTokenTravelThroughTheApplicationsJson() throws Exception {
        for (int i = 0; i < 3; i++) create("Paged " + i);
        JsonNode first = json.readTree(get("/accounts").body());
        assertEquals(2, first.get("records").size());
        assertTrue(first.get("hasNext").asBoolean());
        String token = first.get("continuationToken").asString();
        JsonNode second = json.readTree(get("/accounts?next=" + java.net.URLEncoder.encode(token, java.nio.charset.StandardCharsets.UTF_8)).body());
        assertFalse(second.get("records").isEmpty());
        assertFalse(second.get("records").get(0).get("accountid").equals(first.get("records").get(0).get("accountid")));
    }

    @Test
    void theTokenIsMaskedInEnvAndConfigpropsWhileOtherValuesAreShown() throws Exception {
        HttpResponse<String> entry = get("/actuator/env/dataverse.token");
        assertEquals(200, entry.statusCode(), entry.body());
        assertTrue(entry.body().contains("\"value\":\"******\""), entry.body());
        assertFalse(entry.body().contains("TOKEN-value"), entry.body());
        HttpResponse<String> shown = get("/actuator/env/dataverse.emulator.enabled");
        assertTrue(shown.body().contains("\"value\":\"true\""), shown.body());

        HttpResponse<String> configprops = get("/actuator/configprops/dataverse");
        assertEquals(200, configprops.statusCode(), configprops.body());
        assertTrue(configprops.body().contains("\"token\":\"******\""), configprops.body());
        assertFalse(configprops.body().contains("TOKEN-value"), configprops.body());
        assertFalse(get("/actuator/env").body().contains("TOKEN-value"));
    }

    @Test
    void eachCallIsAnObservationBootsMetricsBridgeTimes() throws Exception {
        create("Timed");
        HttpResponse<String> metric = get("/actuator/metrics/dataverse.client.operations?tag=dataverse.operation:records.create");
        assertEquals(200, metric.statusCode(), metric.body());
        JsonNode body = json.readTree(metric.body());
        // The tags of Boot's meter observation handler ("error") beside the observation's own.
        assertTrue(body.toString().contains("\"tag\":\"error\""), metric.body());
        assertTrue(body.toString().contains("\"tag\":\"outcome\""), metric.body());
        assertEquals(200, get("/actuator/metrics/dataverse.client.requests").statusCode());
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
