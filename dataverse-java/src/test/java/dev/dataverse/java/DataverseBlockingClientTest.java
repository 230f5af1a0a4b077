package dev.dataverse.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataverse.ClientClosedException;
import dev.dataverse.DataverseClient;
import dev.dataverse.WhoAmI;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DataverseBlockingClientTest extends EmulatorTestSupport {

    @Test
    void whoAmIReportsTheCallersIdentity() {
        WhoAmI me = client.whoAmI();

        assertNotNull(me.getUserId());
        assertNotNull(me.getOrganizationId());
        assertEquals(1, requests());
    }

    @Test
    void exposesTheEnvironmentAndApiUrls() {
        assertEquals(emulator.getBaseUrl(), client.environmentUrl());
        assertEquals(emulator.getApiUrl(), client.apiUrl());
    }

    @Test
    void theAsyncViewSharesTheSameCoreClient() throws Exception {
        DataverseAsyncClient async = client.async();

        assertSame(async, client.async());
        assertSame(client, async.blocking());
        assertSame(client.core(), async.core());
        UUID id = client.records().create("account", Map.of("name", "Shared"));
        assertEquals("Shared", async.records().get("account", id).get().getString("name"));
    }

    @Test
    void closingEitherViewClosesBothAndTheCore() {
        client.async().close();

        assertTrue(client.isClosed());
        assertTrue(client.async().isClosed());
        assertTrue(client.core().isClosed());
        assertThrows(ClientClosedException.class, client::whoAmI);
        assertEquals(0, requests());
        client.close(); // idempotent
    }

    @Test
    void wrapGivesJavaCodeABlockingViewOfAKotlinClient() {
        DataverseClient core = DataverseClient.builder().environmentUrl(emulator.getBaseUrl()).token(TOKEN).build();
        DataverseBlockingClient wrapped = DataverseBlockingClient.wrap(core);

        assertSame(core, wrapped.core());
        UUID id = wrapped.records().create("account", Map.of("name", "Wrapped"));
        assertEquals("Wrapped", wrapped.records().get("account", id).getString("name"));

        wrapped.close();
        assertTrue(core.isClosed());
    }

    @Test
    void closingTheWrappedKotlinClientMakesTheViewReportClosed() {
        DataverseClient core = DataverseClient.builder().environmentUrl(emulator.getBaseUrl()).token(TOKEN).build();
        DataverseBlockingClient wrapped = DataverseBlockingClient.wrap(core);
        assertFalse(wrapped.isClosed());

        core.close();

        assertTrue(wrapped.isClosed());
        assertThrows(ClientClosedException.class, wrapped::whoAmI);
        assertEquals(0, requests());
    }
}
