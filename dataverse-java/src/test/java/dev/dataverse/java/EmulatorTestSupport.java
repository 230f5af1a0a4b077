package dev.dataverse.java;

import dev.dataverse.emulator.DataverseEmulator;
import java.util.HashMap;
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

    static DataverseEmulator emulator;

    DataverseBlockingClient client;
    BlockingRecords records;

    @BeforeAll
    static void startEmulator() {
        emulator = DataverseEmulator.start();
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
