package dev.dataverse.java;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;

/**
 * A Flow.Subscriber that either requests everything at once, or one item at a time (asking for the next after receiving
 * one) and cancels after {@code cancelAfter} items. {@link #done} completes on onComplete or cancellation and fails on
 * onError.
 */
final class TestSubscriber<T> implements Flow.Subscriber<T> {
    final List<T> items = new CopyOnWriteArrayList<>();
    final CompletableFuture<List<T>> done = new CompletableFuture<>();
    private final boolean oneAtATime;
    private final int cancelAfter;
    private volatile Flow.Subscription subscription;

    private TestSubscriber(boolean oneAtATime, int cancelAfter) {
        this.oneAtATime = oneAtATime;
        this.cancelAfter = cancelAfter;
    }

    static <T> TestSubscriber<T> requestingAll() {
        return new TestSubscriber<>(false, Integer.MAX_VALUE);
    }

    static <T> TestSubscriber<T> oneAtATimeCancellingAfter(int count) {
        return new TestSubscriber<>(true, count);
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        subscription.request(oneAtATime ? 1 : Long.MAX_VALUE);
    }

    @Override
    public void onNext(T item) {
        items.add(item);
        if (items.size() == cancelAfter) {
            subscription.cancel();
            done.complete(List.copyOf(items));
        } else if (oneAtATime) {
            subscription.request(1);
        }
    }

    @Override
    public void onError(Throwable error) {
        done.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        done.complete(List.copyOf(items));
    }

    /** Waits for the end of the subscription; a hang guard, not a timing assertion. */
    List<T> await() throws Exception {
        return done.get(30, TimeUnit.SECONDS);
    }
}
