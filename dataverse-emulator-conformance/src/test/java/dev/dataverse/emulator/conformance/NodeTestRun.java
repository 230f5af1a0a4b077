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
 * the emulator), with the suite's reporter writing a result per check and node's spec reporter a readable log
 * ({@code node-output.txt}).
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

    /**
     * Runs each file in its own node process, one after the other: the files share the emulator, and node's own
     * file-level concurrency flag is missing from the node 18 that Debian 12 packages.
     */
    static NodeTestRun execute(Path nodeDir, String baseUrl, Path outputDir) throws IOException, InterruptedException {
        Path log = outputDir.resolve("node-output.txt");
        Files.deleteIfExists(log);
        List<String> files;
        try (Stream<Path> listed = Files.list(nodeDir.resolve("tests"))) {
            files = listed.map(Path::getFileName).map(Path::toString).filter(name -> name.endsWith(".test.mjs")).sorted().toList();
        }
        List<NodeCheck> checks = new ArrayList<>();
        int exitCode = 0;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(RUN_TIMEOUT_MINUTES);
        for (String file : files) {
            Path results = outputDir.resolve(file + ".results");
            Files.deleteIfExists(results);
            ProcessBuilder builder = new ProcessBuilder(List.of(
                    "node", "--test",
                    "--test-reporter=./reporter.mjs", "--test-reporter-destination=" + results,
                    "--test-reporter=spec", "--test-reporter-destination=stdout",
                    "tests/" + file))
                    .directory(nodeDir.toFile()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            Map<String, String> environment = builder.environment();
            environment.put("DATAVERSE_URL", baseUrl);
            // DynamicsWebApi honours http_proxy/https_proxy: the emulator is on loopback, never behind a proxy.
            environment.keySet().removeIf(name -> name.equalsIgnoreCase("http_proxy") || name.equalsIgnoreCase("https_proxy"));
            Process process = builder.start();
            if (!process.waitFor(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                process.destroyForcibly().waitFor();
                throw new IllegalStateException("The node:test run did not end within " + RUN_TIMEOUT_MINUTES + " minutes; see " + log);
            }
            exitCode = Math.max(exitCode, process.exitValue());
            if (Files.exists(results)) {
                Files.readAllLines(results, StandardCharsets.UTF_8).stream().filter(line -> !line.isBlank())
                        .map(line -> NodeCheck.parse(line).inFile(file)).forEach(checks::add);
            }
        }
        return new NodeTestRun(checks, exitCode, log);
    }
}
