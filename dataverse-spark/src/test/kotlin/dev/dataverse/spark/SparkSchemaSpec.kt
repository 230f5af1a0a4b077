package dev.dataverse.spark

import dev.dataverse.ColumnSpec
import dev.dataverse.TableSpec
import dev.dataverse.spark.SparkTestSupport.client
import dev.dataverse.spark.SparkTestSupport.emulator
import dev.dataverse.spark.SparkTestSupport.read
import dev.dataverse.spark.SparkTestSupport.spark
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeInstanceOf
import org.apache.spark.sql.RowFactory
import org.apache.spark.sql.types.DataTypes
import org.apache.spark.sql.types.DecimalType
import java.math.BigDecimal
import java.sql.Date
import java.sql.Timestamp
import java.time.Instant
import java.time.LocalDate
import java.util.UUID

class SparkSchemaSpec : FunSpec({
    test("every column type is inferred from the table's metadata and round-trips through a write and a read") {
        emulator.reset()
        runCatching { client.tables.delete("dv_everything") }
        client.tables.create(
            TableSpec(
                "dv_Everything", "Everything",
                columns = listOf(
                    ColumnSpec.string("dv_Text", "Text"), ColumnSpec.memo("dv_Memo", "Memo"), ColumnSpec.integer("dv_Integer", "Integer"),
                    ColumnSpec.decimal("dv_Decimal", "Decimal", precision = 3), ColumnSpec.double("dv_Double", "Double"),
                    ColumnSpec.money("dv_Money", "Money", precision = 2), ColumnSpec.boolean("dv_Boolean", "Boolean"),
                    ColumnSpec.dateTime("dv_When", "When"), ColumnSpec.dateOnly("dv_Day", "Day"),
                    ColumnSpec.choice("dv_Color", "Color", "Red", "Green", "Blue"), ColumnSpec.multiChoice("dv_Tags", "Tags", "A", "B", "C"),
                    ColumnSpec.lookup("dv_AccountId", "Account", "account"),
                    ColumnSpec.file("dv_Document", "Document"), ColumnSpec.image("dv_Picture", "Picture"),
                ),
            ),
        )
        val inferred = read("dv_everything").option("choiceLabels", "true").load().schema()
        val types = inferred.fields().associate { it.name() to it.dataType() }
        types["dv_everythingid"] shouldBe DataTypes.StringType
        inferred.fieldNames().first() shouldBe "dv_everythingid"
        types["dv_text"] shouldBe DataTypes.StringType
        types["dv_memo"] shouldBe DataTypes.StringType
        types["dv_integer"] shouldBe DataTypes.IntegerType
        types["dv_decimal"].shouldBeInstanceOf<DecimalType>().scale() shouldBe 3
        types["dv_double"] shouldBe DataTypes.DoubleType
        types["dv_money"].shouldBeInstanceOf<DecimalType>().scale() shouldBe 2
        types["dv_boolean"] shouldBe DataTypes.BooleanType
        types["dv_when"] shouldBe DataTypes.TimestampType
        types["dv_day"] shouldBe DataTypes.DateType
        types["dv_color"] shouldBe DataTypes.IntegerType
        types["dv_color_label"] shouldBe DataTypes.StringType
        types["dv_tags"] shouldBe DataTypes.createArrayType(DataTypes.IntegerType, false)
        types["dv_accountid"] shouldBe DataTypes.StringType
        types["dv_accountid_logicalname"] shouldBe DataTypes.StringType
        types["versionnumber"] shouldBe DataTypes.LongType
        types["createdon"] shouldBe DataTypes.TimestampType
        types.containsKey("dv_document") shouldBe false
        types.containsKey("dv_picture") shouldBe false

        val colors = client.tables.choices("dv_everything", "dv_color").options.associate { it.label to it.value }
        val tags = client.tables.choices("dv_everything", "dv_tags").options.associate { it.label to it.value }
        val account = client.records.create("account", mapOf("name" to "Target"))
        val id = UUID.randomUUID()
        val writable = listOf(
            "dv_everythingid", "dv_name", "dv_text", "dv_memo", "dv_integer", "dv_decimal", "dv_double", "dv_money", "dv_boolean",
            "dv_when", "dv_day", "dv_color", "dv_tags", "dv_accountid",
        )
        val schema = org.apache.spark.sql.types.StructType(writable.map { name -> inferred.fields().single { it.name() == name } }.toTypedArray())
        val row = RowFactory.create(
            id.toString(), "Everything 1", "text with 'quotes'", "line 1\nline 2", 42, BigDecimal("1234.567"), 2.5, BigDecimal("99.95"), true,
            Timestamp.from(Instant.parse("2024-05-31T12:34:56Z")), Date.valueOf(LocalDate.parse("2024-02-29")),
            colors.getValue("Green"), listOf(tags.getValue("A"), tags.getValue("C")),
            account.toString(),
        )
        spark.createDataFrame(listOf(row), schema).write().format("dataverse").mode("append")
            .option("url", emulator.baseUrl).option("token", SparkTestSupport.TOKEN).option("table", "dv_everything").save()

        val back = read("dv_everything").option("choiceLabels", "true").load().collectAsList().single()
        fun <T> field(name: String): T = back.getAs(name)
        field<String>("dv_everythingid") shouldBe id.toString()
        field<String>("dv_text") shouldBe "text with 'quotes'"
        field<String>("dv_memo") shouldBe "line 1\nline 2"
        field<Int>("dv_integer") shouldBe 42
        field<BigDecimal>("dv_decimal").compareTo(BigDecimal("1234.567")) shouldBe 0
        field<Double>("dv_double") shouldBe 2.5
        field<BigDecimal>("dv_money").compareTo(BigDecimal("99.95")) shouldBe 0
        field<Boolean>("dv_boolean") shouldBe true
        field<Timestamp>("dv_when").toInstant() shouldBe Instant.parse("2024-05-31T12:34:56Z")
        field<Date>("dv_day").toLocalDate() shouldBe LocalDate.parse("2024-02-29")
        field<Int>("dv_color") shouldBe colors.getValue("Green")
        field<String>("dv_color_label") shouldBe "Green"
        back.getList<Int>(back.fieldIndex("dv_tags")) shouldBe listOf(tags.getValue("A"), tags.getValue("C"))
        field<String>("dv_accountid") shouldBe account.toString()
        field<String>("dv_accountid_logicalname") shouldBe "account"
    }
})
