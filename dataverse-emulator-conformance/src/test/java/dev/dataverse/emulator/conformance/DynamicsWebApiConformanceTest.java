package dev.dataverse.emulator.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * The emulator checked by a client no one here wrote, as Azurite and LocalStack are checked with the official SDKs: the
 * standalone jar is started with {@code java -jar}, and the node:test checks under {@code src/test/node/tests} drive it
 * with DynamicsWebApi. Every check is one JUnit test here, in a container per file, with the check's own outcome.
 *
 * <p>Each check names where its expectation comes from: a Microsoft Learn page ({@code "Learn, <page>: ..."}) or
 * DynamicsWebApi's documented behaviour against the service ({@code "DynamicsWebApi...: ..."}), never the emulator's
 * current behaviour; a check that names neither fails.
 */
class DynamicsWebApiConformanceTest {

    @TestFactory
    @DisplayName("DynamicsWebApi 2.5.0 against the standalone emulator")
    Stream<DynamicNode> dynamicsWebApiAgainstTheStandaloneEmulator() throws Exception {
        Path outputDir = Files.createDirectories(Path.of(property("conformance.outputDir")));
        NodeTestRun run;
        try (StandaloneEmulator emulator = StandaloneEmulator.start(Path.of(property("conformance.emulatorJar")), outputDir)) {
            run = NodeTestRun.execute(Path.of(property("conformance.nodeDir")), emulator.baseUrl(), outputDir);
        }
        List<DynamicNode> nodes = new ArrayList<>(files(run.checks));
        nodes.add(DynamicTest.dynamicTest("the node:test run reported every check it ran", () -> {
            assertTrue(!run.checks.isEmpty(), "no check ran; see " + run.log);
            boolean anyFailed = run.checks.stream().anyMatch(check -> check.status().equals("fail"));
            if (run.exitCode != 0 && !anyFailed) {
                fail("node exited with " + run.exitCode + " although no check failed; see " + run.log);
            }
        }));
        return nodes.stream();
    }

    /** A container per file, then per suite, with a test per check, in the order node ran them. */
    private static List<DynamicNode> files(List<NodeCheck> checks) {
        Map<String, List<NodeCheck>> byFile = new LinkedHashMap<>();
        checks.forEach(check -> byFile.computeIfAbsent(check.file(), file -> new ArrayList<>()).add(check));
        List<DynamicNode> files = new ArrayList<>();
        byFile.forEach((file, fileChecks) -> files.add(DynamicContainer.dynamicContainer(file, level(fileChecks, 0))));
        return files;
    }

    /** The checks and suites at [depth] of their paths, each suite holding the checks below it, in first-seen order. */
    private static Stream<DynamicNode> level(List<NodeCheck> checks, int depth) {
        Map<String, List<NodeCheck>> suites = new LinkedHashMap<>();
        List<Object> entries = new ArrayList<>(); // a NodeCheck, or the name of a suite
        for (NodeCheck check : checks) {
            if (check.path().size() == depth + 1) {
                entries.add(check);
            } else {
                String suite = check.path().get(depth);
                if (!suites.containsKey(suite)) {
                    entries.add(suite);
                }
                suites.computeIfAbsent(suite, name -> new ArrayList<>()).add(check);
            }
        }
        return entries.stream().map(entry -> entry instanceof NodeCheck check
                ? test(check)
                : DynamicContainer.dynamicContainer((String) entry, level(suites.get((String) entry), depth + 1)));
    }

    private static DynamicTest test(NodeCheck check) {
        return DynamicTest.dynamicTest(check.name(), () -> {
            if (!(check.name().startsWith("Learn, ") || check.name().startsWith("DynamicsWebApi"))) {
                fail("The check does not name where its expectation comes from (\"Learn, <page>: ...\" or \"DynamicsWebApi...: ...\").");
            }
            switch (check.status()) {
                case "pass" -> {
                }
                case "fail" -> throw new AssertionFailedError(check.file() + " › " + String.join(" › ", check.path()) + "\n" + check.message());
                case "todo" -> throw new TestAbortedException("Known deviation: " + check.reason());
                case "skip" -> throw new TestAbortedException("Skipped: " + check.reason());
                default -> fail("Unknown status " + check.status());
            }
        });
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank() || value.startsWith("${")) {
            throw new IllegalStateException("System property " + name + " is not set: run the suite through Maven (see the README).");
        }
        return value;
    }
}
