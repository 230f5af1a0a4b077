package dev.dataverse.internal.transport

import java.util.PriorityQueue
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.locks.ReentrantLock
import kotlin.concurrent.withLock

/**
 * An exchange that waits on the thread of a blocked caller (see [dev.dataverse.internal.runBlockingCall]). Nothing can
 * cancel such a wait but an interrupt of that thread, so its deadline and the client's close interrupt it; [finish]
 * tells the waiting thread, once the wait is over, whether the interrupt was ours, and clears it when it was: an
 * interrupt sent by the client never leaks to the caller's thread.
 */
internal class HeldExchange(private val owner: Any, val deadlineNanos: Long) {
    private val thread: Thread = Thread.currentThread()
    private val state = AtomicInteger(WAITING)

    @Volatile
    private var reason: Reason? = null

    /** Why the client interrupted a held exchange. */
    enum class Reason { DEADLINE, CLOSED }

    fun belongsTo(owner: Any): Boolean = this.owner === owner

    /** Interrupts the waiting thread, unless the exchange has finished; from any thread but the waiting one. */
    fun abort(reason: Reason) {
        if (!state.compareAndSet(WAITING, ABORTING)) return
        this.reason = reason
        thread.interrupt()
        state.set(ABORTED)
    }

    /**
     * Ends the wait, on the waiting thread: `null` when the client did not interrupt it, else why it did (after clearing
     * that interrupt, which may have arrived after the exchange itself had ended).
     */
    fun finish(): Reason? {
        if (state.compareAndSet(WAITING, DONE)) return null
        // An abort is between its CAS and its interrupt, for an instant: the interrupt must land before it is cleared.
        while (state.get() != ABORTED) Thread.onSpinWait()
        Thread.interrupted()
        return reason
    }

    private companion object {
        const val WAITING = 0
        const val DONE = 1
        const val ABORTING = 2
        const val ABORTED = 3
    }
}

/**
 * The held exchanges of every client in the JVM, and the one daemon thread that interrupts them at their deadlines.
 *
 * A wait is added and removed under one lock, and neither wakes the thread unless the new deadline is earlier than the
 * one it sleeps until: with a steady stream of calls of the same timeout, each one's deadline is later than the sleeping
 * one's, so the thread wakes about once per timeout, not once per call (a scheduled executor's queue would wake its
 * thread for every call that becomes the head of an emptied queue). The thread starts with the first held exchange and
 * ends after a minute without any.
 */
internal object HeldExchanges {
    private val lock = ReentrantLock()
    private val changed = lock.newCondition()
    private val waiting = PriorityQueue<HeldExchange>(compareBy { it.deadlineNanos })
    private var sleepingUntil = 0L
    private var asleep = false
    private var watcher: Thread? = null

    fun add(exchange: HeldExchange) {
        lock.withLock {
            waiting.add(exchange)
            when {
                watcher == null -> watcher = Thread(::watch, "dataverse-deadlines").apply {
                    isDaemon = true
                    contextClassLoader = null // a JVM-wide thread must not pin the class loader of the app that started it
                    start()
                }
                asleep && exchange.deadlineNanos - sleepingUntil < 0 -> changed.signal()
            }
        }
    }

    fun remove(exchange: HeldExchange) {
        lock.withLock { waiting.remove(exchange) }
    }

    /** Interrupts every held exchange of [owner] (a closing client). */
    fun abortAll(owner: Any) {
        val aborted = lock.withLock { waiting.filter { it.belongsTo(owner) } }
        for (exchange in aborted) exchange.abort(HeldExchange.Reason.CLOSED)
    }

    private fun watch() {
        while (true) {
            val due = nextDue() ?: return
            due.abort(HeldExchange.Reason.DEADLINE)
        }
    }

    /** Waits for the earliest deadline to pass and takes its exchange; `null` after a minute with none: the thread ends. */
    private fun nextDue(): HeldExchange? {
        lock.lock()
        try {
            return awaitDue()
        } finally {
            asleep = false
            lock.unlock()
        }
    }

    private fun awaitDue(): HeldExchange? {
        var idleSince = System.nanoTime()
        while (true) {
            val now = System.nanoTime()
            val head = waiting.peek()
            if (head == null) {
                if (now - idleSince >= IDLE_NANOS) {
                    watcher = null
                    return null
                }
                sleepingUntil = idleSince + IDLE_NANOS
            } else if (head.deadlineNanos - now <= 0) {
                return waiting.poll()
            } else {
                idleSince = now
                sleepingUntil = head.deadlineNanos
            }
            asleep = true
            changed.awaitNanos(sleepingUntil - now)
        }
    }

    private val IDLE_NANOS = TimeUnit.MINUTES.toNanos(1)
}
