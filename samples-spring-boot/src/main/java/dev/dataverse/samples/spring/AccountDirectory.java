package dev.dataverse.samples.spring;

import dev.dataverse.BulkOptions;
import dev.dataverse.BulkResult;
import dev.dataverse.Filter;
import dev.dataverse.ListOptions;
import dev.dataverse.java.DataverseBlockingClient;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.springframework.stereotype.Service;

/** The application's own service: it only sees the injected blocking client. */
@Service
public class AccountDirectory {
    private final DataverseBlockingClient dataverse;

    public AccountDirectory(DataverseBlockingClient dataverse) {
        this.dataverse = dataverse;
    }

    /** Imports {@code count} accounts through CreateMultiple, in chunks sent in parallel. */
    public BulkResult importAccounts(int count) {
        List<Map<String, Object>> accounts = IntStream.range(0, count)
            .mapToObj(n -> Map.<String, Object>of("name", "Spring account " + n, "numberofemployees", n))
            .toList();
        return dataverse.records().createMany("account", accounts, BulkOptions.builder().chunkSize(100).maxParallelism(4).build());
    }

    /** Counts the accounts with at least {@code employees} employees, streaming them page by page. */
    public long countLargerThan(int employees) {
        ListOptions options = ListOptions.builder().select("name").filter(Filter.ge("numberofemployees", employees)).pageSize(50).build();
        try (var records = dataverse.records().list("account", options).stream()) {
            return records.count();
        }
    }
}
