package dev.dataverse.transport

import dev.dataverse.HttpEngine
import dev.dataverse.integration.ChildJvm
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldNotContain

/**
 * A large answer under the response limit decodes in a heap of [HEAP_MB] MB: at most four times its [PAGE_MB] MB plus
 * the JVM's own. Decoding a page into a String and then into a tree of all its items needs tens of times its size (a
 * 48 MiB page of empty records, `{}`, took about 2 GiB); reading the items from the bytes, one offset per item, and
 * decoding each when it is read needs the bytes and the offsets. Every kind of answer that can be that large is read
 * this way: pages of records (the smallest items there are, so the most offsets per byte), pages of changes, search
 * answers (whose JSON comes as an escaped string inside the JSON), and `$batch` bodies (whose parts are ranges of the
 * body, not copies).
 *
 * Shapes: Learn "Query data using the Web API" (`value`), "Use change tracking to synchronize data with external
 * systems" (`@odata.deltaLink`), "Dataverse Search query" (`{"response": "<escaped JSON>"}`), "Execute batch operations
 * using the Web API" (multipart/mixed parts of `application/http`).
 */
class PageHeapSpec : FunSpec({
    val server = RawServer { exchange -> answer(exchange); true }
    afterSpec { server.close() }

    val expected = mapOf(
        "records" to PageBodies.RECORDS_COUNT,
        "changes" to PageBodies.CHANGES_COUNT,
        "search" to PageBodies.SEARCH_COUNT,
        "batch" to PageBodies.DESCRIPTION_LENGTH,
    )

    for (engine in HttpEngine.entries) {
        for ((kind, count) in expected) {
            test("$engine: a $PAGE_MB MiB $kind answer decodes in a $HEAP_MB MB heap") {
                val (code, output) = ChildJvm.run(PageHeapChildMain::class.java, HEAP_MB, listOf("http://127.0.0.1:${server.port}", engine.name, kind))
                output shouldNotContain "OutOfMemoryError"
                code shouldBe 0
                output.lines().single { it.startsWith("${PageHeapChildMain.PREFIX}read=") }.substringAfter("read=").toLong() shouldBe count
            }
        }
    }
})

/** The page's size: three quarters of the client's default response limit of 64 MiB. */
internal const val PAGE_MB = 48

/** Four times the page, and room for the JVM, the client and the HTTP engine. */
private const val HEAP_MB = 4 * PAGE_MB + 64

internal fun answer(exchange: RawExchange) {
    val path = exchange.requestLine.split(' ')[1]
    when {
        "EntityDefinitions" in path -> exchange.respond(200, PageBodies.METADATA)
        path.startsWith("/api/search/") -> PageBodies.search().writeTo(exchange, "application/json")
        path.startsWith("/api/data/v9.2/\$batch") -> PageBodies.batch().writeTo(exchange, "multipart/mixed; boundary=${PageBodies.BOUNDARY}")
        path.startsWith("/api/data/v9.2/accounts") && exchange.header("Prefer")?.contains("odata.track-changes") == true ->
            PageBodies.changes("http://127.0.0.1:${exchange.socket.localPort}").writeTo(exchange, "application/json")
        path.startsWith("/api/data/v9.2/accounts") -> PageBodies.records().writeTo(exchange, "application/json")
        else -> exchange.respond(404, """{"error":{"code":"0x80060888","message":"Resource not found for the segment."}}""")
    }
}

/** A body written as [head], [count] times [item] joined by [separator], and [tail], without ever being whole in memory. */
internal class RepeatedBody(val head: String, val item: String, val separator: String, val count: Long, val tail: String) {
    val length: Long get() = head.length + count * item.length + (count - 1) * separator.length + tail.length

    fun writeTo(exchange: RawExchange, contentType: String) {
        exchange.write("HTTP/1.1 200 OK\r\nContent-Type: $contentType\r\nOData-Version: 4.0\r\nContent-Length: $length\r\n\r\n")
        val out = exchange.output
        out.write(head.toByteArray())
        val block = StringBuilder().apply { repeat(BLOCK_ITEMS) { append(separator).append(item) } }.toString().toByteArray()
        out.write(item.toByteArray())
        var written = 1L
        while (written + BLOCK_ITEMS <= count) {
            out.write(block)
            written += BLOCK_ITEMS
        }
        val rest = (separator + item).toByteArray()
        while (written < count) {
            out.write(rest)
            written++
        }
        out.write(tail.toByteArray())
        out.flush()
    }

    companion object {
        const val BLOCK_ITEMS = 4096
    }
}

internal object PageBodies {
    private const val BYTES = PAGE_MB * 1024L * 1024
    const val RECORD_ID = "7d577253-3ef0-4a0a-bb7f-8335c2596e70"
    const val BOUNDARY = "batchresponse_4f6b1b2a-8c8f-4b8c-9a53-1f0c6b0a5c2e"

    val METADATA = """{"value":[{"MetadataId":"70816501-edb9-4740-a16c-6a5efbc05d84","LogicalName":"account","SchemaName":"Account",""" +
        """"EntitySetName":"accounts","PrimaryIdAttribute":"accountid","PrimaryNameAttribute":"name","TableType":"Standard"}]}"""

    private const val RECORD_ITEM = "{}"
    private val RECORDS_HEAD = """{"@odata.context":"http://127.0.0.1/api/data/v9.2/${'$'}metadata#accounts","value":["""
    private const val CHANGE_ITEM = """{"accountid":"$RECORD_ID"}"""
    private const val SEARCH_ITEM = """{\"Id\":\"$RECORD_ID\",\"EntityName\":\"account\"}"""

    private fun fill(fixed: Int, item: String, separator: String): Long = (BYTES - fixed + separator.length) / (item.length + separator.length)

    val RECORDS_COUNT = fill(RECORDS_HEAD.length + 2, RECORD_ITEM, ",")
    val CHANGES_COUNT = fill(RECORDS_HEAD.length + 200, CHANGE_ITEM, ",")
    val SEARCH_COUNT = fill(40, SEARCH_ITEM, ",")
    val DESCRIPTION_LENGTH = BYTES - 1024

    fun records() = RepeatedBody(RECORDS_HEAD, RECORD_ITEM, ",", RECORDS_COUNT, "]}")

    fun changes(origin: String) = RepeatedBody(
        RECORDS_HEAD, CHANGE_ITEM, ",", CHANGES_COUNT,
        """],"@odata.deltaLink":"$origin/api/data/v9.2/accounts?${'$'}deltatoken=919042%2108%2f22%2f2017%2008%3a10%3a44"}""",
    )

    fun search() = RepeatedBody("""{"response":"{\"Count\":-1,\"Value\":[""", SEARCH_ITEM, ",", SEARCH_COUNT, """]}"}""")

    /** One part: the record a GET of the batch asked for, with a description of [DESCRIPTION_LENGTH] characters. */
    fun batch() = RepeatedBody(
        "--$BOUNDARY\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n" +
            "HTTP/1.1 200 OK\r\nContent-Type: application/json; odata.metadata=minimal\r\nOData-Version: 4.0\r\n\r\n" +
            """{"accountid":"$RECORD_ID","description":"""",
        "x", "", DESCRIPTION_LENGTH, "\"}\r\n--$BOUNDARY--\r\n",
    )
}
