package dev.dataverse.transport

import dev.dataverse.BatchRequest
import dev.dataverse.DataverseClient
import dev.dataverse.HttpEngine
import dev.dataverse.RetryOptions
import dev.dataverse.SearchQuery
import kotlinx.coroutines.flow.count
import kotlinx.coroutines.runBlocking
import java.util.UUID

/**
 * Run in a child JVM with a small heap by [PageHeapSpec]: reads one large answer of kind `args[2]` (`records`, `changes`,
 * `search`, `batch`) from the server at `args[0]` on engine `args[1]`, and prints what it read as `read=` and the heap
 * it was given as `heap-max=`.
 */
object PageHeapChildMain {
    const val PREFIX = "page-heap:"

    @JvmStatic
    fun main(args: Array<String>) {
        val (url, engine, kind) = args
        DataverseClient {
            environmentUrl(url)
            token("child-token")
            httpEngine(HttpEngine.valueOf(engine))
            retry(RetryOptions.NONE)
        }.use { client ->
            val read = runBlocking {
                when (kind) {
                    "records" -> client.records.list("account").count().toLong()
                    "changes" -> client.records.changes("account").changes().count().toLong()
                    "search" -> client.search.query(SearchQuery("contoso")).results.size.toLong()
                    "batch" -> {
                        val batch = BatchRequest.builder().apply { get("account", UUID.fromString(PageBodies.RECORD_ID)) }.build()
                        val record = client.batch(batch).operations.single().record!!
                        record.getString("description")!!.length.toLong()
                    }
                    else -> error("unknown kind $kind")
                }
            }
            println("${PREFIX}read=$read")
        }
        println("${PREFIX}heap-max=${Runtime.getRuntime().maxMemory()}")
    }
}
