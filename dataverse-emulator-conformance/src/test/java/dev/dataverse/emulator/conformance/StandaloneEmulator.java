package dev.dataverse.emulator.conformance;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The emulator as users run it: the shaded jar in its own JVM ({@code java -jar ... --port 0}), whose first line on
 * standard output is its base URL. Standard error goes to a log file next to the other outputs of the run.
 */
final class StandaloneEmulator implements AutoCloseable {
    /** How long the emulator may take to print its URL before the run gives up (a hang guard, not a timing check). */
    private static final long START_TIMEOUT_SECONDS = 120;

    private final Process process;
    private final String baseUrl;

    private StandaloneEmulator(Process process, String baseUrl) {
        this.process = process;
        this.baseUrl = baseUrl;
    }

    static StandaloneEmulator start(Path jar, Path outputDir) throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("The standalone emulator jar " + jar + " does not exist: package dataverse-emulator first.");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(List.of(java, "-Xmx512m", "-jar", jar.toString(), "--port", "0"))
                .redirectError(outputDir.resolve("emulator-stderr.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
        BufferedReader stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> firstLine = CompletableFuture.supplyAsync(() -> {
            try {
                return stdout.readLine();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, command -> new Thread(command, "emulator-stdout").start());
        String url;
        try {
            url = firstLine.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            throw new IllegalStateException("The standalone emulator did not print its URL; see " + outputDir.resolve("emulator-stderr.log"), e);
        }
        if (url == null || !url.startsWith("http://127.0.0.1:")) {
            process.destroyForcibly();
            throw new IllegalStateException("The standalone emulator printed " + url + " instead of its URL.");
        }
        // Keep draining standard output so that the emulator never blocks on a full pipe.
        Thread drain = new Thread(() -> {
            try {
                while (stdout.readLine() != null) {
                    // discarded: the emulator logs to standard error
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "emulator-stdout-drain");
        drain.setDaemon(true);
        drain.start();
        return new StandaloneEmulator(process, url);
    }

    String baseUrl() {
        return baseUrl;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
