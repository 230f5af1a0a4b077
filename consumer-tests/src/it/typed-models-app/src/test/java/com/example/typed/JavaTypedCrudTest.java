package com.example.typed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.example.jmodel.Account;
import com.example.jmodel.AccountIndustryCode;
import com.example.jmodel.AccountState;
import dev.dataverse.emulator.DataverseEmulator;
import dev.dataverse.java.BlockingTypedTable;
import dev.dataverse.java.DataverseBlockingClient;
import dev.dataverse.java.DataverseClientBuilder;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class JavaTypedCrudTest {
    @Test
    void generatedJavaModelsRunTypedCrudAgainstTheEmulator() throws Exception {
        try (DataverseEmulator emulator = DataverseEmulator.start();
             DataverseBlockingClient client = new DataverseClientBuilder().environmentUrl(emulator.getBaseUrl()).token("test").buildClient()) {
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
