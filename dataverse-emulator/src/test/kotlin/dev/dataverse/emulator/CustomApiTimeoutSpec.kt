package dev.dataverse.emulator

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.time.Duration
import java.util.concurrent.CountDownLatch
import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.atomic.AtomicReference
import kotlin.concurrent.thread

/**
 * A custom API's handler plays its plug-in, and the service bounds plug-ins: Learn ("Analyze plug-in performance",
 * https://learn.microsoft.com/en-us/power-apps/developer/data-platform/analyze-performance) gives a message operation 2
 * minutes, the emulator's default request timeout. A handler that never returns must not keep its worker thread (nor the
 * request gate a reset waits for) past that bound, nor past its caller going away or the emulator stopping; the caller
 * gets the timeout error (Learn "Troubleshoot Dataverse bulk operation errors": SQL timeout, `0x80044151`).
 */
class CustomApiTimeoutSpec : FunSpec({

    /** A handler that waits until released, counting the calls that started and those that left it, and how. */
    class Stuck {
        val started = AtomicInteger()
        val ended = AtomicInteger()
        val interrupted = AtomicInteger()
        val release = CountDownLatch(1)

        val api = CustomApi("sample_Stuck", isFunction = false) {
            started.incrementAndGet()
            try {
                release.await()
            } catch (e: InterruptedException) {
                interrupted.incrementAndGet()
                throw e
            } finally {
                ended.incrementAndGet()
            }
            emptyMap()
        }

        /**
         * Waits until the one stuck call has left its handler, interrupted, and its worker has left the request gate: a
         * reset, which waits for every request being handled, completes.
         */
        suspend fun awaitWorkerFreed(emulator: DataverseEmulator, call: String) {
            awaitUntil("the handler of $call to end") { ended.get() == 1 }
            interrupted.get() shouldBe 1
            val reset = thread { emulator.reset() }
            awaitUntil("the reset after $call") { !reset.isAlive }
        }
    }

    test("the default bound is the service's 2 minutes for plug-ins") {
        EmulatorOptions().requestTimeout shouldBe Duration.ofMinutes(2)
    }

    test("a handler past the bound is answered with the timeout error and gives its worker back: a reset goes through") {
        DataverseEmulator.start(EmulatorOptions(requestTimeout = Duration.ofMillis(300))).use { emulator ->
            val stuck = Stuck()
            emulator.registerCustomApi(stuck.api)
            try {
                TestClient(emulator).use { client ->
                    val answer = client.post("sample_Stuck", "{}")
                    answer.status shouldBe 500
                    answer.errorCode shouldBe "0x80044151"
                    answer.errorMessage shouldContain "SQL timeout expired"
                    stuck.awaitWorkerFreed(emulator, "the timed-out call")
                }
            } finally {
                stuck.release.countDown()
            }
        }
    }

    test("the interrupt stays with the timed-out call: the next handler on the freed worker waits undisturbed") {
        DataverseEmulator.start(EmulatorOptions(requestTimeout = Duration.ofMillis(300))).use { emulator ->
            val stuck = Stuck()
            emulator.registerCustomApi(stuck.api)
            val failure = AtomicReference<Throwable?>()
            emulator.registerCustomApi(
                CustomApi("sample_Nap", responseProperties = listOf(CustomApiProperty("Slept", CustomApiType.BOOLEAN))) {
                    // Interrupted here only if the thread still carried the previous call's interrupt.
                    runCatching { Thread.sleep(20) }.onFailure(failure::set)
                    mapOf("Slept" to (failure.get() == null))
                },
            )
            try {
                TestClient(emulator).use { client ->
                    client.post("sample_Stuck", "{}").errorCode shouldBe "0x80044151"
                    awaitUntil("the stuck handler to leave") { stuck.ended.get() == 1 }
                    repeat(5) {
                        val nap = client.post("sample_Nap", "{}")
                        nap.status shouldBe 200
                        nap.json.text("Slept") shouldBe "true"
                    }
                    failure.get() shouldBe null
                }
            } finally {
                stuck.release.countDown()
            }
        }
    }

    test("a caller that goes away frees the worker of its stuck handler, within the default bound") {
        DataverseEmulator.start().use { emulator ->
            val stuck = Stuck()
            emulator.registerCustomApi(stuck.api)
            try {
                RawHttp.connect(emulator.port).use { socket ->
                    socket.getOutputStream().apply {
                        write(
                            ("POST /api/data/v9.2/sample_Stuck HTTP/1.1\r\nHost: 127.0.0.1:${emulator.port}\r\nAuthorization: Bearer t\r\n" +
                                "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}").toByteArray(Charsets.ISO_8859_1),
                        )
                        flush()
                    }
                    awaitUntil("the handler to start") { stuck.started.get() == 1 }
                }
                stuck.awaitWorkerFreed(emulator, "the call whose client left")
            } finally {
                stuck.release.countDown()
            }
        }
    }

    test("stopping the emulator frees the workers of handlers that never return") {
        val emulator = DataverseEmulator.start()
        val stuck = Stuck()
        emulator.registerCustomApi(stuck.api)
        val sockets = (1..4).map { RawHttp.connect(emulator.port) }
        try {
            sockets.forEach { socket ->
                socket.getOutputStream().apply {
                    write(
                        ("POST /api/data/v9.2/sample_Stuck HTTP/1.1\r\nHost: 127.0.0.1:${emulator.port}\r\nAuthorization: Bearer t\r\n" +
                            "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}").toByteArray(Charsets.ISO_8859_1),
                    )
                    flush()
                }
            }
            awaitUntil("4 stuck handlers") { stuck.started.get() == 4 }
            emulator.close()
            awaitUntil("every stuck handler to end") { stuck.ended.get() == 4 }
            stuck.interrupted.get() shouldBe 4
        } finally {
            stuck.release.countDown()
            sockets.forEach { it.close() }
            emulator.close()
        }
    }
})
