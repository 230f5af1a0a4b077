package dev.dataverse.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataverse.BulkResult;
import dev.dataverse.ColumnSpec;
import dev.dataverse.EntityReference;
import dev.dataverse.Filter;
import dev.dataverse.InvalidInputException;
import dev.dataverse.NotFoundException;
import dev.dataverse.codegen.it.java.Account;
import dev.dataverse.codegen.it.java.AccountIndustryCode;
import dev.dataverse.codegen.it.java.AccountState;
import dev.dataverse.codegen.it.java.Contact;
import dev.dataverse.codegen.it.java.DataverseModels;
import dev.dataverse.codegen.it.java.NewColors;
import dev.dataverse.codegen.it.java.NewProject;
import dev.dataverse.codegen.it.java.NewProjectNewPhase;
import dev.dataverse.emulator.DataverseEmulator;
import dev.dataverse.emulator.EmulatorOptions;
import dev.dataverse.java.DataverseAsyncClient;
import dev.dataverse.schema.SchemaDrift;
import dev.dataverse.schema.SchemaDriftException;
import dev.dataverse.schema.SchemaDriftKind;
import dev.dataverse.schema.SchemaDriftReport;
import dev.dataverse.schema.SchemaSnapshot;
import java.nio.file.Path;
import dev.dataverse.java.AsyncTypedTable;
import dev.dataverse.java.BlockingTypedTable;
import dev.dataverse.java.DataverseBlockingClient;
import dev.dataverse.java.DataverseClientBuilder;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Java sources generated from src/test/resources/test-snapshot.json (by this module's command line, in the build),
 * compiled and used through the blocking and CompletableFuture facades against the emulator.
 */
class GeneratedJavaModelTest {
    static final Path SNAPSHOT = Path.of("src/test/resources/test-snapshot.json");
    static DataverseEmulator emulator;
    static DataverseBlockingClient client;

    @BeforeAll
    static void start() {
        // Seeded with the snapshot the models were generated from, as a user's tests would be.
        emulator = DataverseEmulator.start(EmulatorOptions.builder().schema(SNAPSHOT).build());
        client = new DataverseClientBuilder().environmentUrl(emulator.getBaseUrl()).token("test-token").buildClient();
    }

    @AfterAll
    static void stop() {
        client.close();
        emulator.close();
    }

    @Test
    void columnConstantsBuildTheSameFiltersAsTheStringForms() {
        assertEquals(Filter.startsWith("name", "Con"), Account.NAME.startsWith("Con"));
        assertEquals(Filter.eq("statecode", 0), Account.STATECODE.eq(AccountState.ACTIVE));
        UUID id = UUID.randomUUID();
        assertEquals(Filter.eq("_primarycontactid_value", id), Account.PRIMARYCONTACTID.eq(id));
        assertEquals("account", Account.MODEL.getLogicalName());
        assertEquals(AccountIndustryCode.CONSULTING, AccountIndustryCode.fromValue(7));
        assertThrows(IllegalArgumentException.class, () -> AccountIndustryCode.fromValue(99));
    }

    @Test
    void blockingCrudThroughTheGeneratedModel() {
        BlockingTypedTable<Account> accounts = client.records().typed(Account.MODEL);
        BlockingTypedTable<Contact> contacts = client.records().typed(Contact.MODEL);
        UUID contactId = contacts.create(Contact.builder().firstName("Grace").lastName("Hopper").birthDate(LocalDate.of(1906, 12, 9)).build());
        UUID id = accounts.create(Account.builder()
                .name("Java typed")
                .revenue(new BigDecimal("99.5"))
                .industryCode(AccountIndustryCode.ACCOUNTING)
                .primaryContactId(contactId)
                .build());

        Account read = accounts.get(id);
        assertEquals(id, read.getAccountId());
        assertEquals("Java typed", read.getName());
        assertEquals(AccountIndustryCode.ACCOUNTING, read.getIndustryCode());
        assertEquals(AccountState.ACTIVE, read.getStateCode());
        assertEquals(contactId, read.getPrimaryContactId());
        assertNotNull(read.getCreatedOn());
        assertEquals(read, Account.MODEL.fromRecord(client.records().get("account", id)));

        accounts.update(read.toBuilder().name("Java renamed").build());
        assertEquals("Java renamed", accounts.get(id).getName());

        List<Account> found = accounts.list(Account.NAME.startsWith("Java ren").and(Account.PRIMARYCONTACTID.eq(contactId))).stream()
                .collect(Collectors.toList());
        assertEquals(List.of(id), found.stream().map(Account::getAccountId).collect(Collectors.toList()));
        int count = 0;
        for (Account a : accounts.list(Account.ACCOUNTID.eq(id))) {
            assertEquals("Java renamed", a.getName());
            count++;
        }
        assertEquals(1, count);

        Contact contact = contacts.get(contactId);
        assertEquals("Grace Hopper", contact.getFullName());

        accounts.delete(id);
        assertThrows(NotFoundException.class, () -> accounts.get(id));
        assertThrows(InvalidInputException.class, () -> accounts.update(Account.builder().name("no id").build()));
    }

    @Test
    void polymorphicLookupsMultiSelectChoicesAndCreateOnlyColumns() {
        UUID accountId = client.records().typed(Account.MODEL).create(Account.builder().name("Sponsor").build());
        BlockingTypedTable<Contact> contacts = client.records().typed(Contact.MODEL);
        UUID contactId = contacts.create(Contact.builder().lastName("Child").parentCustomerId(new EntityReference("account", accountId)).build());
        assertEquals(new EntityReference("account", accountId), contacts.get(contactId).getParentCustomerId());

        BlockingTypedTable<NewProject> projects = client.records().typed(NewProject.MODEL);
        UUID id = projects.create(NewProject.builder()
                .newName("Gemini")
                .newColors(Set.of(NewColors.VALUE_100000002, NewColors.RED_100000000))
                .newPhase(NewProjectNewPhase.NOT_STARTED)
                .newAccountId(accountId)
                .newCount(5)
                .build());
        NewProject read = projects.get(id);
        assertEquals(Set.of(NewColors.VALUE_100000002, NewColors.RED_100000000), read.getNewColors());
        assertEquals(NewProjectNewPhase.NOT_STARTED, read.getNewPhase());
        assertEquals(accountId, read.getNewAccountId());
        assertThrows(UnsupportedOperationException.class, () -> read.getNewColors().add(NewColors.RED_100000001));

        projects.update(read.toBuilder().newCount(8).newName("Gemini 2").build());
        assertEquals(5, projects.get(id).getNewCount());
        assertEquals("Gemini 2", projects.get(id).getNewName());
        assertEquals("new_document", NewProject.NEW_DOCUMENT.getLogicalName());
    }

    @Test
    void asyncCrudAndBulkThroughTheGeneratedModel() throws Exception {
        AsyncTypedTable<Account> accounts = client.async().records().typed(Account.MODEL);
        BulkResult created = accounts.createMany(List.of(Account.builder().name("Async 1").build(), Account.builder().name("Async 2").build()))
                .get(30, TimeUnit.SECONDS);
        List<UUID> ids = created.getIds();
        accounts.updateMany(ids.stream().map(i -> Account.builder().accountId(i).numberOfEmployees(3).build()).collect(Collectors.toList()))
                .get(30, TimeUnit.SECONDS);
        for (UUID i : ids) {
            assertEquals(3, accounts.get(i).get(30, TimeUnit.SECONDS).getNumberOfEmployees());
        }
        UUID chosen = UUID.randomUUID();
        assertEquals(chosen, accounts.upsert(Account.builder().accountId(chosen).name("Async upsert").build()).get(30, TimeUnit.SECONDS));

        ExecutionException missing = assertThrows(ExecutionException.class, () -> accounts.get(UUID.randomUUID()).get(30, TimeUnit.SECONDS));
        assertInstanceOf(NotFoundException.class, missing.getCause());
        assertTrue(accounts.update(Account.builder().build()).isCompletedExceptionally());
        try (Stream<Account> names = client.records().typed(Account.MODEL).list(Account.NAME.startsWith("Async")).stream()) {
            assertEquals(Set.of("Async 1", "Async 2", "Async upsert"), names.map(Account::getName).collect(Collectors.toSet()));
        }
        assertFalse(accounts.delete(chosen).thenCompose(v -> accounts.get(chosen)).handle((v, e) -> e == null).get(30, TimeUnit.SECONDS));
    }

    @Test
    void dataverseModelsEmbedsTheSnapshotTheModelsWereGeneratedFrom() {
        assertEquals(SchemaSnapshot.read(SNAPSHOT), DataverseModels.snapshot());
        assertEquals(List.of("account", "contact", "new_project"), DataverseModels.TABLES);
        assertEquals(List.of("new_Archive", "new_CountAccounts", "new_FindNames", "new_ScoreLead", "new_Touch"), DataverseModels.CUSTOM_APIS);
        assertThrows(UnsupportedOperationException.class, () -> DataverseModels.TABLES.add("x"));
    }

    @Test
    void dataverseModelsVerifyPassesOnAMatchingEmulatorAndReportsDriftBlockingAndAsync() throws Exception {
        try (DataverseEmulator drifting = DataverseEmulator.start(EmulatorOptions.builder().schema(SNAPSHOT).build());
                DataverseBlockingClient blocking = new DataverseClientBuilder().environmentUrl(drifting.getBaseUrl()).token("t").buildClient();
                DataverseAsyncClient async = new DataverseClientBuilder().environmentUrl(drifting.getBaseUrl()).token("t").buildAsyncClient()) {
            DataverseModels.verify(blocking);
            DataverseModels.verify(async).get(30, TimeUnit.SECONDS);
            assertTrue(DataverseModels.check(blocking).isEmpty());

            // The budget becomes a whole number: the generated BigDecimal property no longer matches the environment.
            blocking.tables().removeColumn("new_project", "new_budget");
            blocking.tables().addColumn("new_project", ColumnSpec.integer("new_Budget", "Budget"));

            SchemaDriftReport report = DataverseModels.check(blocking);
            assertEquals(1, report.getDifferences().size(), report.toString());
            SchemaDrift drift = report.getDifferences().get(0);
            assertEquals(SchemaDriftKind.COLUMN_TYPE_CHANGED, drift.getKind());
            assertEquals("new_project", drift.getTable());
            assertEquals("new_budget", drift.getMember());
            assertEquals("Decimal", drift.getExpected());
            assertEquals(report, DataverseModels.check(async).get(30, TimeUnit.SECONDS));

            SchemaDriftException thrown = assertThrows(SchemaDriftException.class, () -> DataverseModels.verify(blocking));
            assertEquals(report, thrown.getReport());
            ExecutionException failed = assertThrows(ExecutionException.class, () -> DataverseModels.verify(async).get(30, TimeUnit.SECONDS));
            SchemaDriftException cause = assertInstanceOf(SchemaDriftException.class, failed.getCause());
            assertTrue(cause.getMessage().contains("new_project.new_budget"), cause.getMessage());
        }
    }
}
