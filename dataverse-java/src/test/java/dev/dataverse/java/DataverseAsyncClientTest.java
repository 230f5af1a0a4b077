package dev.dataverse.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataverse.ClientClosedException;
import dev.dataverse.DataverseClient;
import dev.dataverse.WhoAmI;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DataverseAsyncClientTest extends EmulatorTestSupport {

    @Test
    void whoAmICompletesWithTheSameIdentityAsTheBlockingCall() throws Exception {
        DataverseAsyncClient async = client.async();

        WhoAmI me = async.whoAmI().get(30, TimeUnit.SECONDS);

        assertEquals(client.whoAmI(), me);
        assertEquals(emulator.getBaseUrl(), async.environmentUrl());
        assertEquals(emulator.getApiUrl(), async.apiUrl());
    }

    @Test
    void buildAsyncClientGivesAClientWhoseBlockingViewSharesIt() throws Exception {
        try (DataverseAsyncClient async = newBuilder().buildAsyncClient()) {
            assertSame(async, async.blocking().async());
            assertSame(async.core(), async.blocking().core());
            UUID id = async.records().create("account", Map.of("name", "Async")).get(30, TimeUnit.SECONDS);
            assertEquals("Async", async.blocking().records().get("account", id).getString("name"));
        }
    }

    @Test
    void afterCloseFuturesFailWithClientClosedWithoutARequest() {
        DataverseAsyncClient async = newBuilder().buildAsyncClient();
        async.close();

        CompletableFuture<WhoAmI> call = async.whoAmI();

        assertTrue(call.isCompletedExceptionally());
        ExecutionException e = assertThrows(ExecutionException.class, call::get);
        assertInstanceOf(ClientClosedException.class, e.getCause());
        assertTrue(async.isClosed());
        assertTrue(async.blocking().isClosed());
        assertEquals(0, requests());
    }

    @Test
    void wrapGivesJavaCodeAnAsyncViewOfAKotlinClient() throws Exception {
        DataverseClient core = DataverseClient.builder().environmentUrl(emulator.getBaseUrl()).token(TOKEN).build();
        try (DataverseAsyncClient wrapped = DataverseAsyncClient.wrap(core)) {
            assertSame(core, wrapped.core());
            assertEquals(emulator.getBaseUrl(), wrapped.environmentUrl());
            wrapped.whoAmI().get(30, TimeUnit.SECONDS);
        }
        assertTrue(core.isClosed());
    }
}
