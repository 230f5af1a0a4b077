package com.example.accounts;

import dev.dataverse.DataverseRecord;
import dev.dataverse.NotFoundException;
import dev.dataverse.java.DataverseBlockingClient;
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
import org.springframework.web.bind.annotation.RestController;

/** Accounts over HTTP, kept in Dataverse through the starter's blocking client. */
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

    public static void main(String[] args) {
        SpringApplication.run(AccountsApplication.class, args);
    }
}
