package dev.dataverse.samples;

import dev.dataverse.AlternateKeyInfo;
import dev.dataverse.AlternateKeySpec;
import dev.dataverse.Filter;
import dev.dataverse.MatchConditions;
import dev.dataverse.Expand;
import com.azure.identity.DefaultAzureCredentialBuilder;
import dev.dataverse.EntityReference;
import dev.dataverse.ListOptions;
import dev.dataverse.NotFoundException;
import dev.dataverse.DataverseRecord;
import dev.dataverse.RecordKey;
import dev.dataverse.RetrieveOptions;
import dev.dataverse.emulator.DataverseEmulator;
import dev.dataverse.java.BlockingRecords;
import dev.dataverse.java.DataverseAsyncClient;
import dev.dataverse.java.DataverseBlockingClient;
import dev.dataverse.java.DataverseClientBuilder;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The Java quickstart: create, read, update, upsert by alternate key, list with paging, delete — with the blocking
 * client, then a few calls with the CompletableFuture client.
 *
 * <p>Runs against an embedded emulator by default. Set {@code DATAVERSE_URL} to run against a real environment, signing
 * in with {@code DefaultAzureCredential}, or with the bearer token in {@code DATAVERSE_TOKEN} when that is set.
 */
public final class JavaQuickstart {
    private JavaQuickstart() {
    }

    public static void main(String[] args) {
        String url = System.getenv("DATAVERSE_URL");
        DataverseEmulator emulator = url == null || url.isBlank() ? DataverseEmulator.start() : null;
        DataverseClientBuilder builder = new DataverseClientBuilder().applicationId("dataverse-samples");
        if (emulator != null) {
            builder.environmentUrl(emulator.getBaseUrl()).token("emulator");
        } else {
            String token = System.getenv("DATAVERSE_TOKEN");
            builder.environmentUrl(url);
            if (token != null && !token.isBlank()) {
                builder.token(token);
            } else {
                builder.credential(new DefaultAzureCredentialBuilder().build());
            }
        }
        try (DataverseBlockingClient client = builder.buildClient()) {
            System.out.println("Connected to " + client.environmentUrl() + " as user " + client.whoAmI().getUserId());
            run(client);
            runAsync(client.async());
        } finally {
            if (emulator != null) {
                emulator.close();
            }
        }
    }

    private static void run(DataverseBlockingClient client) {
        BlockingRecords records = client.records();

        UUID contactId = records.create("contact", Map.of("firstname", "Grace", "lastname", "Hopper (sample)"));
        UUID accountId = records.create("account", Map.of(
                "name", "Northwind (sample)",
                "accountnumber", "SAMPLE-JAVA-1",
                "revenue", new BigDecimal("98000.25"),
                "primarycontactid", new EntityReference("contact", contactId)));
        System.out.println("Created account " + accountId);

        DataverseRecord account = records.get("account", accountId, RetrieveOptions.builder()
                .select("name", "revenue")
                .expand(new Expand("primarycontactid", List.of("fullname")))
                .includeAnnotations(true)
                .build());
        DataverseRecord contact = account.getExpanded("primarycontactid");
        System.out.println("Read back: " + account.getString("name") + ", revenue " + account.formattedValue("revenue")
                + ", contact " + (contact == null ? "none" : contact.getString("fullname")));

        records.update("account", accountId, Map.of("telephone1", "+1 555 0199"), MatchConditions.ifMatch(account.getEtag()));
        // Upserts by account number need an alternate key on it, which a fresh org does not have: create it (once), and
        // wait until the service has built its index.
        AlternateKeyInfo accountNumberKey = client.tables().keys("account").stream()
                .filter(key -> key.getColumns().equals(List.of("accountnumber")))
                .findFirst()
                .orElseGet(() -> client.tables().createKey("account", new AlternateKeySpec("new_AccountNumberKey", List.of("accountnumber"))));
        client.tables().awaitKey("account", accountNumberKey.getSchemaName());
        UUID upserted = records.upsert("account", RecordKey.alternate("accountnumber", "SAMPLE-JAVA-1"),
                Map.of("name", "Northwind Traders (sample)"));
        System.out.println("Upsert by account number hit the same record: " + upserted.equals(accountId));

        for (int i = 0; i < 4; i++) {
            records.create("account", Map.of("name", "Tailspin " + i + " (sample)"));
        }
        ListOptions samples = ListOptions.builder()
                .select("name")
                .filter(Filter.contains("name", "(sample)"))
                .orderBy("name")
                .pageSize(2)
                .build();
        // A lazy Stream: pages of 2 are fetched as the stream is consumed; closing it stops fetching.
        try (Stream<DataverseRecord> stream = records.list("account", samples).stream()) {
            List<String> names = stream.map(r -> r.getString("name")).collect(Collectors.toList());
            System.out.println("Listed " + names.size() + " sample accounts: " + names);
        }

        try (Stream<DataverseRecord> stream = records.list("account", samples).stream()) {
            stream.forEach(r -> records.delete("account", r.getId()));
        }
        records.delete("contact", contactId);
        try {
            records.get("account", accountId);
        } catch (NotFoundException e) {
            System.out.println("Deleted: get now fails with " + e.getErrorCode() + " (" + e.getServiceMessage() + ")");
        }
    }

    private static void runAsync(DataverseAsyncClient client) {
        CompletableFuture<UUID> created = client.records().create("account", Map.of("name", "Async (sample)"));
        DataverseRecord read = created.thenCompose(id -> client.records().get("account", id)).join();
        System.out.println("Async create then get: " + read.getString("name"));
        client.records().delete("account", read.getId()).join();
    }
}
