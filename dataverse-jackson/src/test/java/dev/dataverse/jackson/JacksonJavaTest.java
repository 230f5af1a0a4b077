package dev.dataverse.jackson;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dataverse.DataverseRecord;
import dev.dataverse.emulator.DataverseEmulator;
import dev.dataverse.java.DataverseBlockingClient;
import dev.dataverse.java.DataverseClientBuilder;
import dev.dataverse.jackson2.DataverseJackson2Module;
import java.math.BigDecimal;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The modules as Java code registers them, without Spring: a record read through the blocking client goes both ways. */
class JacksonJavaTest {
    @Test
    void aRecordReadInJavaRoundTripsThroughBothJacksons() throws Exception {
        try (DataverseEmulator emulator = DataverseEmulator.start();
             DataverseBlockingClient client = new DataverseClientBuilder().environmentUrl(emulator.getBaseUrl()).token("java").buildClient()) {
            UUID id = client.records().create("account", Map.of("name", "Java", "revenue", new BigDecimal("12.30")));
            DataverseRecord account = client.records().get("account", id);

            JsonMapper jackson3 = JsonMapper.builder().addModule(new DataverseJacksonModule()).build();
            DataverseRecord fromJackson3 = jackson3.readValue(jackson3.writeValueAsString(account), DataverseRecord.class);
            assertEquals(account, fromJackson3);
            assertEquals(new BigDecimal("12.30"), fromJackson3.getDecimal("revenue"));

            ObjectMapper jackson2 = new ObjectMapper().registerModule(new DataverseJackson2Module());
            DataverseRecord fromJackson2 = jackson2.readValue(jackson2.writeValueAsString(account), DataverseRecord.class);
            assertEquals(account, fromJackson2);
            assertEquals(id, fromJackson2.getId());
        }
    }
}
