package dev.dataverse.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataverse.BatchReference;
import dev.dataverse.BatchRequest;
import dev.dataverse.BatchResult;
import dev.dataverse.BypassLogic;
import dev.dataverse.DataverseException;
import dev.dataverse.DataverseRecord;
import dev.dataverse.EntityReference;
import dev.dataverse.InvalidInputException;
import dev.dataverse.MessageRequest;
import dev.dataverse.MessageResult;
import dev.dataverse.NotFoundException;
import dev.dataverse.RequestOptions;
import dev.dataverse.emulator.CustomApi;
import dev.dataverse.emulator.CustomApiBindingType;
import dev.dataverse.emulator.CustomApiFailure;
import dev.dataverse.emulator.CustomApiParameter;
import dev.dataverse.emulator.CustomApiProperty;
import dev.dataverse.emulator.CustomApiReference;
import dev.dataverse.emulator.CustomApiType;
import dev.dataverse.emulator.RequestOption;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Messages and request options from Java, against the emulator. Learn: "Use Web API actions", "Use Web API functions",
 * "Create and use custom APIs", "Impersonate another user using the Web API", "Bypass custom Dataverse logic".
 */
class MessagesTest extends EmulatorTestSupport {

    @BeforeEach
    void registerApis() {
        emulator.registerCustomApi(CustomApi.builder("sample_Greet")
                .requestParameter("Name", CustomApiType.STRING)
                .optionalRequestParameter("Times", CustomApiType.INTEGER)
                .responseProperty("Greeting", CustomApiType.STRING)
                .handler(call -> {
                    String name = (String) call.getParameters().get("Name");
                    if (name.isEmpty()) {
                        throw new CustomApiFailure("Name is empty.");
                    }
                    Integer times = (Integer) call.getParameters().get("Times");
                    return Map.of("Greeting", ("Hello, " + name + "! ").repeat(times == null ? 1 : times).trim());
                })
                .build());
        emulator.registerCustomApi(CustomApi.builder("sample_Touch")
                .boundToRecord("account")
                .responseProperty("Id", CustomApiType.GUID)
                .handler(call -> Map.of("Id", call.getTarget().getId()))
                .build());
    }

    @Test
    void blockingCallsAnUnboundCustomActionAndReadsItsResponse() {
        MessageResult result = client.messages().execute(
                MessageRequest.action("sample_Greet").parameter("Name", "Ada & 'Bob'").parameter("Times", 2).build());
        assertEquals(200, result.getStatus());
        assertEquals("Hello, Ada & 'Bob'! Hello, Ada & 'Bob'!", result.toRecord().getString("Greeting"));
    }

    @Test
    void asyncCallsARecordBoundActionAndFailsTheFutureForAnUnknownMessage() throws Exception {
        UUID id = records.create("account", Map.of("name", "Bound"));
        MessageResult result = client.async().messages().execute(MessageRequest.action("sample_Touch").boundTo("account", id).build())
                .get(30, TimeUnit.SECONDS);
        assertEquals(id, result.toRecord().getUuid("Id"));
        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> client.async().messages().execute(MessageRequest.function("sample_Nothing").build()).get(30, TimeUnit.SECONDS));
        NotFoundException notFound = assertInstanceOf(NotFoundException.class, failure.getCause());
        assertEquals("0x8006088a", notFound.getErrorCode());
    }

    @Test
    void aFailingHandlerIsThePluginError() {
        DataverseException error = assertThrows(DataverseException.class,
                () -> client.messages().execute(MessageRequest.action("sample_Greet").parameter("Name", "").build()));
        assertEquals("0x80040265", error.getErrorCode());
    }

    @Test
    void standardMessagesHaveTypedMethods() {
        records.create("account", Map.of("name", "One"));
        assertEquals(Map.of("account", 1L), client.messages().retrieveTotalRecordCount(List.of("account")));
        assertEquals("9.2.0.0", client.messages().retrieveVersion());
        assertEquals(client.whoAmI(), client.messages().whoAmI());
    }

    @Test
    void aViewWithOptionsImpersonatesAndBypassesWhileTheClientStaysAsItWas() {
        UUID me = client.whoAmI().getUserId();
        UUID alice = records.create("systemuser", Map.of("fullname", "Alice"));
        RequestOptions options = RequestOptions.builder().callerId(alice.toString()).bypassBusinessLogic(BypassLogic.CUSTOM_SYNC).tag("java").build();
        DataverseBlockingClient asAlice = client.withOptions(options);
        DataverseRecord written = asAlice.records().createAndGet("account", Map.of("name", "Hers"));
        assertEquals(alice, written.getUuid("_createdby_value"));
        assertEquals(me, written.getUuid("_createdonbehalfby_value"));
        assertEquals(alice, asAlice.messages().whoAmI().getUserId());
        assertEquals(1, emulator.getStats().requestsWith(RequestOption.BYPASS_BUSINESS_LOGIC));
        assertEquals("java", emulator.getStats().getLastTag());
        asAlice.close();
        assertEquals(me, client.whoAmI().getUserId());
        assertNull(records.createAndGet("account", Map.of("name", "Mine")).getUuid("_createdonbehalfby_value"));
    }

    @Test
    void messagesRunInsideABatch() {
        BatchRequest.Builder batch = BatchRequest.builder();
        BatchReference version = batch.execute(MessageRequest.function("RetrieveVersion").build());
        BatchReference greeting = batch.changeSet().execute(MessageRequest.action("sample_Greet").parameter("Name", "Batch").build());
        BatchResult result = client.batch(batch.build()).throwIfFailed();
        assertEquals("9.2.0.0", result.get(version).getMessageResult().toMap().get("Version"));
        assertEquals("Hello, Batch!", result.get(greeting).getMessageResult().toRecord().getString("Greeting"));
    }

    @Test
    void badInputIsTypedAndNothingIsSent() {
        long before = requests();
        assertThrows(InvalidInputException.class, () -> RequestOptions.builder().callerObjectId("not-a-guid"));
        assertThrows(InvalidInputException.class, () -> RequestOptions.builder().solutionUniqueName("has space").build());
        assertThrows(InvalidInputException.class, () -> MessageRequest.action("sample Greet").build());
        assertThrows(InvalidInputException.class, () -> MessageRequest.action("sample_Greet").parameter("Name", new Object()).build());
        assertThrows(InvalidInputException.class,
                () -> MessageRequest.function("sample_F").parameter("Items", List.of(new EntityReference("account", UUID.randomUUID()))).build());
        assertThrows(InvalidInputException.class, () -> BatchRequest.builder().changeSet().execute(MessageRequest.function("WhoAmI").build()));
        assertEquals(before, requests());
        assertTrue(emulator.getCustomApis().contains("sample_Greet"));
    }

    @Test
    void theCustomApiBuilderNamesEveryPartAndChecksTheDefinitionAtBuild() {
        CustomApi api = CustomApi.builder("sample_CountOrders").function().boundToCollection("account")
                .optionalRequestParameter("Since", CustomApiType.DATE_TIME)
                .responseProperty("Count", CustomApiType.INTEGER)
                .handler(call -> Map.of("Count", 3))
                .build();
        assertTrue(api.isFunction());
        assertEquals(CustomApiBindingType.ENTITY_COLLECTION, api.getBindingType());
        assertEquals("account", api.getBoundEntityLogicalName());
        assertEquals(List.of("Since"), api.getRequestParameters().stream().map(CustomApiParameter::getUniqueName).toList());
        assertTrue(api.getRequestParameters().get(0).isOptional());
        assertEquals(List.of("Count"), api.getResponseProperties().stream().map(CustomApiProperty::getUniqueName).toList());

        IllegalArgumentException noHandler = assertThrows(IllegalArgumentException.class,
                () -> CustomApi.builder("sample_NoHandler").build());
        assertTrue(noHandler.getMessage().contains("handler"), noHandler.getMessage());
        // Learn ("Create and use custom APIs"): a function must return something.
        IllegalArgumentException functionWithoutResponse = assertThrows(IllegalArgumentException.class,
                () -> CustomApi.builder("sample_Empty").function().handler(call -> Map.of()).build());
        assertTrue(functionWithoutResponse.getMessage().contains("response property"), functionWithoutResponse.getMessage());
        // The builder's API is served like the constructor's: an entity-collection-bound function called on its set.
        emulator.registerCustomApi(api);
        MessageResult result = client.messages().execute(MessageRequest.function("sample_CountOrders").boundToTable("account").build());
        assertEquals(3, result.toRecord().getInt("Count"));
    }

    @Test
    void customApiReferencesReachTheHandlerTyped() {
        UUID id = records.create("account", Map.of("name", "Referenced"));
        CustomApiReference[] seen = new CustomApiReference[1];
        emulator.registerCustomApi(CustomApi.builder("sample_Look").function()
                .requestParameter("Target", CustomApiType.ENTITY_REFERENCE)
                .responseProperty("Ok", CustomApiType.BOOLEAN)
                .handler(call -> {
                    seen[0] = (CustomApiReference) call.getParameters().get("Target");
                    return Map.of("Ok", true);
                })
                .build());
        MessageResult result = client.messages().execute(MessageRequest.function("sample_Look").parameter("Target", new EntityReference("account", id)).build());
        assertEquals(Boolean.TRUE, result.toRecord().getBoolean("Ok"));
        assertEquals(new CustomApiReference("account", id), seen[0]);
    }
}
