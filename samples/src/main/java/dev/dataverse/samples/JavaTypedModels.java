package dev.dataverse.samples;

import dev.dataverse.java.BlockingTypedTable;
import dev.dataverse.java.DataverseBlockingClient;
import dev.dataverse.samples.javamodel.Account;
import dev.dataverse.samples.javamodel.AccountIndustryCode;
import dev.dataverse.samples.javamodel.AccountState;
import dev.dataverse.samples.javamodel.NewColors;
import dev.dataverse.samples.javamodel.NewProject;
import dev.dataverse.samples.javamodel.NewProjectNewPhase;
import java.math.BigDecimal;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import dev.dataverse.ChoiceOption;
import dev.dataverse.ColumnSpec;
import dev.dataverse.TableSpec;
import java.util.stream.IntStream;

/**
 * Typed models from Java: the classes generated from schema/dataverse-schema.json (in the build, by dataverse-codegen)
 * with builders, used through the blocking client's {@code records().typed(...)}.
 *
 * <p>Run: {@code ./mvnw -q compile exec:java -pl samples -am -Dexec.mainClass=dev.dataverse.samples.JavaTypedModels}
 */
public final class JavaTypedModels {
    private JavaTypedModels() {
    }

    public static void main(String[] args) {
        try (SampleEnvironment environment = SampleEnvironment.open();
             DataverseBlockingClient client = DataverseBlockingClient.wrap(environment.getClient())) {
            System.out.println("Connected to " + environment.getDescription());
            ensureProjectTable(client);

            BlockingTypedTable<Account> accounts = client.records().typed(Account.MODEL);
            UUID fabrikam = accounts.create(Account.builder()
                    .name("Fabrikam (typed)")
                    .industryCode(AccountIndustryCode.ACCOUNTING)
                    .revenue(new BigDecimal("98000.00"))
                    .build());
            Account read = accounts.get(fabrikam);
            System.out.println("Read " + read.getName() + ": " + read.getIndustryCode().getLabel() + ", state " + read.getStateCode());

            accounts.update(read.toBuilder().numberOfEmployees(12).build());

            BlockingTypedTable<NewProject> projects = client.records().typed(NewProject.MODEL);
            projects.createMany(List.of(
                    NewProject.builder().newName("Atlas").newAccountId(fabrikam).newPhase(NewProjectNewPhase.NOT_STARTED).build(),
                    NewProject.builder().newName("Zephyr").newAccountId(fabrikam).newColors(Set.of(NewColors.GREEN)).build()));

            List<String> names = projects.list(NewProject.NEW_ACCOUNTID.eq(fabrikam)).stream()
                    .map(NewProject::getNewName).sorted().collect(Collectors.toList());
            long active = accounts.list(Account.NAME.startsWith("Fabrikam").and(Account.STATECODE.eq(AccountState.ACTIVE))).stream().count();
            System.out.println("Active Fabrikam accounts: " + active + "; its projects: " + names
                    + "; employees now " + accounts.get(fabrikam).getNumberOfEmployees());
        }
    }

    /** The snapshot's custom table {@code new_project}, created through the schema API when the environment lacks it. */
    private static void ensureProjectTable(DataverseBlockingClient client) {
        if (client.tables().list().stream().anyMatch(t -> t.getLogicalName().equals("new_project"))) {
            return;
        }
        List<String> colors = List.of("Red", "Green", "Blue", "Yellow", "Purple");
        client.tables().create(TableSpec.builder("new_Project", "Project")
                .column(ColumnSpec.multiChoice("new_Colors", "Colors",
                        IntStream.range(0, colors.size()).mapToObj(i -> new ChoiceOption(100000000 + i, colors.get(i))).collect(Collectors.toList())))
                .column(ColumnSpec.choice("new_Phase", "Phase", List.of(new ChoiceOption(100000000, "Not started"), new ChoiceOption(100000001, "In progress"))))
                .column(ColumnSpec.lookup("new_AccountId", "Account", "account"))
                .column(ColumnSpec.decimal("new_Budget", "Budget"))
                .column(ColumnSpec.dateOnly("new_Due", "Due"))
                .column(ColumnSpec.file("new_Document", "Document"))
                .column(ColumnSpec.integer("new_Priority", "Priority"))
                .build());
    }
}
