package dev.dataverse.transport

import dev.dataverse.DataverseClient
import dev.dataverse.HttpEngine
import dev.dataverse.MalformedResponseException
import dev.dataverse.RetryOptions
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.runBlocking

/**
 * Run in a child JVM with a small heap by [HostileBodyMemorySpec]: reads endless bodies from the server at `args[0]` —
 * `args[2]` of them at once, each limited to `args[3]` bytes, on engine `args[1]` — with the defaults otherwise, and
 * prints one `result=` line per call.
 */
object HostileBodyChildMain {
    const val PREFIX = "hostile-body:"

    @JvmStatic
    fun main(args: Array<String>) {
        val (url, engine, parallel, limit) = args
        DataverseClient {
            environmentUrl(url)
            token("child-token")
            httpEngine(HttpEngine.valueOf(engine))
            maxResponseBytes(limit.toLong())
            retry(RetryOptions.NONE)
        }.use { client ->
            runBlocking(Dispatchers.Default) {
                coroutineScope {
                    (1..parallel.toInt()).map {
                        async {
                            try {
                                client.whoAmI()
                                "answered"
                            } catch (e: MalformedResponseException) {
                                "MalformedResponseException"
                            }
                        }
                    }.awaitAll()
                }
            }.forEach { println("${PREFIX}result=$it") }
        }
        println("${PREFIX}heap-max=${Runtime.getRuntime().maxMemory()}")
    }
}
