package com.example.crm;

import dev.dataverse.DataverseRecord;
import dev.dataverse.ListOptions;
import dev.dataverse.java.DataverseAsyncClient;
import dev.dataverse.java.DataverseBlockingClient;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Contacts kept in Dataverse, the way plain Java code uses the client: blocking calls, streams and futures. */
public final class Crm {
    private final DataverseBlockingClient client;

    public Crm(DataverseBlockingClient client) {
        this.client = client;
    }

    public UUID addContact(String firstName, String lastName) {
        return client.records().create("contact", Map.of("firstname", firstName, "lastname", lastName));
    }

    public String fullName(UUID id) {
        DataverseRecord contact = client.records().get("contact", id);
        return contact.getString("firstname") + " " + contact.getString("lastname");
    }

    public List<String> lastNames() {
        ListOptions options = ListOptions.builder().select("lastname").pageSize(2).build();
        try (Stream<DataverseRecord> contacts = client.records().list("contact", options).stream()) {
            return contacts.map(c -> c.getString("lastname")).sorted().collect(Collectors.toList());
        }
    }

    public CompletableFuture<String> lastNameAsync(UUID id) {
        DataverseAsyncClient async = client.async();
        return async.records().get("contact", id).thenApply(contact -> contact.getString("lastname"));
    }
}
