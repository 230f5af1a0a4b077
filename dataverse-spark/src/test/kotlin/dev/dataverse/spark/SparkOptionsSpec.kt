package dev.dataverse.spark

import dev.dataverse.InvalidInputException
import dev.dataverse.spark.SparkTestSupport.emulator
import dev.dataverse.spark.SparkTestSupport.read
import dev.dataverse.spark.SparkTestSupport.spark
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain

/** The options as Spark hands them over: every one used, none ignored. */
class SparkOptionsSpec : FunSpec({
    fun Throwable.chain(): String = generateSequence(this) { it.cause }.joinToString(" | ") { "${it.javaClass.simpleName}: ${it.message}" }

    test("an option the format does not know is refused by name with the options it is close to, on reads and writes") {
        val read = shouldThrow<InvalidInputException> { read("account").option("numPartitions", "8").load() }
        read.message shouldContain "no option 'numPartitions'"
        read.message shouldContain "did you mean 'partitions'"
        val typo = shouldThrow<InvalidInputException> { read("account").option("pagesize", "10").option("chunkSise", "10").load() }
        typo.message shouldContain "'chunkSise'; did you mean 'chunkSize'"
        val write = shouldThrow<Exception> {
            spark.range(1).toDF("name").write().format("dataverse").mode("append").option("url", emulator.baseUrl)
                .option("token", SparkTestSupport.TOKEN).option("table", "account").option("batchsize", "100").save()
        }
        write.chain() shouldContain "no option 'batchsize'"
        // Options meant for a token provider class pass under their prefix (and reach it: see JavaTokenProviderTest).
        dev.dataverse.spark.internal.ConnectorOptions.parse(
            mapOf("url" to "https://x.crm.dynamics.com", "table" to "account", "tokenProvider" to "a.B", "tokenProvider.vault" to "v"),
        ).table shouldBe "account"
    }

    test("the select option narrows the inferred schema and the \$select sent; a name that is no column is refused") {
        emulator.reset()
        SparkTestSupport.client.records.create("account", mapOf("name" to "Selected", "accountnumber" to "S-1", "telephone1" to "555"))
        RecordingProxy(emulator.baseUrl).use { proxy ->
            val frame = read("account", proxy.url).option("select", "name, AccountNumber").option("partitions", "1").load()
            frame.schema().fieldNames().toList() shouldContainExactly listOf("accountnumber", "name")
            frame.collectAsList().map { it.getString(0) to it.getString(1) } shouldBe listOf("S-1" to "Selected")
            val listing = proxy.requests.single { it.startsWith("GET /api/data/v9.2/accounts?") }
            listing.substringAfter("\$select=").substringBefore('&').split(',').toSet() shouldBe setOf("accountnumber", "name")
        }
        val unknown = shouldThrow<InvalidInputException> { read("account").option("select", "name,acountnumber").load() }
        unknown.message shouldContain "'acountnumber', which is not a column of table 'account'; did you mean 'accountnumber'"
    }
})
