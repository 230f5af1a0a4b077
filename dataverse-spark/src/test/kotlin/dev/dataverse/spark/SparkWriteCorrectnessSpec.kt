package dev.dataverse.spark

import dev.dataverse.ColumnSpec
import dev.dataverse.ListOptions
import dev.dataverse.RetrieveOptions
import dev.dataverse.TableSpec
import dev.dataverse.spark.SparkTestSupport.client
import dev.dataverse.spark.SparkTestSupport.emulator
import dev.dataverse.spark.SparkTestSupport.read
import dev.dataverse.spark.SparkTestSupport.spark
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactlyInAnyOrder
import io.kotest.matchers.nulls.shouldBeNull
import io.kotest.matchers.nulls.shouldNotBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldStartWith
import kotlinx.coroutines.flow.toList
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.jsonPrimitive
import org.apache.spark.TaskContext
import org.apache.spark.sql.Dataset
import org.apache.spark.sql.Row
import org.apache.spark.sql.RowFactory
import org.apache.spark.sql.api.java.UDF1
import org.apache.spark.sql.functions.col
import org.apache.spark.sql.functions.concat
import org.apache.spark.sql.functions.lit
import org.apache.spark.sql.functions.udf
import org.apache.spark.sql.types.DataTypes
import org.apache.spark.sql.types.StructType
import java.math.BigDecimal
import java.nio.file.Files
import java.sql.Date
import java.sql.Timestamp
import java.time.Instant
import java.time.LocalDate
import java.util.UUID
import java.util.concurrent.atomic.AtomicBoolean

/** Fails every attempt of partition 0 while [failing] is set, after some of its rows were written. */
class FailPartitionZero : UDF1<Long, Long> {
    override fun call(value: Long): Long {
        if (failing.get() && TaskContext.get().partitionId() == 0 && value % 250 == 200L) {
            throw IllegalStateException("injected failure of partition 0 at row $value")
        }
        return value
    }

    companion object {
        val failing = AtomicBoolean(false)
    }
}

/** Writes that must neither lose rows silently nor fail rows that are fine, and failure reports users can act on. */
class SparkWriteCorrectnessSpec : FunSpec({
    beforeTest { emulator.reset() }

    fun accounts(count: Long, partitions: Int): Dataset<Row> = spark.range(0, count, 1, partitions).toDF("i").select(
        concat(lit("row-"), col("i").cast("string")).alias("name"),
        concat(lit("A-"), col("i").cast("string")).alias("accountnumber"),
    )

    fun writer(data: Dataset<Row>) = data.write().format("dataverse").mode("append")
        .option("url", emulator.baseUrl).option("token", SparkTestSupport.TOKEN).option("table", "account")

    fun failureLines(directory: java.nio.file.Path, seed: String): List<JsonObject> =
        Files.readAllLines(directory.resolve("$seed.json")).map { Json.parseToJsonElement(it) as JsonObject }

    test("a create whose alternate key clashes with an existing record is a failure, reported, and never counted as written") {
        SparkTestSupport.ensureAccountNumberKey()
        val existing = client.records.create("account", mapOf("name" to "already there", "accountnumber" to "A-3"))

        val directory = Files.createTempDirectory("dataverse-clash")
        writer(accounts(10, 2)).option("onError", "continue").option("failuresPath", directory.toString()).option("idSeed", "clash").save()
        emulator.recordCount("account") shouldBe 10 // nine created, the existing one untouched
        client.records.get("account", existing).getString("name") shouldBe "already there"
        val failures = failureLines(directory, "clash")
        failures.size shouldBe 1
        (failures.single()["row"] as JsonObject)["accountnumber"]!!.jsonPrimitive.content shouldBe "A-3"
        failures.single()["errorCode"]!!.jsonPrimitive.content shouldBe "0x80060892" // DuplicateRecordEntityKey (Learn: web service error codes)

        // The same clash with onError=fail (the default) fails the job with the row in the message.
        emulator.reset()
        client.records.create("account", mapOf("name" to "already there", "accountnumber" to "A-3"))
        val failure = shouldThrow<Exception> { writer(accounts(10, 2)).save() }
        generateSequence(failure as Throwable) { it.cause }.joinToString(" | ") { it.message.orEmpty() } shouldContain "\"accountnumber\":\"A-3\""
    }

    test("null lookups: left out on create, cleared on update and upsert (@odata.bind null), kept with ignoreNullValues") {
        val contact = client.records.create("contact", mapOf("lastname" to "Contact"))
        val schema = StructType().add("accountid", DataTypes.StringType).add("name", DataTypes.StringType)
            .add("primarycontactid", DataTypes.StringType).add("description", DataTypes.StringType)
        val ids = List(4) { UUID.randomUUID() }
        fun rows(contactOf: (Int) -> UUID?, description: String?) =
            spark.createDataFrame(ids.mapIndexed { i, id -> RowFactory.create(id.toString(), "account $i", contactOf(i)?.toString(), description) }, schema)

        // Sparse lookups on create: the nulls fail nothing.
        writer(rows({ i -> if (i % 2 == 0) contact else null }, "first")).save()
        fun contactOf(id: UUID) = kotlinx.coroutines.runBlocking { client.records.get("account", id, RetrieveOptions(select = listOf("_primarycontactid_value"))).getUuid("_primarycontactid_value") }
        ids.map(::contactOf) shouldBe listOf(contact, null, contact, null)

        // ignoreNullValues: the nulls leave the lookup and the text as they are.
        writer(rows({ null }, null)).option("operation", "update").option("ignoreNullValues", "true").save()
        ids.map(::contactOf) shouldBe listOf(contact, null, contact, null)
        client.records.get("account", ids[0]).getString("description") shouldBe "first"

        // By default a null clears: the lookup through its navigation property, the text as a null value.
        writer(rows({ null }, null)).option("operation", "update").save()
        ids.forEach { contactOf(it).shouldBeNull() }
        client.records.get("account", ids[0]).getString("description").shouldBeNull()

        // Upsert sets and clears in one write.
        writer(rows({ i -> if (i < 2) contact else null }, "again")).option("operation", "upsert").save()
        ids.map(::contactOf) shouldBe listOf(contact, contact, null, null)
        writer(rows({ null }, "again")).option("operation", "upsert").save()
        ids.forEach { contactOf(it).shouldBeNull() }
    }

    test("failed rows show the values as written: ISO timestamps and dates, arrays, exact decimals, in the failures output and the error") {
        runCatching { client.tables.delete("dv_typed") }
        client.tables.create(
            TableSpec(
                "dv_Typed", "Typed",
                columns = listOf(
                    ColumnSpec.dateTime("dv_When", "When"), ColumnSpec.dateOnly("dv_Day", "Day"),
                    ColumnSpec.decimal("dv_Amount", "Amount", precision = 3), ColumnSpec.multiChoice("dv_Tags", "Tags", "A", "B", "C"),
                ),
            ),
        )
        val tags = client.tables.choices("dv_typed", "dv_tags").options.map { it.value }
        val schema = StructType().add("dv_name", DataTypes.StringType).add("dv_when", DataTypes.TimestampType)
            .add("dv_day", DataTypes.DateType).add("dv_amount", DataTypes.createDecimalType(12, 3))
            .add("dv_tags", DataTypes.createArrayType(DataTypes.IntegerType))
        fun row(name: String) = RowFactory.create(
            name, Timestamp.from(Instant.parse("2024-05-31T12:34:56.789Z")), Date.valueOf(LocalDate.parse("2024-02-29")),
            BigDecimal("1234.567"), listOf(tags[0], tags[2]),
        )
        val data = spark.createDataFrame(listOf(row("fine"), row("x".repeat(300))), schema).coalesce(1)
        fun typedWriter() = data.write().format("dataverse").mode("append")
            .option("url", emulator.baseUrl).option("token", SparkTestSupport.TOKEN).option("table", "dv_typed")

        val directory = Files.createTempDirectory("dataverse-typed")
        typedWriter().option("onError", "continue").option("failuresPath", directory.toString()).option("idSeed", "typed").save()
        emulator.recordCount("dv_typed") shouldBe 1
        val row = failureLines(directory, "typed").single()["row"] as JsonObject
        row["dv_when"]!!.jsonPrimitive.content shouldBe "2024-05-31T12:34:56.789Z"
        row["dv_day"]!!.jsonPrimitive.content shouldBe "2024-02-29"
        row["dv_amount"].toString() shouldBe "1234.567"
        (row["dv_tags"] as JsonArray).map { it.jsonPrimitive.content.toInt() } shouldBe listOf(tags[0], tags[2])
        // Read back with the write's schema, fixed and written again, it creates the record.
        val back = spark.read().schema(StructType().add("row", schema)).json(directory.resolve("typed.json").toString()).select("row.*")
            .withColumn("dv_name", lit("fixed"))
        back.write().format("dataverse").mode("append").option("url", emulator.baseUrl).option("token", SparkTestSupport.TOKEN)
            .option("table", "dv_typed").save()
        val fixed = client.records.list("dv_typed", ListOptions(filter = dev.dataverse.Filter.eq("dv_name", "fixed"))).toList().single()
        fixed.getString("dv_when")!! shouldStartWith "2024-05-31T12:34:56"
        fixed.getString("dv_day") shouldBe "2024-02-29"

        emulator.reset()
        val failure = shouldThrow<Exception> { typedWriter().save() }
        val message = generateSequence(failure as Throwable) { it.cause }.joinToString(" | ") { it.message.orEmpty() }
        message shouldContain "\"dv_when\":\"2024-05-31T12:34:56.789Z\""
        message shouldContain "\"dv_day\":\"2024-02-29\""
        message shouldContain "\"dv_tags\":[${tags[0]},${tags[2]}]"
    }

    test("an aborted create names the seed its ids came from; running it again with that seed completes it without duplicates") {
        val data = spark.range(0, 2_000, 1, 4).toDF("i").select(
            concat(lit("row-"), udf(FailPartitionZero(), DataTypes.LongType).asNondeterministic().apply(col("i")).cast("string")).alias("name"),
        )
        FailPartitionZero.failing.set(true)
        val (_, logged) = capturingLogs(dev.dataverse.spark.internal.DataverseBatchWrite::class.java.name) {
            writer(data).option("chunkSize", "100").option("maxConcurrency", "4").save()
        }
        FailPartitionZero.failing.set(false)
        val message = logged.single { it.contains("aborted") }
        val seed = Regex("""\.option\("idSeed", "([^"]+)"\)""").find(message).shouldNotBeNull().groupValues[1]
        val partial = emulator.recordCount("account")
        (partial in 1 until 2_000) shouldBe true

        writer(data).option("chunkSize", "100").option("maxConcurrency", "4").option("idSeed", seed).save()
        emulator.recordCount("account") shouldBe 2_000
        read("account").load().select("name").distinct().count() shouldBe 2_000L
    }

    test("INSERT INTO a USING dataverse table writes the columns it names; Spark's nulls for the others are neither sent nor refused") {
        SparkTestSupport.ensureAccountNumberKey()
        spark.sql("DROP TABLE IF EXISTS sql_accounts")
        spark.sql("CREATE TABLE sql_accounts USING dataverse OPTIONS (url '${emulator.baseUrl}', token '${SparkTestSupport.TOKEN}', table 'account')")
        try {
            spark.sql("INSERT INTO sql_accounts (name, accountnumber, numberofemployees) VALUES ('from sql', 'S-1', 12), ('second', 'S-2', NULL)")
            val rows = client.records.list("account", ListOptions(select = listOf("name", "accountnumber", "numberofemployees"))).toList()
            rows.map { it.getString("accountnumber") } shouldContainExactlyInAnyOrder listOf("S-1", "S-2")
            rows.single { it.getString("name") == "from sql" }.getInt("numberofemployees") shouldBe 12
            spark.sql("SELECT name FROM sql_accounts WHERE accountnumber = 'S-2'").collectAsList().single().getString(0) shouldBe "second"

            // A value for a read-only column is refused, naming the column: it would not be written.
            val refused = shouldThrow<Exception> { spark.sql("INSERT INTO sql_accounts (name, createdon) VALUES ('x', TIMESTAMP '2024-01-01 00:00:00')") }
            generateSequence(refused as Throwable) { it.cause }.joinToString(" | ") { it.message.orEmpty() } shouldContain "Column 'createdon'"
            emulator.recordCount("account") shouldBe 2

            // ignoreNullValues defaults to true here: an upsert through SQL leaves the columns the statement does not name.
            spark.sql("DROP TABLE IF EXISTS sql_upserts")
            spark.sql(
                "CREATE TABLE sql_upserts USING dataverse OPTIONS (url '${emulator.baseUrl}', token '${SparkTestSupport.TOKEN}', " +
                    "table 'account', operation 'upsert', alternateKey 'accountnumber')",
            )
            spark.sql("INSERT INTO sql_upserts (accountnumber, name) VALUES ('S-1', 'renamed')")
            val renamed = client.records.list("account", ListOptions(filter = dev.dataverse.Filter.eq("accountnumber", "S-1"))).toList().single()
            renamed.getString("name") shouldBe "renamed"
            renamed.getInt("numberofemployees") shouldBe 12
        } finally {
            spark.sql("DROP TABLE IF EXISTS sql_accounts")
            spark.sql("DROP TABLE IF EXISTS sql_upserts")
        }
    }
})
