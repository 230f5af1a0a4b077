package dev.dataverse.spark

import dev.dataverse.ListOptions
import dev.dataverse.spark.SparkTestSupport.client
import dev.dataverse.spark.SparkTestSupport.emulator
import dev.dataverse.spark.SparkTestSupport.spark
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainAll
import io.kotest.matchers.collections.shouldContainExactlyInAnyOrder
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlinx.coroutines.flow.toList
import org.apache.spark.sql.AnalysisException
import org.apache.spark.sql.RowFactory
import org.apache.spark.sql.types.DataTypes
import org.apache.spark.sql.types.StructType

/** `spark.sql.catalog.<name> = dev.dataverse.spark.DataverseCatalog`: the environment's tables by name in SQL. */
class SparkCatalogSpec : FunSpec({
    beforeSpec {
        // A catalog is initialised once per session and name: this spec's own name.
        spark.conf().set("spark.sql.catalog.dvcat", DataverseCatalog::class.java.name)
        spark.conf().set("spark.sql.catalog.dvcat.url", emulator.baseUrl)
        spark.conf().set("spark.sql.catalog.dvcat.token", SparkTestSupport.TOKEN)
        spark.conf().set("spark.sql.catalog.dvcat.partitions", "2")
    }
    beforeTest { emulator.reset() }

    test("SHOW TABLES lists the environment's tables; DESCRIBE shows the inferred schema with display names as comments") {
        val tables = spark.sql("SHOW TABLES IN dvcat").collectAsList().map { it.getString(1) }
        tables shouldContainAll listOf("account", "contact", "dv_syntheticrow")
        val described = spark.sql("DESCRIBE dvcat.account").collectAsList().associate { it.getString(0) to (it.getString(1) to it.getString(2)) }
        described["name"] shouldBe ("string" to "Account Name")
        described["revenue"]!!.first shouldBe "decimal(17,2)"
        described["primarycontactid_logicalname"]!!.second shouldBe "Primary Contact (table)"
    }

    test("SELECT reads with pushdown; INSERT INTO writes the named columns only; options of one write apply on top") {
        spark.sql("INSERT INTO dvcat.account (name, accountnumber, numberofemployees) VALUES ('Alpha', 'C-1', 10), ('Beta', 'C-2', 20), ('Gamma', 'C-3', NULL)")
        spark.sql("SELECT name FROM dvcat.account WHERE numberofemployees >= 10 ORDER BY name").collectAsList().map { it.getString(0) } shouldBe listOf("Alpha", "Beta")
        spark.sql("SELECT count(*), sum(numberofemployees) FROM dvcat.account").collectAsList().single().let {
            it.getLong(0) shouldBe 3L
            it.getLong(1) shouldBe 30L
        }
        // Every column of the table reached the write (Spark's nulls for the others): only the named ones were sent.
        val created = client.records.list("account", ListOptions(select = listOf("name", "statecode", "creditonhold"))).toList()
        created.map { it.getString("name") } shouldContainExactlyInAnyOrder listOf("Alpha", "Beta", "Gamma")
        created.forEach { it.getInt("statecode") shouldBe 0 } // the default of a create that does not set it

        SparkTestSupport.ensureAccountNumberKey()
        val changes = spark.createDataFrame(
            listOf(RowFactory.create("C-1", "Alpha renamed"), RowFactory.create("C-9", "Delta")),
            StructType().add("accountnumber", DataTypes.StringType).add("name", DataTypes.StringType),
        )
        changes.writeTo("dvcat.account").option("operation", "upsert").option("alternateKey", "accountnumber").append()
        spark.read().option("partitions", "1").table("dvcat.account").select("accountnumber", "name", "numberofemployees").collectAsList()
            .associate { it.getString(0) to (it.getString(1) to it.get(2)) } shouldBe mapOf(
            "C-1" to ("Alpha renamed" to 10), "C-2" to ("Beta" to 20), "C-3" to ("Gamma" to null), "C-9" to ("Delta" to null),
        )
    }

    test("tables are not created, altered or dropped through the catalog; an unknown table is Spark's not-found error") {
        shouldThrow<UnsupportedOperationException> { spark.sql("DROP TABLE dvcat.account") }.message shouldContain "tables API"
        shouldThrow<Exception> { spark.sql("CREATE TABLE dvcat.new_thing (name STRING)") }.let { failure ->
            generateSequence(failure as Throwable) { it.cause }.joinToString { it.message.orEmpty() } shouldContain "not created"
        }
        shouldThrow<AnalysisException> { spark.sql("SELECT * FROM dvcat.no_such_table") }.message shouldContain "TABLE_OR_VIEW_NOT_FOUND"
    }
})
