package dev.dataverse.emulator

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.longs.shouldBeLessThan
import io.kotest.matchers.nulls.shouldNotBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.io.OutputStream
import java.util.concurrent.Callable
import java.util.concurrent.Executors

/**
 * The standalone emulator in a child JVM with a small heap ([HEAP_MB] MiB, dying on out-of-memory) and the default body
 * cap (128 MiB) receives bodies it cannot hold: endless chunked POSTs, a 100 MB body of declared length, 30 MB of JSON
 * numbers, a search whose `options` string holds 8 MB of JSON numbers. Each is answered 413 with RequestLengthTooLarge
 * `0x8004418a` (reference/web-service-error-codes) — a declared length before the body is read, a chunked body as soon
 * as it passes the cap, which an emulator with this heap sets at an eighth of it; a body (or JSON text inside it) within
 * the cap whose JSON tree would not fit before it is parsed — and the emulator stays up and answers the next request.
 */
class HostileBodyMemorySpec : FunSpec({
    val child = ChildEmulator(HEAP_MB, "--port", "0", "--token", "t")
    afterSpec { child.close() }
    val port = child.port
    val head = "Host: 127.0.0.1:$port\r\nAuthorization: Bearer t\r\nContent-Type: application/json"

    fun whoAmIAnswers() {
        child.process.isAlive shouldBe true
        val next = RawHttp.exchange(port, "GET /api/data/v9.2/WhoAmI HTTP/1.1\r\n$head\r\nConnection: close")
        next.status shouldBe 200
        next.body shouldContain "UserId"
    }

    test("endless chunked POSTs, two at once, are cut off with 413 and the emulator keeps answering") {
        val limit = 128L * 1024 * 1024
        val pool = Executors.newFixedThreadPool(2)
        val results = try {
            List(2) { pool.submit(Callable { RawHttp.endlessChunkedPost(port, "/api/data/v9.2/accounts", "Bearer t", maxBytes = 8 * limit) }) }
                .map { it.get() }
        } finally {
            pool.shutdownNow()
        }
        for ((answer, written) in results) {
            answer.shouldNotBeNull().status shouldBe 413
            answer.body shouldContain "0x8004418a"
            answer.body shouldContain "heap"
            written shouldBeLessThan limit
        }
        whoAmIAnswers()
    }

    test("a 100 MB body of declared length is refused with 413 before it is read") {
        val answer = RawHttp.exchange(port, "POST /api/data/v9.2/accounts HTTP/1.1\r\n$head\r\nContent-Length: 100000000")
        answer.status shouldBe 413
        answer.body shouldContain "0x8004418a"
        answer.body shouldContain "of 100000000 bytes exceeds the maximum request length"
        whoAmIAnswers()
    }

    test("30 MB of JSON numbers, within the body cap, is refused with 413 before it is parsed; twice at once") {
        val pool = Executors.newFixedThreadPool(2)
        val answers = try {
            List(2) { pool.submit(Callable { postNumbers(port, head, 15_000_000) }) }.map { it.get() }
        } finally {
            pool.shutdownNow()
        }
        for (answer in answers) {
            answer.status shouldBe 413
            answer.body shouldContain "0x8004418a"
            answer.body shouldContain "too many JSON values"
        }
        whoAmIAnswers()
    }

    test("JSON text inside a JSON string (a search's options) is bounded as bodies are: 4 million numbers are refused with 413") {
        val prefix = """{"search":"a","options":"[""".toByteArray()
        val suffix = """]"}""".toByteArray()
        val count = 4_000_000
        val length = prefix.size + 2L * count - 1 + suffix.size
        val answer = RawHttp.connect(port).use { socket ->
            val out = socket.getOutputStream()
            out.write("POST /api/search/v2.0/query HTTP/1.1\r\n$head\r\nContent-Length: $length\r\nConnection: close\r\n\r\n".toByteArray())
            out.write(prefix)
            writeNumbers(out, count)
            out.write(suffix)
            out.flush()
            RawHttp.read(socket.getInputStream())
        }
        answer.status shouldBe 413
        answer.body shouldContain "0x8004418a"
        answer.body shouldContain "too many JSON values"
        whoAmIAnswers()
    }

    test("a body of many small numbers far below the cap is refused too, while an ordinary record is created") {
        postNumbers(port, head, 1_000_000).status shouldBe 413
        val record = """{"name":"Ordinary","description":"${"d".repeat(1000)}"}""".toByteArray()
        RawHttp.exchange(port, "POST /api/data/v9.2/accounts HTTP/1.1\r\n$head\r\nContent-Length: ${record.size}\r\nConnection: close", record)
            .status shouldBe 204
        whoAmIAnswers()
    }
}) {
    companion object {
        const val HEAP_MB = 256

        /** Creates an account whose body also holds an array of [count] numbers (`[1,1,…]`), streamed with its length declared. */
        fun postNumbers(port: Int, head: String, count: Int): RawHttp.Answer {
            val prefix = """{"name":"n","numbers":[""".toByteArray()
            val suffix = "]}".toByteArray()
            val length = prefix.size + 2L * count - 1 + suffix.size
            return RawHttp.connect(port).use { socket ->
                val out = socket.getOutputStream()
                out.write("POST /api/data/v9.2/accounts HTTP/1.1\r\n$head\r\nContent-Length: $length\r\nConnection: close\r\n\r\n".toByteArray())
                out.write(prefix)
                writeNumbers(out, count)
                out.write(suffix)
                out.flush()
                RawHttp.read(socket.getInputStream())
            }
        }

        fun writeNumbers(out: OutputStream, count: Int) {
            val block = ByteArray(64 * 1024) { if (it % 2 == 0) '1'.code.toByte() else ','.code.toByte() }
            var left = 2L * count - 1
            while (left > 0) {
                val n = minOf(left, block.size.toLong()).toInt()
                out.write(block, 0, n)
                left -= n
            }
        }
    }
}
