package dev.dataverse.samples;

import dev.dataverse.java.BlockingTypedTable;
import dev.dataverse.java.DataverseBlockingClient;
import dev.dataverse.samples.javamodel.Account;
import dev.dataverse.samples.javamodel.AccountIndustryCode;
import dev.dataverse.samples.javamodel.AccountState;
import dev.dataverse.samples.javamodel.DataverseModels;
import dev.dataverse.samples.javamodel.NewColors;
import dev.dataverse.samples.javamodel.NewProject;
import dev.dataverse.samples.javamodel.NewProjectNewPhase;
import java.math.BigDecimal;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

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
        // An emulator is seeded with the snapshot the models were generated from; a real environment must have its tables.
        try (SampleEnvironment environment = SampleEnvironment.open(SampleEnvironment.sampleSchema());
             DataverseBlockingClient client = DataverseBlockingClient.wrap(environment.getClient())) {
            System.out.println("Connected to " + environment.getDescription());
            // The drift check at start-up: throws SchemaDriftException naming every difference.
            DataverseModels.verify(client);
            System.out.println("Schema matches the snapshot the models were generated from " + DataverseModels.TABLES);

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
}
