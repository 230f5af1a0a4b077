package dev.dataverse.benchmarks

import dev.dataverse.DataverseClient
import dev.dataverse.HttpEngine
import dev.dataverse.ListOptions
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.flow.fold
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import java.util.Collections
import java.util.UUID
import java.util.concurrent.atomic.AtomicInteger
import javax.net.ssl.SSLContext
import javax.net.ssl.X509TrustManager

/** Data and clients shared by the scenarios. */
object Fixtures {
    /** The emulator accepts any bearer token. */
    const val TOKEN: String = "benchmark-token"

    const val TABLE: String = "account"
    const val ENTITY_SET: String = "accounts"
    const val PRIMARY_ID: String = "accountid"

    /**
     * An SDK client as an application would build it: defaults, except the engine when a scenario compares engines and
     * the TLS context (and its trust manager, which CIO needs) trusting an emulator that serves https. [HttpEngine.JDK] is named explicitly: it is the default
     * transport the targets are about.
     */
    fun sdkClient(
        baseUrl: String,
        engine: HttpEngine = HttpEngine.JDK,
        sslContext: SSLContext? = null,
        trustManager: X509TrustManager? = null,
        /** The bearer token; the emulator's service-protection limits count each token as one user. */
        token: String = TOKEN,
    ): DataverseClient = DataverseClient {
        environmentUrl(baseUrl)
        token(token)
        httpEngine(engine)
        when {
            sslContext != null && trustManager != null -> sslContext(sslContext, trustManager)
            sslContext != null -> sslContext(sslContext)
        }
    }

    /** The columns of the i-th created account: a few strings and a number, as a typical small record (no alternate key: values repeat). */
    fun accountValues(i: Int): Map<String, Any?> = mapOf(
        "name" to "Benchmark account $i",
        "emailaddress1" to "account$i@example.com",
        "telephone1" to "+1 425 555 ${1000 + i % 9000}",
        "numberofemployees" to i % 10_000,
    )

    /** Creates [count] accounts with the SDK, 16 at a time, and returns their ids: the records the get workloads read. */
    fun seedAccounts(client: DataverseClient, count: Int): List<UUID> {
        val ids = Collections.synchronizedList(ArrayList<UUID>(count))
        val next = AtomicInteger()
        runBlocking(Dispatchers.Default) {
            repeat(16) {
                launch {
                    while (true) {
                        val i = next.getAndIncrement()
                        if (i >= count) break
                        ids += client.records.create(TABLE, accountValues(i))
                    }
                }
            }
        }
        return ids.toList()
    }

    /** The number of accounts in the emulator, counted by listing their ids (the service caps `$count` at 5000). */
    fun countAccounts(client: DataverseClient): Long = runBlocking {
        client.records.listPages(TABLE, ListOptions(select = listOf(PRIMARY_ID), pageSize = 5000))
            .fold(0L) { total, page -> total + page.records.size }
    }
}
