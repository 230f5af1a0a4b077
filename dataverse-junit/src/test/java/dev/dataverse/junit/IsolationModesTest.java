package dev.dataverse.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.dataverse.emulator.DataverseEmulator;
import dev.dataverse.emulator.FaultKind;
import dev.dataverse.emulator.FaultRule;
import dev.dataverse.java.DataverseBlockingClient;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * The two isolation modes side by side, run in-process with the JUnit Platform test kit: the same two ordered tests
 * pass with the default isolation and fail with {@link EmulatorIsolation#SHARED}, which proves that the probe detects a
 * leak; and per-test isolation refuses tests of one emulator that run at the same time.
 */
class IsolationModesTest {

    private static Events run(Class<?> testClass, Map<String, String> configuration) {
        return EngineTestKit.engine("junit-jupiter")
                .configurationParameters(configuration)
                .selectors(selectClass(testClass))
                .execute()
                .testEvents();
    }

    @Test
    void byDefaultTheSecondTestSeesNeitherTheRecordNorTheThrottlingRuleOfTheFirst() {
        run(IsolatedProbe.class, Map.of()).assertStatistics(stats -> stats.started(2).succeeded(2));
        assertEquals(List.of(0, 0), IsolatedProbe.accountsSeen);
    }

    @Test
    void withSharedIsolationTheSecondTestSeesWhatTheFirstLeft() {
        Events events = run(SharedProbe.class, Map.of());
        events.assertStatistics(stats -> stats.started(2).succeeded(1).failed(1));
        events.assertThatEvents().haveExactly(1,
                event(test("secondTestExpectsAFreshStart"), finishedWithFailure(message(text -> text.contains("leftover")))));
        assertEquals(List.of(0, 1), SharedProbe.accountsSeen, "the record of the first test reached the second");
    }

    @Test
    void perTestIsolationRefusesTestsOfOneEmulatorThatRunAtTheSameTime() {
        Events events = run(OverlappingSample.class, Map.of(
                "junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.config.strategy", "fixed",
                "junit.jupiter.execution.parallel.config.fixed.parallelism", "2"));
        events.assertStatistics(stats -> stats.started(2).succeeded(1).failed(1));
        events.assertThatEvents().haveExactly(1, event(test(), finishedWithFailure(
                instanceOf(ExtensionConfigurationException.class), message(text -> text.contains("one at a time")))));
    }

    @Test
    void aTestWhoseInstanceCannotBeBuiltDoesNotHoldTheNextOneUp() {
        Events events = run(FailingConstructorSample.class, Map.of());
        events.assertStatistics(stats -> stats.started(2).succeeded(1).failed(1));
        events.assertThatEvents().haveExactly(1, event(test("first"), finishedWithFailure(message("the constructor failed"))));
    }

    @ExtendWith(DataverseEmulatorExtension.class)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class FailingConstructorSample {
        static int constructed;

        FailingConstructorSample(DataverseBlockingClient client) {
            client.records().create("account", Map.of("name", "constructed"));
            if (constructed++ == 0) throw new IllegalStateException("the constructor failed");
        }

        @Test
        @Order(1)
        void first() {
        }

        @Test
        @Order(2)
        void second(DataverseEmulator emulator) {
            assertEquals(1, emulator.recordCount("account"), "the failed test's record is undone");
        }
    }

    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    abstract static class LeakProbe {
        static List<Integer> seen(Class<? extends LeakProbe> probe) {
            return probe == SharedProbe.class ? SharedProbe.accountsSeen : IsolatedProbe.accountsSeen;
        }

        @Test
        @Order(1)
        void firstTestLeavesARecordAndAThrottlingRule(DataverseBlockingClient client, DataverseEmulator emulator) {
            seen(getClass()).add(emulator.recordCount("account"));
            client.records().create("account", Map.of("name", "leftover"));
            emulator.faults().add(FaultRule.builder(FaultKind.THROTTLE_REQUESTS).retryAfterSeconds(30).build());
        }

        @Test
        @Order(2)
        void secondTestExpectsAFreshStart(DataverseBlockingClient client, DataverseEmulator emulator) {
            seen(getClass()).add(emulator.recordCount("account"));
            assertEquals(0, emulator.recordCount("account"), "a leftover record of the first test");
            assertEquals(List.of(), emulator.faults().rules(), "a leftover fault rule of the first test");
            assertEquals("Emulator User", client.records().list("systemuser").iterator().next().getString("fullname"));
        }
    }

    @ExtendWith(DataverseEmulatorExtension.class)
    static class IsolatedProbe extends LeakProbe {
        static final List<Integer> accountsSeen = new java.util.concurrent.CopyOnWriteArrayList<>();
    }

    static class SharedProbe extends LeakProbe {
        static final List<Integer> accountsSeen = new java.util.concurrent.CopyOnWriteArrayList<>();

        @RegisterExtension
        static final DataverseEmulatorExtension dataverse = DataverseEmulatorExtension.builder().isolation(EmulatorIsolation.SHARED).build();
    }

    /** Counts tests that finished, whether their start was refused or not. */
    static class FinishedTests implements TestWatcher {
        static final CountDownLatch ONE_FINISHED = new CountDownLatch(1);

        @Override
        public void testSuccessful(ExtensionContext context) {
            ONE_FINISHED.countDown();
        }

        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            ONE_FINISHED.countDown();
        }
    }

    /**
     * Each test waits for the other one to finish: with the guard, the one that starts second is refused at once and the
     * other proceeds; without it, both would wait until the bound and fail.
     */
    @ExtendWith(FinishedTests.class)
    @ExtendWith(DataverseEmulatorExtension.class)
    @Execution(ExecutionMode.CONCURRENT)
    static class OverlappingSample {
        @Test
        void one(DataverseEmulator emulator) throws InterruptedException {
            assertTrue(FinishedTests.ONE_FINISHED.await(60, TimeUnit.SECONDS));
        }

        @Test
        void other(DataverseEmulator emulator) throws InterruptedException {
            assertTrue(FinishedTests.ONE_FINISHED.await(60, TimeUnit.SECONDS));
        }
    }
}
