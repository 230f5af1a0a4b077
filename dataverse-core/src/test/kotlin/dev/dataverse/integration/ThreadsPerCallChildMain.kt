package dev.dataverse.integration

import dev.dataverse.DataverseClient
import dev.dataverse.HttpEngine
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import java.lang.management.ManagementFactory

/**
 * The client side of [ThreadsPerCallSpec], run in a child JVM that sees few CPUs: suspending calls, one at a time and
 * 16 at once on `Dispatchers.Default`, printing the threads the JVM started over each and how many of them also ended
 * meanwhile: `threads <mode> <calls> <started> <ended>`.
 */
object ThreadsPerCallChildMain {
    const val PREFIX = "threads "
    private val threads = ManagementFactory.getThreadMXBean()

    @JvmStatic
    fun main(args: Array<String>) = runBlocking {
        val (url, engine, calls) = Triple(args[0], HttpEngine.valueOf(args[1]), args[2].toInt())
        DataverseClient { environmentUrl(url); token("t"); httpEngine(engine) }.use { client ->
            val id = client.records.create("account", mapOf("name" to "Contoso"))
            measure("suspend-sequential", calls) { repeat(calls) { client.records.get("account", id) } }
            measure("suspend-16-on-default", calls) {
                withContext(Dispatchers.Default) {
                    (1..16).map { async { repeat(calls / 16) { client.records.get("account", id) } } }.awaitAll()
                }
            }
        }
    }

    /** Runs [work] once to warm up, then again counting the threads the JVM started meanwhile, and those that ended. */
    private suspend fun measure(mode: String, calls: Int, work: suspend () -> Unit) {
        work()
        val before = threads.totalStartedThreadCount
        val liveBefore = threads.threadCount
        work()
        val started = threads.totalStartedThreadCount - before
        println("$PREFIX$mode $calls $started ${started - (threads.threadCount - liveBefore)}")
    }
}
