package dev.dataverse.transport

import dev.dataverse.HttpEngine
import dev.dataverse.integration.ChildJvm
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainOnly
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldNotContain

/**
 * Endless bodies against a client JVM with a [HEAP_MB] MB heap. One body limited to [LIMIT_MB] MB fits only if reading
 * stops at the limit without holding the body twice; four in parallel fit only if the budget for bytes buffered across
 * calls holds, as four times the limit is more than the whole heap. The budget is the default: a quarter of the heap but
 * never less than the limit, so here the limit, 40 of 64 MB; what the bodies hold must stay within it whatever the
 * thread and GC timing (the arrays are reserved whole, a refused body frees its share at once), leaving the rest of the
 * heap to the client itself and to CIO's channel buffers and kotlinx-io's segment pool.
 */
class HostileBodyMemorySpec : FunSpec({
    val server = RawServer {
        it.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
        val chunk = "10000\r\n" + "x".repeat(0x10000) + "\r\n"
        runCatching { while (true) it.write(chunk) }
        false
    }
    afterSpec { server.close() }

    for (engine in HttpEngine.entries) {
        test("$engine: one endless body stops at the limit in a $HEAP_MB MB heap") {
            val (code, results, output) = runChild("http://127.0.0.1:${server.port}", engine, parallel = 1)
            output shouldNotContain "OutOfMemoryError"
            code shouldBe 0
            results shouldBe listOf("MalformedResponseException")
        }

        test("$engine: four endless bodies at once stay within the shared budget in a $HEAP_MB MB heap") {
            val (code, results, output) = runChild("http://127.0.0.1:${server.port}", engine, parallel = 4)
            output shouldNotContain "OutOfMemoryError"
            code shouldBe 0
            results shouldHaveSize 4
            results shouldContainOnly listOf("MalformedResponseException")
        }
    }
})

private const val HEAP_MB = 64
private const val LIMIT_MB = 40

private fun runChild(url: String, engine: HttpEngine, parallel: Int): Triple<Int, List<String>, String> {
    val (code, output) = ChildJvm.run(
        HostileBodyChildMain::class.java, HEAP_MB, listOf(url, engine.name, parallel.toString(), (LIMIT_MB * 1024L * 1024).toString()),
    )
    val results = output.lines().filter { it.startsWith("${HostileBodyChildMain.PREFIX}result=") }.map { it.substringAfter("result=") }
    return Triple(code, results, output)
}
