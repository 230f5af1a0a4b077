package dev.dataverse.java;

import dev.dataverse.AlternateKeySpec;
import dev.dataverse.emulator.DataverseEmulator;
import dev.dataverse.emulator.EmulatorOptions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * One emulator per test class, emptied before each test; a fresh blocking client (with its async view) per test. Request
 * counts restart at zero before each test, so {@link #requests()} is the number of HTTP requests the test has sent.
 */
abstract class EmulatorTestSupport {
    static final String TOKEN = "test-token";
    static final String ACCOUNT_NUMBER_KEY = "new_AccountNumberKey";

    static DataverseEmulator emulator;

    DataverseBlockingClient client;
    BlockingRecords records;

    @BeforeAll
    static void startEmulator() {
        // Alternate keys a test creates are usable at once; their Pending state is tested in the core module.
        emulator = DataverseEmulator.start(EmulatorOptions.builder().keyActivationDelayMillis(0).build());
    }

    @AfterAll
    static void stopEmulator() {
        emulator.close();
    }

    @BeforeEach
    void connect() {
        emulator.reset();
        client = newBuilder().buildClient();
        records = client.records();
    }

    @AfterEach
    void disconnect() {
        client.close();
    }

    static DataverseClientBuilder newBuilder() {
        return new DataverseClientBuilder().environmentUrl(emulator.getBaseUrl()).token(TOKEN);
    }

    /**
     * Creates the alternate key on {@code account.accountnumber} that upserts by account number need, through the tables
     * API, as a user does on a fresh org (where no table has one), and waits until it is active; nothing to do when it exists.
     */
    void createAccountNumberKey() {
        // The emulator keeps schema across reset(): an earlier test of this class may have created the key.
        if (client.tables().keys("account").stream().noneMatch(key -> key.getSchemaName().equals(ACCOUNT_NUMBER_KEY))) {
            client.tables().createKey("account", new AlternateKeySpec(ACCOUNT_NUMBER_KEY, List.of("accountnumber")));
        }
        client.tables().awaitKey("account", ACCOUNT_NUMBER_KEY);
    }

    static long requests() {
        return emulator.getStats().getRequests();
    }

    /** A mutable map, which unlike Map.of() accepts null values. */
    static Map<String, Object> values(Object... keysAndValues) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
