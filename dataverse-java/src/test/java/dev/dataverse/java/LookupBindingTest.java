package dev.dataverse.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataverse.EntityReference;
import dev.dataverse.InvalidInputException;
import dev.dataverse.RecordChange;
import dev.dataverse.RecordKey;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * From Java, a lookup written under its column's logical name ({@code parentcustomerid}) reaches the service as the
 * navigation property of the reference's table ({@code parentcustomerid_account@odata.bind}), which Learn's "Create a
 * table row using the Web API" (associate table rows on create) requires; the emulator refuses the column name itself.
 */
class LookupBindingTest extends EmulatorTestSupport {

    @Test
    void blockingWritesBindTheCustomerLookupUnderItsLogicalName() {
        UUID account = records.create("account", Map.of("name", "Parent"));
        UUID person = records.create("contact", Map.of("lastname", "Parent contact"));

        UUID contact = records.create("contact", Map.of("lastname", "Doe", "parentcustomerid", new EntityReference("account", account)));
        assertEquals(account, records.get("contact", contact).getUuid("_parentcustomerid_value"));
        records.update("contact", contact, Map.of("parentcustomerid", new EntityReference("contact", person)));
        assertEquals(person, records.get("contact", contact).getUuid("_parentcustomerid_value"));
        records.updateMany("contact", List.of(RecordChange.of(contact, Map.of("parentcustomerid", new EntityReference("account", account)))));
        assertEquals(account, records.get("contact", contact).getUuid("_parentcustomerid_value"));

        long before = requests();
        InvalidInputException wrong = assertThrows(InvalidInputException.class,
                () -> records.create("contact", Map.of("lastname", "X", "parentcustomerid", new EntityReference("systemuser", account))));
        assertTrue(wrong.getMessage().contains("parentcustomerid_account"), wrong.getMessage());
        assertEquals(before, requests());
    }

    @Test
    void asyncWritesBindTheLookupAndFailTheFutureWithTheTypedException() throws Exception {
        AsyncRecords async = client.async().records();
        UUID account = async.create("account", Map.of("name", "Async parent")).get(30, TimeUnit.SECONDS);
        UUID contact = async.upsert("contact", UUID.randomUUID(), Map.of("lastname", "Async", "parentcustomerid", new EntityReference("account", account)))
                .get(30, TimeUnit.SECONDS);
        assertEquals(account, records.get("contact", contact).getUuid("_parentcustomerid_value"));

        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> async.update("contact", RecordKey.id(contact), Map.of("lastname", new EntityReference("account", account))).get(30, TimeUnit.SECONDS));
        assertInstanceOf(InvalidInputException.class, failed.getCause());
        assertTrue(failed.getCause().getMessage().contains("is not a lookup"), failed.getCause().getMessage());
    }
}
