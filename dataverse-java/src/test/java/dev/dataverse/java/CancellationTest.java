package dev.dataverse.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataverse.ClientClosedException;
import dev.dataverse.DataverseException;
import dev.dataverse.OperationInterruptedException;
import dev.dataverse.WhoAmI;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Cancelling a future, interrupting a blocked thread and closing the client all end the HTTP exchange in flight. Uses a
 * server that never answers its first request and reports when the client hangs up on it.
 */
class CancellationTest {

    private static DataverseClientBuilder builderFor(StallingServer server) {
        return new DataverseClientBuilder().environmentUrl(server.url()).token("t");
    }

    @Test
    void cancellingTheFutureCancelsTheHttpExchangeAndTheClientKeepsWorking() throws Exception {
        try (StallingServer server = new StallingServer(1);
             DataverseAsyncClient client = builderFor(server).buildAsyncClient()) {
            CompletableFuture<WhoAmI> call = client.whoAmI();
            server.awaitStalledRequest();

            assertTrue(call.cancel(true));

            assertTrue(call.isCancelled());
            assertThrows(CancellationException.class, call::get);
            server.awaitClientHangUp();
            assertEquals(StallingServer.USER_ID, client.whoAmI().get(30, TimeUnit.SECONDS).getUserId());
        }
    }

    @Test
    void interruptingABlockedThreadCancelsTheExchangeThrowsOperationInterruptedAndKeepsTheInterruptStatus() throws Exception {
        try (StallingServer server = new StallingServer(1);
             DataverseBlockingClient client = builderFor(server).buildClient()) {
            CompletableFuture<Throwable> thrown = new CompletableFuture<>();
            CompletableFuture<Boolean> interruptStatus = new CompletableFuture<>();
            Thread caller = new Thread(() -> {
                try {
                    client.whoAmI();
                    thrown.complete(null);
                } catch (Throwable t) {
                    interruptStatus.complete(Thread.currentThread().isInterrupted());
                    thrown.complete(t);
                }
            });
            caller.start();
            server.awaitStalledRequest();

            caller.interrupt();

            Throwable failure = thrown.get(30, TimeUnit.SECONDS);
            OperationInterruptedException interrupted = assertInstanceOf(OperationInterruptedException.class, failure);
            assertInstanceOf(DataverseException.class, interrupted, "every failure of the library is a DataverseException");
            assertInstanceOf(InterruptedException.class, failure.getCause());
            assertTrue(interruptStatus.get(), "the interrupt status is restored");
            server.awaitClientHangUp();
            assertEquals(StallingServer.USER_ID, client.whoAmI().getUserId());
        }
    }

    @Test
    void closingTheClientFailsTheCallInFlightWithClientClosedException() throws Exception {
        try (StallingServer server = new StallingServer(1)) {
            DataverseAsyncClient client = builderFor(server).buildAsyncClient();
            CompletableFuture<WhoAmI> call = client.whoAmI();
            server.awaitStalledRequest();

            client.close();

            ExecutionException failure = assertThrows(ExecutionException.class, () -> call.get(30, TimeUnit.SECONDS));
            assertInstanceOf(ClientClosedException.class, failure.getCause());
            assertFalse(call.isCancelled());
            server.awaitClientHangUp();
        }
    }

    @Test
    void closingTheClientFromAnotherThreadFailsABlockedCallWithClientClosedException() throws Exception {
        try (StallingServer server = new StallingServer(1)) {
            DataverseBlockingClient client = builderFor(server).buildClient();
            CompletableFuture<Throwable> thrown = new CompletableFuture<>();
            Thread caller = new Thread(() -> {
                try {
                    client.whoAmI();
                    thrown.complete(null);
                } catch (Throwable t) {
                    thrown.complete(t);
                }
            });
            caller.start();
            server.awaitStalledRequest();

            client.close();

            assertInstanceOf(ClientClosedException.class, thrown.get(30, TimeUnit.SECONDS));
            server.awaitClientHangUp();
        }
    }
}
