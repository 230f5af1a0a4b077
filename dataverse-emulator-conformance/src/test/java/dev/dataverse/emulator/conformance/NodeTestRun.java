package dev.dataverse.emulator.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One run of the node:test checks in {@code tests/} against an emulator: every file, one after the other (they share
 * the emulator), with the suite's reporter writing a result per check and node's spec reporter a readable log.
 */
final class NodeTestRun {
    /** A hang guard for the whole run, not a timing check: the run takes well under a minute. */
    private static final long RUN_TIMEOUT_MINUTES = 10;

    final List<NodeCheck> checks;
    final int exitCode;
    final Path log;

    private NodeTestRun(List<NodeCheck> checks, int exitCode, Path log) {
        this.checks = checks;
        this.exitCode = exitCode;
        this.log = log;
    }

    static NodeTestRun execute(Path nodeDir, String baseUrl, Path outputDir) throws IOException, InterruptedException {
        Path results = outputDir.resolve("node-results.txt");
        Path log = outputDir.resolve("node-output.txt");
        List<String> command = new ArrayList<>(List.of(
                "node", "--test", "--test-concurrency=1",
                "--test-reporter=./reporter.mjs", "--test-reporter-destination=" + results,
                "--test-reporter=spec", "--test-reporter-destination=stdout"));
        try (Stream<Path> files = Files.list(nodeDir.resolve("tests"))) {
            files.map(Path::getFileName).map(Path::toString).filter(name -> name.endsWith(".test.mjs")).sorted()
                    .forEach(name -> command.add("tests/" + name));
        }
        ProcessBuilder builder = new ProcessBuilder(command).directory(nodeDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> environment = builder.environment();
        environment.put("DATAVERSE_URL", baseUrl);
        // DynamicsWebApi honours http_proxy/https_proxy: the emulator is on loopback, never behind a proxy.
        environment.keySet().removeIf(name -> name.equalsIgnoreCase("http_proxy") || name.equalsIgnoreCase("https_proxy"));
        Process process = builder.start();
        if (!process.waitFor(RUN_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor();
            throw new IllegalStateException("The node:test run did not end within " + RUN_TIMEOUT_MINUTES + " minutes; see " + log);
        }
        List<NodeCheck> checks = Files.exists(results)
                ? Files.readAllLines(results, StandardCharsets.UTF_8).stream().filter(line -> !line.isBlank()).map(NodeCheck::parse).toList()
                : List.of();
        return new NodeTestRun(checks, process.exitValue(), log);
    }
}
