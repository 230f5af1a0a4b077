package dev.dataverse.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dataverse.HttpEngine;
import dev.dataverse.emulator.DataverseEmulator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * No thread per call on JVMs that see one or two CPUs, the common case in containers. There,
 * {@code CompletableFuture}'s default async pool starts a thread for every task (the common pool's parallelism is 1),
 * so a client that completes or resumes anything on it implicitly starts a platform thread per response.
 *
 * <p>The client runs in a child JVM started with {@code -XX:ActiveProcessorCount=N}; the emulator runs here, so only
 * the client's threads are counted. After a warm-up, over 400 calls of each kind (blocking, blocking from 8 threads,
 * asynchronous one at a time, asynchronous 16 in flight) at most {@link #SHORT_LIVED} threads may start and end: a thread
 * per call would be hundreds. With calls in parallel a pool may still grow while the machine is busy (Ktor CIO's on
 * {@code Dispatchers.IO} does), so there the threads started, which stay, are bounded by {@link #POOL_GROWTH}; with one
 * call at a time by {@link #SHORT_LIVED}.
 */
class ThreadsPerCallTest {
    private static final int CALLS = 400;
    private static final int SHORT_LIVED = 4;
    private static final int POOL_GROWTH = 64;
    private static DataverseEmulator emulator;

    @BeforeAll
    static void start() {
        emulator = DataverseEmulator.start();
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @ParameterizedTest(name = "{1} engine, {0} CPU(s) visible")
    @CsvSource({"1, JDK", "2, JDK", "1, CIO", "2, CIO"})
    void noThreadStartsPerCall(int cpus, HttpEngine engine) throws Exception {
        Map<String, long[]> threads = runChild(cpus, engine);
        assertEquals(List.of("blocking-sequential", "blocking-8-threads", "async-sequential", "async-16-in-flight"), new ArrayList<>(threads.keySet()));
        threads.forEach((mode, counts) -> {
            String where = mode + " over " + CALLS + " calls with " + cpus + " CPU(s) visible (" + engine + "): ";
            long started = counts[0];
            long ended = counts[1];
            assertTrue(ended <= SHORT_LIVED, where + ended + " threads started and ended");
            assertTrue(started <= (mode.endsWith("-sequential") ? SHORT_LIVED : POOL_GROWTH), where + started + " threads started");
        });
    }

    /** Per mode: the threads started and, of those, the ones that ended meanwhile. */
    private static Map<String, long[]> runChild(int cpus, HttpEngine engine) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = List.of(java, "-XX:ActiveProcessorCount=" + cpus, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
            ThreadsPerCallChild.class.getName(), emulator.getBaseUrl(), engine.name(), Integer.toString(CALLS));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            StringBuilder output = new StringBuilder();
            Thread reader = new Thread(() -> new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream()))
                .lines().forEach(line -> output.append(line).append('\n')));
            reader.start();
            // A guard against a hang, not a performance limit.
            assertTrue(process.waitFor(5, TimeUnit.MINUTES), "the child JVM did not finish:\n" + output);
            reader.join();
            assertEquals(0, process.exitValue(), "the child JVM failed:\n" + output);
            Map<String, long[]> threads = new LinkedHashMap<>();
            output.toString().lines().filter(line -> line.startsWith(ThreadsPerCallChild.PREFIX)).forEach(line -> {
                String[] fields = line.substring(ThreadsPerCallChild.PREFIX.length()).split(" ");
                assertEquals(CALLS, Integer.parseInt(fields[1]), line);
                threads.put(fields[0], new long[] {Long.parseLong(fields[2]), Long.parseLong(fields[3])});
            });
            return threads;
        } finally {
            if (process.isAlive()) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
