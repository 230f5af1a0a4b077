package dev.dataverse.emulator

import kotlinx.coroutines.delay

/**
 * Waits until [condition] holds, polling. Not a timing assertion: the conditions tests wait for hold within
 * milliseconds; the generous [HANG_GUARD_NANOS] only turns a broken emulator into a failure instead of a hung build.
 */
suspend fun awaitUntil(description: String, condition: () -> Boolean) {
    val deadline = System.nanoTime() + HANG_GUARD_NANOS
    while (!condition()) {
        check(System.nanoTime() < deadline) { "Gave up waiting until $description" }
        delay(POLL_MILLIS)
    }
}

private const val HANG_GUARD_NANOS = 120_000_000_000L
private const val POLL_MILLIS = 5L
