package dev.dataverse.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataverse.EntityReference;
import dev.dataverse.InvalidInputException;
import dev.dataverse.MessageEntity;
import dev.dataverse.NotFoundException;
import dev.dataverse.codegen.it.java.NewArchiveRequest;
import dev.dataverse.codegen.it.java.NewArchiveResponse;
import dev.dataverse.codegen.it.java.NewCountAccountsRequest;
import dev.dataverse.codegen.it.java.NewFindNamesRequest;
import dev.dataverse.codegen.it.java.NewFindNamesResponse;
import dev.dataverse.codegen.it.java.NewScoreLeadRequest;
import dev.dataverse.codegen.it.java.NewScoreLeadResponse;
import dev.dataverse.codegen.it.java.NewTouchRequest;
import dev.dataverse.emulator.DataverseEmulator;
import dev.dataverse.java.DataverseBlockingClient;
import dev.dataverse.java.DataverseClientBuilder;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The custom API requests and responses generated (Java) from src/test/resources/test-snapshot.json, called through the
 * blocking and CompletableFuture facades against the emulator with the APIs registered with handlers. Required
 * parameters follow Learn's "CustomAPIRequestParameter table" (IsOptional).
 */
class GeneratedJavaCustomApiTest {
    static DataverseEmulator emulator;
    static DataverseBlockingClient client;
    static AtomicInteger calls;

    @BeforeAll
    static void start() {
        emulator = DataverseEmulator.start();
        client = new DataverseClientBuilder().environmentUrl(emulator.getBaseUrl()).token("test-token").buildClient();
        calls = TestCustomApis.register(emulator);
    }

    @AfterAll
    static void stop() {
        client.close();
        emulator.close();
    }

    @Test
    void globalActionWithEveryTypeThroughTheBlockingFacade() {
        UUID accountId = client.records().create("account", Map.of("name", "Owner"));
        UUID key = UUID.randomUUID();
        List<String> tags = new ArrayList<>(List.of("a", "b"));
        NewScoreLeadRequest request = NewScoreLeadRequest.builder()
                .text("hello")
                .weight(5)
                .amount(new BigDecimal("1.50"))
                .due(Instant.parse("2026-01-31T00:00:00Z"))
                .tags(tags)
                .owner(new EntityReference("account", accountId))
                .contact(new MessageEntity("contact", Map.of("lastname", "Doe")))
                .items(List.of(new MessageEntity("contact", Map.of("lastname", "One"))))
                .rate(5.0)
                .flag(false)
                .key(key)
                .class_("gold")
                .level(3)
                .factor(new BigDecimal("2"))
                .build();
        tags.add("changed after build");
        assertEquals(List.of("a", "b"), request.getTags());

        NewScoreLeadResponse response = request.execute(client.messages());
        assertEquals("hello/gold", response.getEcho());
        assertEquals(10, response.getScore());
        assertEquals(0, response.getTotal().compareTo(new BigDecimal("3.00")));
        assertEquals(Instant.parse("2026-02-01T00:00:00Z"), response.getWhen_());
        assertEquals(List.of("b", "a"), response.getLabels());
        assertEquals(new EntityReference("account", accountId), response.getReference());
        assertEquals(key, response.getId());
        assertEquals(2.5, response.getRatio());
        assertEquals(true, response.getOk());
        assertEquals("Doe", response.getRecord_().getString("lastname"));
        assertEquals("One", response.getRecords().get(0).getString("lastname"));
        assertEquals(3, response.getLevel());
        assertEquals(0, response.getFactor().compareTo(new BigDecimal("-2")));
        assertThrows(UnsupportedOperationException.class, () -> response.getLabels().add("x"));
    }

    @Test
    void missingRequiredParameterIsATypedErrorWithoutARequest() {
        int before = calls.get();
        InvalidInputException error = assertThrows(InvalidInputException.class,
                () -> NewScoreLeadRequest.builder().text("no weight").build());
        assertTrue(error.getMessage().contains("'Weight'"), error.getMessage());
        assertTrue(error.getMessage().contains("new_ScoreLead"), error.getMessage());
        InvalidInputException noTarget = assertThrows(InvalidInputException.class,
                () -> NewArchiveRequest.builder().reason("x").build());
        assertTrue(noTarget.getMessage().contains("'target'"), noTarget.getMessage());
        assertEquals(before, calls.get());
    }

    @Test
    void optionalParametersLeftUnsetAreNotSent() {
        NewScoreLeadRequest request = NewScoreLeadRequest.builder().text("t").weight(1).build();
        assertEquals(List.of("Text", "Weight"), new ArrayList<>(request.toMessageRequest().getParameters().keySet()));
        NewScoreLeadResponse response = request.execute(client.messages());
        assertEquals("t", response.getEcho());
        assertNull(response.getTotal());
        assertNull(response.getReference());
        assertTrue(response.getRecords().isEmpty());
        assertEquals(request, NewScoreLeadRequest.builder().weight(1).text("t").build());
    }

    @Test
    void functionAndBoundApisThroughTheFutureFacade() throws Exception {
        NewFindNamesResponse names = NewFindNamesRequest.builder().query("q").limit(2).build()
                .executeAsync(client.async().messages()).get(30, TimeUnit.SECONDS);
        assertEquals(2, names.getCount());
        assertEquals(List.of("q-1", "q-2"), names.getNames());

        UUID id = client.records().create("account", Map.of("name", "Archived"));
        NewArchiveResponse archived = NewArchiveRequest.builder().target(id).reason("old").build()
                .executeAsync(client.async().messages()).get(30, TimeUnit.SECONDS);
        assertEquals(id, archived.getAccountId());
        assertEquals("archived: old", archived.getReason());
        ExecutionException missing = assertThrows(ExecutionException.class, () -> NewArchiveRequest.builder()
                .target(UUID.randomUUID()).reason("x").build().executeAsync(client.async().messages()).get(30, TimeUnit.SECONDS));
        assertInstanceOf(NotFoundException.class, missing.getCause());

        assertEquals("account".length(), NewCountAccountsRequest.builder().build().execute(client.messages()).getCount());
        int before = calls.get();
        assertNull(NewTouchRequest.builder().build().executeAsync(client.async().messages()).get(30, TimeUnit.SECONDS));
        NewTouchRequest.builder().build().execute(client.messages());
        assertEquals(before + 2, calls.get());
    }
}
