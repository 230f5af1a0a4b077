package dev.dataverse.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataverse.TlsHandshakeException;
import dev.dataverse.HttpEngine;
import dev.dataverse.emulator.DataverseEmulator;
import dev.dataverse.emulator.EmulatorOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The builder's sslContext option from Java, against the emulator serving https with its self-signed certificate. */
class TlsTest {
    private static DataverseEmulator emulator;

    @BeforeAll
    static void start() {
        emulator = DataverseEmulator.start(EmulatorOptions.builder().tls(true).build());
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @BeforeEach
    void reset() {
        emulator.reset();
    }

    @Test
    void aClientTrustingTheEmulatorsCertificateCallsItOverHttps() {
        assertTrue(emulator.getBaseUrl().startsWith("https://"));
        try (DataverseBlockingClient client = new DataverseClientBuilder()
                .environmentUrl(emulator.getBaseUrl())
                .token("t")
                .httpEngine(HttpEngine.JDK)
                .sslContext(emulator.clientSslContext())
                .buildClient()) {
            client.whoAmI();
            client.whoAmI();
        }
        assertEquals(2, emulator.getStats().getRequests());
        assertEquals(1, emulator.getStats().getTlsHandshakes());
    }

    @Test
    void theCioEngineCallsItOverHttpsWithTheContextAndItsTrustManager() {
        try (DataverseBlockingClient client = new DataverseClientBuilder()
                .environmentUrl(emulator.getBaseUrl())
                .token("t")
                .httpEngine(HttpEngine.CIO)
                .sslContext(emulator.clientSslContext(), emulator.clientTrustManager())
                .buildClient()) {
            client.whoAmI();
            client.whoAmI();
        }
        assertEquals(2, emulator.getStats().getRequests());
        assertTrue(emulator.getStats().getTlsHandshakes() >= 1);
        assertEquals(emulator.getStats().getConnectionsAccepted(), emulator.getStats().getTlsHandshakes());
    }

    @Test
    void withoutItTheHandshakeFailsOnceAndNothingIsSent() {
        try (DataverseBlockingClient client = new DataverseClientBuilder()
                .environmentUrl(emulator.getBaseUrl())
                .token("t")
                .httpEngine(HttpEngine.JDK)
                .buildClient()) {
            TlsHandshakeException e = assertThrows(TlsHandshakeException.class, client::whoAmI);
            assertFalse(e.isTransient());
        }
        // One connection: the default retry policy did not try again; the handshake never completed, so no request.
        assertEquals(1, emulator.getStats().getConnectionsAccepted());
        assertEquals(0, emulator.getStats().getTlsHandshakes());
        assertEquals(0, emulator.getStats().getRequests());
    }
}
