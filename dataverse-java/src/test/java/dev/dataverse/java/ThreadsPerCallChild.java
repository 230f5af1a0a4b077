package dev.dataverse.java;

import dev.dataverse.HttpEngine;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The client side of {@link ThreadsPerCallTest}, run in a child JVM that sees few CPUs: makes calls through the blocking and
 * the asynchronous facade and prints how many threads the JVM started meanwhile, and how many of those it started also
 * ended before the calls were done, one line per way of calling: {@code threads <mode> <calls> <started> <ended>}.
 */
public final class ThreadsPerCallChild {
    static final String PREFIX = "threads ";
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        String url = args[0];
        HttpEngine engine = HttpEngine.valueOf(args[1]);
        int calls = Integer.parseInt(args[2]);
        try (DataverseBlockingClient client = new DataverseClientBuilder().environmentUrl(url).token("t").httpEngine(engine).buildClient()) {
            BlockingRecords records = client.records();
            AsyncRecords async = client.async().records();
            UUID id = records.create("account", Map.of("name", "Contoso"));

            measure("blocking-sequential", calls, () -> {
                for (int i = 0; i < calls; i++) records.get("account", id);
                return 0;
            });
            int callers = 8;
            measure("blocking-8-threads", calls, inParallel(callers, calls / callers, () -> records.get("account", id)));
            measure("async-sequential", calls, () -> {
                for (int i = 0; i < calls; i++) async.get("account", id).join();
                return 0;
            });
            measure("async-16-in-flight", calls, () -> {
                List<CompletableFuture<?>> chains = new ArrayList<>();
                for (int chain = 0; chain < 16; chain++) chains.add(chain(() -> async.get("account", id), calls / 16));
                chains.forEach(CompletableFuture::join);
                return 0;
            });
        }
    }

    /**
     * Runs {@code work} once to warm up (pools fill, classes load), then again counting the threads the JVM started,
     * less those the work started itself (callers of its own).
     */
    private static void measure(String mode, int calls, Work work) throws Exception {
        work.run();
        long before = THREADS.getTotalStartedThreadCount();
        int liveBefore = THREADS.getThreadCount();
        int own = work.run();
        long started = THREADS.getTotalStartedThreadCount() - before - own;
        // The work's own threads have ended (joined): what started and is not alive any more was short-lived.
        long ended = started - (THREADS.getThreadCount() - liveBefore);
        System.out.println(PREFIX + mode + " " + calls + " " + started + " " + ended);
    }

    /** {@code threads} threads of the caller's, each making {@code callsEach} calls. */
    private static Work inParallel(int threads, int callsEach, Runnable call) {
        return () -> {
            CyclicBarrier start = new CyclicBarrier(threads + 1);
            CountDownLatch done = new CountDownLatch(threads);
            AtomicReference<Exception> failure = new AtomicReference<>();
            List<Thread> callers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread caller = new Thread(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < callsEach; i++) call.run();
                    } catch (Exception e) {
                        failure.compareAndSet(null, e);
                    } finally {
                        done.countDown();
                    }
                });
                caller.start();
                callers.add(caller);
            }
            start.await();
            done.await();
            for (Thread caller : callers) caller.join();
            if (failure.get() != null) throw failure.get();
            return threads;
        };
    }

    /** Runs {@code count} calls one after the other, each started when the previous one completed. */
    private static CompletableFuture<?> chain(Supplier<CompletableFuture<?>> call, int count) {
        CompletableFuture<?> chain = CompletableFuture.completedFuture(null);
        for (int i = 0; i < count; i++) chain = chain.thenCompose(ignored -> call.get());
        return chain;
    }

    /** Calls to measure; returns how many threads it started itself. */
    @FunctionalInterface
    private interface Work {
        int run() throws Exception;
    }

    private ThreadsPerCallChild() {
    }
}
