package com.example.accounts;

import dev.dataverse.DataverseRecord;
import dev.dataverse.ListOptions;
import dev.dataverse.NotFoundException;
import dev.dataverse.Page;
import dev.dataverse.java.DataverseBlockingClient;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Accounts over HTTP, kept in Dataverse through the starter's blocking client, on Spring Boot 3.5. */
@SpringBootApplication
@RestController
public class AccountsApplication {
    private final DataverseBlockingClient dataverse;

    public AccountsApplication(DataverseBlockingClient dataverse) {
        this.dataverse = dataverse;
    }

    @PostMapping("/accounts")
    public ResponseEntity<String> create(@RequestBody Map<String, String> account) {
        UUID id = dataverse.records().create("account", Map.of("name", account.get("name")));
        return ResponseEntity.status(HttpStatus.CREATED).body(id.toString());
    }

    @GetMapping("/accounts/{id}")
    public ResponseEntity<String> name(@PathVariable UUID id) {
        try {
            DataverseRecord account = dataverse.records().get("account", id);
            return ResponseEntity.ok(account.getString("name"));
        } catch (NotFoundException e) {
            return ResponseEntity.notFound().build();
        }
    }

    /** The record itself as the response body: the starter's Jackson module writes it. */
    @GetMapping("/accounts/{id}/record")
    public DataverseRecord record(@PathVariable UUID id) {
        return dataverse.records().get("account", id);
    }

    /** A page of accounts; the continuation token of the previous answer fetches the next one. */
    @GetMapping("/accounts")
    public Page page(@RequestParam(required = false) String next) {
        return dataverse.records().page("account", ListOptions.builder().select(List.of("name")).pageSize(2).build(), next);
    }

    public static void main(String[] args) {
        SpringApplication.run(AccountsApplication.class, args);
    }
}
