package dev.dataverse.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.dataverse.DataverseClient;
import dev.dataverse.Page;
import dev.dataverse.emulator.DataverseEmulator;
import dev.dataverse.emulator.EmulatorOptions;
import dev.dataverse.java.DataverseAsyncClient;
import dev.dataverse.java.DataverseBlockingClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * Runs sample test classes in-process with the JUnit Platform test kit, then checks what the extension left behind:
 * the emulator stopped, every client closed. (Surefire does not run the nested samples on their own: it skips nested
 * classes.)
 */
class ExtensionLifecycleTest {

    private static void runAndExpectSuccesses(Class<?> testClass, int successes) {
        EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(testClass))
                .execute()
                .testEvents()
                .assertStatistics(stats -> stats.started(successes).succeeded(successes));
    }

    private static boolean accepts(int port) {
        try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void afterTheClassTheEmulatorIsStoppedAndEveryClientClosed() {
        runAndExpectSuccesses(ClassLevelSample.class, 2);

        assertTrue(ClassLevelSample.port > 0);
        assertFalse(accepts(ClassLevelSample.port), "the emulator no longer listens");
        assertTrue(ClassLevelSample.classClient.isClosed(), "the class-level client is closed");
        assertTrue(ClassLevelSample.testClient.isClosed(), "the test's client is closed");
        assertNotSame(ClassLevelSample.classClient, ClassLevelSample.testClient, "a test gets its own client");
        assertTrue(ClassLevelSample.testCore.isClosed());
    }

    @Test
    void registeredOptionsConfigureTheEmulatorAndTheClientsToken() {
        runAndExpectSuccesses(OptionsSample.class, 1);

        assertEquals(2, OptionsSample.firstPageSize, "the emulator's maxPageSize applies");
    }

    @Test
    void theExtensionRefusesParametersOfOtherTypes() {
        EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(UnsupportedParameterSample.class))
                .execute()
                .testEvents()
                .assertStatistics(stats -> stats.started(1).failed(1));
    }

    @ExtendWith(DataverseEmulatorExtension.class)
    static class ClassLevelSample {
        static int port;
        static DataverseBlockingClient classClient;
        static DataverseBlockingClient testClient;
        static DataverseClient testCore;

        @BeforeAll
        static void classLevel(DataverseEmulator emulator, DataverseBlockingClient client) {
            port = emulator.getPort();
            classClient = client;
        }

        @Test
        void usesTheClassLevelClientInATest() {
            classClient.whoAmI();
        }

        @Test
        void usesItsOwnClients(DataverseAsyncClient async, DataverseClient core) throws Exception {
            testClient = async.blocking();
            testCore = core;
            async.whoAmI().get();
        }
    }

    static class OptionsSample {
        static int firstPageSize;

        @RegisterExtension
        static final DataverseEmulatorExtension dataverse = DataverseEmulatorExtension.builder()
                .options(EmulatorOptions.builder().requiredToken("s3cret").maxPageSize(2).build())
                .build();

        @Test
        void clientsSendTheRequiredTokenAndPagesFollowTheOptions(DataverseBlockingClient client) {
            for (int i = 0; i < 3; i++) client.records().create("account", Map.of("name", "Account " + i));

            Page first = client.records().page("account");

            firstPageSize = first.getRecords().size();
            assertTrue(first.hasNext());
        }
    }

    @ExtendWith(DataverseEmulatorExtension.class)
    static class UnsupportedParameterSample {
        @Test
        void asksForAString(String notProvided) {
        }
    }
}
