package com.example.typed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.example.jmodel.Account;
import com.example.jmodel.AccountIndustryCode;
import com.example.jmodel.AccountState;
import com.example.jmodel.DataverseModels;
import dev.dataverse.emulator.DataverseEmulator;
import dev.dataverse.emulator.EmulatorOptions;
import dev.dataverse.java.BlockingTypedTable;
import dev.dataverse.java.DataverseBlockingClient;
import dev.dataverse.java.DataverseClientBuilder;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class JavaTypedCrudTest {
    @Test
    void generatedJavaModelsRunTypedCrudAgainstTheEmulator() throws Exception {
        Path schema = Path.of(System.getProperty("dataverse.schema"));
        try (DataverseEmulator emulator = DataverseEmulator.start(EmulatorOptions.builder().schema(schema).build());
             DataverseBlockingClient client = new DataverseClientBuilder().environmentUrl(emulator.getBaseUrl()).token("test").buildClient()) {
            DataverseModels.verify(client);
            DataverseModels.verify(client.async()).get();
            BlockingTypedTable<Account> accounts = client.records().typed(Account.MODEL);
            UUID id = accounts.create(Account.builder().name("Java consumer").industryCode(AccountIndustryCode.CONSULTING).build());
            Account read = accounts.get(id);
            assertEquals(AccountIndustryCode.CONSULTING, read.getIndustryCode());
            assertEquals(AccountState.ACTIVE, read.getStateCode());
            accounts.update(read.toBuilder().name("Java consumer 2").build());
            List<String> names = accounts.list(Account.NAME.startsWith("Java consumer")).stream().map(Account::getName).collect(Collectors.toList());
            assertEquals(List.of("Java consumer 2"), names);
            assertEquals("Java consumer 2", client.async().records().typed(Account.MODEL).get(id).get().getName());
        }
    }
}
