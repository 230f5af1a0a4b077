package dev.dataverse.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataverse.MatchConditions;
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

        Response<UUID> updated = records.updateWithResponse("account", key, Map.of("name", "Java response 2"), MatchConditions.ifMatch(created.getEtag()));
        Response<UUID> again = records.updateWithResponse("account", key, Map.of("name", "Java response 3"), MatchConditions.ifMatch(updated.getEtag()));

        assertEquals(2, requests() - before, "no read between the updates");
        assertEquals(200, again.getStatusCode());
        assertNotEquals(created.getEtag(), updated.getEtag());
        assertThrows(PreconditionFailedException.class,
                () -> records.updateWithResponse("account", key, Map.of("name", "stale"), MatchConditions.ifMatch(updated.getEtag())));
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
        Response<UUID> updated = async.updateWithResponse("account", key, Map.of("name", "Async 2"), MatchConditions.ifMatch(created.getEtag())).get(30, TimeUnit.SECONDS);

        assertEquals(201, created.getStatusCode());
        assertEquals(200, updated.getStatusCode());
        ExecutionException stale = assertThrows(ExecutionException.class,
                () -> async.updateWithResponse("account", key, Map.of("name", "stale"), MatchConditions.ifMatch(created.getEtag())).get(30, TimeUnit.SECONDS));
        assertInstanceOf(PreconditionFailedException.class, stale.getCause());
        assertEquals(updated.getEtag(), async.getWithResponse("account", key).get(30, TimeUnit.SECONDS).getEtag());
    }
}
