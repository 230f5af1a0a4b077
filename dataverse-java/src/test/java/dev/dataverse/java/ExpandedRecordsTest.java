package dev.dataverse.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.dataverse.DataverseRecord;
import dev.dataverse.EntityReference;
import dev.dataverse.Expand;
import dev.dataverse.Filter;
import dev.dataverse.ListOptions;
import dev.dataverse.RetrieveOptions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Records nested in an {@code $expand} seen from Java: {@code getTable()} and {@code getId()} answer like a top-level
 * record's. Learn ("Join tables using OData") shows nested objects carrying their primary key next to the selected columns.
 */
class ExpandedRecordsTest extends EmulatorTestSupport {

    @Test
    void nestedRecordsOfASingleValuedAndACollectionValuedPropertyKnowTheirTableAndId() {
        UUID grace = records.create("contact", Map.of("lastname", "Hopper"));
        UUID account = records.create("account", Map.of("name", "Java Expand", "primarycontactid", new EntityReference("contact", grace)));
        UUID member = records.create("contact", Map.of("lastname", "Member", "parentcustomerid_account", new EntityReference("account", account)));

        DataverseRecord read = records.get("account", account, RetrieveOptions.builder()
                .expand(new Expand("primarycontactid", List.of("lastname")), new Expand("contact_customer_accounts", List.of("lastname")))
                .build());
        DataverseRecord primary = read.getExpanded("primarycontactid");
        assertNotNull(primary);
        assertEquals("contact", primary.getTable());
        assertEquals("contactid", primary.getPrimaryIdColumn());
        assertEquals(grace, primary.getId());
        Set<UUID> nestedIds = read.getExpandedList("contact_customer_accounts").stream().map(DataverseRecord::getId).collect(Collectors.toSet());
        assertEquals(Set.of(member), nestedIds);

        DataverseRecord listed = records.list("account", ListOptions.builder()
                .filter(Filter.eq("name", "Java Expand"))
                .expand(new Expand("primarycontactid"))
                .build()).stream().findFirst().orElseThrow();
        assertEquals("contact", listed.getExpanded("primarycontactid").getTable());
        assertEquals(grace, listed.getExpanded("primarycontactid").getId());
    }
}
