package dev.dataverse.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataverse.Expand;
import dev.dataverse.AlternateKeyInfo;
import dev.dataverse.AlternateKeySpec;
import dev.dataverse.ChoiceLabel;
import dev.dataverse.ChoiceOptions;
import dev.dataverse.ColumnInfo;
import dev.dataverse.ColumnSpec;
import dev.dataverse.ColumnType;
import dev.dataverse.DuplicateRecordException;
import dev.dataverse.EntityReference;
import dev.dataverse.InvalidInputException;
import dev.dataverse.KeyIndexStatus;
import dev.dataverse.ListOptions;
import dev.dataverse.ManyToManySpec;
import dev.dataverse.NotFoundException;
import dev.dataverse.DataverseRecord;
import dev.dataverse.RecordKey;
import dev.dataverse.RelationshipInfo;
import dev.dataverse.RelationshipType;
import dev.dataverse.RetrieveOptions;
import dev.dataverse.TableInfo;
import dev.dataverse.TableListOptions;
import dev.dataverse.TableSpec;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TablesTest extends EmulatorTestSupport {

    /** A schema name no other test uses, e.g. new_Gadget3f2a91. */
    static String uniqueSchemaName(String base) {
        return "new_" + base + UUID.randomUUID().toString().substring(0, 6);
    }

    @Test
    void createsATableWhoseRecordsUseChoiceLabelsAndLookups() {
        String schema = uniqueSchemaName("Gadget");
        String table = schema.toLowerCase();
        BlockingTables tables = client.tables();

        TableInfo created = tables.create(TableSpec.builder(schema, "Gadget")
                .column(ColumnSpec.choice("new_Size", "Size", "Small", "Medium", "Large"))
                .column(ColumnSpec.integer("new_Weight", "Weight", 0, 1000))
                .column(ColumnSpec.lookup("new_AccountId", "Account", "account"))
                .build());

        assertEquals(table, created.getLogicalName());
        assertEquals(table + "id", created.getPrimaryIdAttribute());
        assertEquals("new_name", created.getPrimaryNameAttribute());
        assertTrue(created.isCustom());
        Set<String> columns = tables.columns(table).stream().map(ColumnInfo::getLogicalName).collect(Collectors.toSet());
        assertTrue(columns.containsAll(List.of("new_name", "new_size", "new_weight", "new_accountid", table + "id")), columns.toString());
        assertEquals(ColumnType.LOOKUP, tables.column(table, "new_accountid").getType());
        assertEquals(List.of("account"), tables.column(table, "new_accountid").getTargets());

        ChoiceOptions sizes = tables.choices(table, "new_size");
        assertEquals(100_000_001, sizes.valueOf("medium"));
        assertEquals("Large", sizes.labelOf(100_000_002));

        UUID accountId = records.create("account", values("name", "Gadget maker"));
        UUID id = records.create(table, values(
                "new_name", "Sprocket",
                "new_size", ChoiceLabel.of("Medium"),
                "new_weight", 12,
                "new_AccountId", new EntityReference("account", accountId)));

        DataverseRecord gadget = records.get(table, id, RetrieveOptions.builder().includeAnnotations(true).build());
        assertEquals(100_000_001, gadget.getInt("new_size"));
        assertEquals("Medium", gadget.formattedValue("new_size"));
        assertEquals(12, gadget.getInt("new_weight"));
        assertEquals(accountId, gadget.getUuid("_new_accountid_value"));

        List<String> listed = tables.list(TableListOptions.builder().customOnly(true).build()).stream()
                .map(TableInfo::getLogicalName).collect(Collectors.toList());
        assertTrue(listed.contains(table), listed.toString());
        assertFalse(listed.contains("account"), "customOnly lists no standard table");

        tables.delete(table);
        assertThrows(NotFoundException.class, () -> tables.get(table));
        assertThrows(NotFoundException.class, () -> records.get(table, id));
    }

    @Test
    void addsAndRemovesColumnsWithTheirValidation() {
        String table = client.tables().create(TableSpec.builder(uniqueSchemaName("Note"), "Note").build()).getLogicalName();
        BlockingTables tables = client.tables();

        ColumnInfo code = tables.addColumn(table, ColumnSpec.string("new_Code", "Code", 5));
        assertEquals(ColumnType.STRING, code.getType());
        assertEquals(5, code.getMaxLength());
        assertThrows(dev.dataverse.BadRequestException.class,
                () -> records.create(table, values("new_name", "too long", "new_code", "123456")));
        UUID id = records.create(table, values("new_name", "fits", "new_code", "12345"));
        assertEquals("12345", records.get(table, id).getString("new_code"));

        tables.removeColumn(table, "new_code");
        assertThrows(NotFoundException.class, () -> tables.column(table, "new_code"));
        assertFalse(records.get(table, id).contains("new_code"));
        tables.delete(table);
    }

    @Test
    void manyToManyRelationshipsLinkRecordsBothWays() {
        String table = client.tables().create(TableSpec.builder(uniqueSchemaName("Project"), "Project").build()).getLogicalName();
        String relationshipName = "new_" + table.substring(4) + "_contact";
        BlockingTables tables = client.tables();

        RelationshipInfo relationship = tables.createRelationship(new ManyToManySpec(relationshipName, table, "contact"));
        assertEquals(RelationshipType.MANY_TO_MANY, relationship.getType());
        assertEquals(relationship, tables.relationship(relationshipName));
        assertTrue(tables.relationships(table).contains(relationship));

        UUID project = records.create(table, values("new_name", "Apollo"));
        UUID contact = records.create("contact", values("lastname", "Armstrong"));
        records.associate(table, project, relationshipName, new EntityReference("contact", contact));

        ListOptions expandContacts = ListOptions.builder().expand(new Expand(relationshipName, List.of("lastname"))).build();
        DataverseRecord linked = records.list(table, expandContacts).stream().findFirst().orElseThrow();
        assertEquals(List.of("Armstrong"),
                linked.getExpandedList(relationshipName).stream().map(r -> r.getString("lastname")).collect(Collectors.toList()));

        records.disassociate(table, project, relationshipName, new EntityReference("contact", contact));
        assertTrue(records.list(table, expandContacts).stream().findFirst().orElseThrow().getExpandedList(relationshipName).isEmpty());

        tables.deleteRelationship(relationshipName);
        assertThrows(NotFoundException.class, () -> tables.relationship(relationshipName));
        tables.delete(table);
    }

    @Test
    void alternateKeysBecomeUsableOnceActive() {
        String table = client.tables().create(TableSpec.builder(uniqueSchemaName("Part"), "Part")
                .column(ColumnSpec.string("new_PartNumber", "Part number", 20)).build()).getLogicalName();
        BlockingTables tables = client.tables();

        AlternateKeyInfo key = tables.createKey(table, new AlternateKeySpec("new_PartNumberKey", List.of("new_partnumber")));
        assertEquals(List.of("new_partnumber"), key.getColumns());
        AlternateKeyInfo active = tables.awaitKey(table, "new_PartNumberKey", Duration.ofSeconds(30));
        assertEquals(KeyIndexStatus.ACTIVE, active.getStatus());

        UUID id = records.upsert(table, RecordKey.alternate("new_partnumber", "P-100"), values("new_name", "Bolt"));
        assertEquals("Bolt", records.get(table, RecordKey.alternate("new_partnumber", "P-100")).getString("new_name"));
        assertEquals(id, records.get(table, id).getId());

        tables.deleteKey(table, "new_PartNumberKey");
        assertTrue(tables.keys(table).isEmpty());
        tables.delete(table);
    }

    @Test
    void associatesThroughSingleAndCollectionValuedNavigationPropertiesOfStandardTables() {
        UUID account = records.create("account", values("name", "Linked"));
        UUID contact = records.create("contact", values("lastname", "Primary"));
        AsyncRecords async = client.async().records();

        records.associate("account", account, "primarycontactid", new EntityReference("contact", contact));
        assertEquals(contact, records.get("account", account).getUuid("_primarycontactid_value"));
        async.disassociate("account", account, "primarycontactid").join();
        assertTrue(records.get("account", account).isNull("_primarycontactid_value"));

        async.associate("account", account, "contact_customer_accounts", new EntityReference("contact", contact)).join();
        assertEquals(account, records.get("contact", contact).getUuid("_parentcustomerid_value"));
        records.disassociate("account", account, "contact_customer_accounts", new EntityReference("contact", contact));
        assertTrue(records.get("contact", contact).isNull("_parentcustomerid_value"));

        assertThrows(NotFoundException.class, () -> records.associate("account", UUID.randomUUID(), "primarycontactid",
                new EntityReference("contact", contact)));
    }

    @Test
    void badInputFailsWithTypedErrorsBeforeAnythingIsSent() {
        long before = requests();
        InvalidInputException noPrefix = assertThrows(InvalidInputException.class, () -> TableSpec.builder("Gadget", "Gadget").build());
        assertTrue(noPrefix.getMessage().contains("prefix"), noPrefix.getMessage());
        assertThrows(InvalidInputException.class, () -> ColumnSpec.string("new_Bad-Name", "Bad"));
        assertThrows(InvalidInputException.class, () -> ColumnSpec.string("new_Näme", "Bad"));
        assertThrows(InvalidInputException.class, () -> client.tables().awaitKey("account", "new_Key", Duration.ZERO));
        assertThrows(InvalidInputException.class, () -> new ChoiceLabel(java.util.Arrays.asList("Red", null)));
        assertEquals(before, requests(), "nothing was sent");
    }

    @Test
    void duplicatesAndUnknownLabelsAreTypedErrors() {
        String schema = uniqueSchemaName("Dup");
        TableSpec spec = TableSpec.builder(schema, "Dup").column(ColumnSpec.choice("new_Color", "Color", "Red", "Green")).build();
        client.tables().create(spec);

        assertThrows(DuplicateRecordException.class, () -> client.tables().create(spec));

        String table = schema.toLowerCase();
        InvalidInputException unknown = assertThrows(InvalidInputException.class,
                () -> records.create(table, values("new_name", "x", "new_color", ChoiceLabel.of("Purple"))));
        assertTrue(unknown.getMessage().contains("Purple") && unknown.getMessage().contains("Green"), unknown.getMessage());
        assertEquals(0, records.list(table).stream().count(), "no record was created");
        client.tables().delete(table);
    }

    @Test
    void theAsyncViewCreatesAndReadsTablesThroughFutures() throws Exception {
        AsyncTables tables = client.async().tables();
        String schema = uniqueSchemaName("Ticket");

        ColumnInfo priority = tables.create(TableSpec.builder(schema, "Ticket").build())
                .thenCompose(table -> tables.addColumn(table.getLogicalName(), ColumnSpec.choice("new_Priority", "Priority", "Low", "High")))
                .get(30, TimeUnit.SECONDS);
        assertEquals(ColumnType.CHOICE, priority.getType());
        assertEquals(2, tables.choices(schema.toLowerCase(), "new_priority").get(30, TimeUnit.SECONDS).getOptions().size());

        ExecutionException missing = assertThrows(ExecutionException.class, () -> tables.get("new_nosuchtable").get(30, TimeUnit.SECONDS));
        assertInstanceOf(NotFoundException.class, missing.getCause());

        CompletionException invalid = assertThrows(CompletionException.class,
                () -> tables.awaitKey(schema.toLowerCase(), "new_Key", Duration.ofSeconds(-1)).join());
        assertInstanceOf(InvalidInputException.class, invalid.getCause());

        assertNull(tables.delete(schema.toLowerCase()).get(30, TimeUnit.SECONDS));
        assertInstanceOf(NotFoundException.class,
                assertThrows(ExecutionException.class, () -> tables.get(schema.toLowerCase()).get(30, TimeUnit.SECONDS)).getCause());
    }
}
