package dev.dataverse.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataverse.DataverseRecord;
import dev.dataverse.PreconditionFailedException;
import dev.dataverse.RecordKey;
import dev.dataverse.Response;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The ...WithResponse variants from Java: statuses, ETags, headers and ids, blocking and async. */
class ResponsesTest extends EmulatorTestSupport {

    @Test
    void anUpdateReturnsTheNewEtagSoTheNextConditionalUpdateNeedsNoRead() {
        Response<UUID> created = records.createWithResponse("account", Map.of("name", "Java response"));
        assertEquals(201, created.getStatusCode());
        RecordKey key = RecordKey.id(created.getValue());
        long before = requests();

        Response<UUID> updated = records.updateWithResponse("account", key, Map.of("name", "Java response 2"), created.getEtag());
        Response<UUID> again = records.updateWithResponse("account", key, Map.of("name", "Java response 3"), updated.getEtag());

        assertEquals(2, requests() - before, "no read between the updates");
        assertEquals(200, again.getStatusCode());
        assertNotEquals(created.getEtag(), updated.getEtag());
        assertThrows(PreconditionFailedException.class,
                () -> records.updateWithResponse("account", key, Map.of("name", "stale"), updated.getEtag()));
        Response<DataverseRecord> read = records.getWithResponse("account", key);
        assertEquals("Java response 3", read.getValue().getString("name"));
        assertEquals(again.getEtag(), read.getEtag());
    }

    @Test
    void anUpsertTellsCreatedFromUpdatedAndHeadersAreReadInAnyCase() {
        createAccountNumberKey();
        RecordKey key = RecordKey.alternate("accountnumber", "JAVA-RESP");
        Response<UUID> created = records.upsertWithResponse("account", key, Map.of("name", "Upserted"));
        Response<UUID> updated = records.upsertWithResponse("account", key, Map.of("name", "Upserted again"));

        assertEquals(201, created.getStatusCode());
        assertEquals(200, updated.getStatusCode());
        assertEquals(created.getValue(), updated.getValue());
        assertNotNull(updated.getEtag());
        assertEquals(updated.getHeaders().get("odata-entityid"), updated.getHeaders().get("OData-EntityId"));
        // Learn, "Use Upsert to Create or Update a record": the service names a record written by alternate key by that key.
        assertTrue(updated.header("ODATA-ENTITYID").endsWith("/accounts(accountnumber='JAVA-RESP')"));
        assertNotEquals(updated.getClientRequestId(), updated.getCorrelationId());

        Response<Void> deleted = records.deleteWithResponse("account", key);
        assertEquals(204, deleted.getStatusCode());
        assertNull(deleted.getValue());
    }

    @Test
    void theAsyncVariantsCompleteWithTheResponseOrFailWithTheServicesError() throws Exception {
        AsyncRecords async = client.async().records();
        RecordKey key = RecordKey.id(UUID.randomUUID());

        Response<UUID> created = async.upsertWithResponse("account", key, Map.of("name", "Async")).get(30, TimeUnit.SECONDS);
        Response<UUID> updated = async.updateWithResponse("account", key, Map.of("name", "Async 2"), created.getEtag()).get(30, TimeUnit.SECONDS);

        assertEquals(201, created.getStatusCode());
        assertEquals(200, updated.getStatusCode());
        ExecutionException stale = assertThrows(ExecutionException.class,
                () -> async.updateWithResponse("account", key, Map.of("name", "stale"), created.getEtag()).get(30, TimeUnit.SECONDS));
        assertInstanceOf(PreconditionFailedException.class, stale.getCause());
        assertEquals(updated.getEtag(), async.getWithResponse("account", key).get(30, TimeUnit.SECONDS).getEtag());
    }

    @Test
    void aPageABatchAndAMessageComeWithTheirResponsesBlockingAndAsync() throws Exception {
        for (int i = 0; i < 3; i++) {
            records.create("account", Map.of("name", "Java paged response " + i));
        }
        dev.dataverse.ListOptions options = dev.dataverse.ListOptions.builder()
                .filter(dev.dataverse.Filter.startsWith("name", "Java paged response")).pageSize(2).build();

        // Learn, "Page results using OData": Preference-Applied: odata.maxpagesize=2 answers the page size asked for.
        Response<dev.dataverse.Page> page = records.pageWithResponse("account", options);
        assertEquals(200, page.getStatusCode());
        assertTrue(page.header("Preference-Applied").contains("odata.maxpagesize=2"), page.getHeaders().toString());
        assertNotNull(page.getServiceRequestId());
        assertEquals(2, page.getValue().getRecords().size());
        Response<dev.dataverse.Page> next = client.async().records()
                .pageWithResponse("account", options, page.getValue().getContinuationToken()).get(30, TimeUnit.SECONDS);
        assertEquals(1, next.getValue().getRecords().size());
        assertNotEquals(page.getClientRequestId(), next.getClientRequestId());

        // Learn, "Execute batch operations using the Web API": 200 with a multipart/mixed body.
        dev.dataverse.BatchRequest.Builder batch = dev.dataverse.BatchRequest.builder();
        batch.create("account", Map.of("name", "Java batch response"));
        Response<dev.dataverse.BatchResult> batched = client.batchWithResponse(batch.build());
        assertEquals(200, batched.getStatusCode());
        assertTrue(batched.header("content-type").startsWith("multipart/mixed"), batched.getHeaders().toString());
        assertTrue(batched.getValue().isSuccess());
        Response<dev.dataverse.BatchResult> batchedAsync = client.async().batchWithResponse(batch.build()).get(30, TimeUnit.SECONDS);
        assertEquals(200, batchedAsync.getStatusCode());

        dev.dataverse.MessageRequest whoAmI = new dev.dataverse.MessageRequest.Builder("WhoAmI", dev.dataverse.MessageKind.FUNCTION).build();
        Response<dev.dataverse.MessageResult> message = client.messages().executeWithResponse(whoAmI);
        assertEquals(200, message.getStatusCode());
        assertEquals("4.0", message.header("OData-Version"));
        assertNotNull(message.getValue().toMap().get("UserId"));
        Response<dev.dataverse.MessageResult> messageAsync = client.async().messages().executeWithResponse(whoAmI).get(30, TimeUnit.SECONDS);
        assertEquals(message.getValue().toMap().get("UserId"), messageAsync.getValue().toMap().get("UserId"));
    }
}
