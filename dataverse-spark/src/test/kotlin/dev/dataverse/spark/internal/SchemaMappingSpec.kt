package dev.dataverse.spark.internal

import dev.dataverse.ColumnType
import dev.dataverse.InvalidInputException
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import org.apache.spark.sql.types.DataTypes
import org.apache.spark.sql.types.DecimalType
import org.apache.spark.sql.types.StructType
import java.math.BigDecimal

class SchemaMappingSpec : FunSpec({
    val columns = listOf(
        column("accountid", ColumnType.UNIQUE_IDENTIFIER, primaryId = true),
        column("name", ColumnType.STRING),
        column("description", ColumnType.MEMO),
        column("n", ColumnType.INTEGER),
        column("versionnumber", ColumnType.BIG_INT),
        column("ratio", ColumnType.DOUBLE),
        column("price", ColumnType.DECIMAL, precision = 4, min = BigDecimal("-1000000"), max = BigDecimal("1000000")),
        column("revenue", ColumnType.MONEY, precision = 2, min = BigDecimal.ZERO, max = BigDecimal("100000000000000")),
        column("flag", ColumnType.BOOLEAN),
        column("createdon", ColumnType.DATE_TIME),
        column("birthday", ColumnType.DATE_ONLY),
        column("industrycode", ColumnType.CHOICE),
        column("hobbies", ColumnType.MULTI_CHOICE),
        column("statecode", ColumnType.STATE),
        column("statuscode", ColumnType.STATUS),
        column("primarycontactid", ColumnType.LOOKUP),
        column("customerid", ColumnType.CUSTOMER),
        column("ownerid", ColumnType.OWNER),
        column("document", ColumnType.FILE),
        column("picture", ColumnType.IMAGE),
        column("fullname_virtual", ColumnType.OTHER),
    )

    test("every column type maps to a Spark type; primary id first; files, images and virtual columns are left out") {
        val schema = SchemaMapping.infer(columns, choiceLabels = false)
        schema.fields().associate { it.name() to it.dataType() } shouldBe linkedMapOf(
            "accountid" to DataTypes.StringType,
            "birthday" to DataTypes.DateType,
            "createdon" to DataTypes.TimestampType,
            "customerid" to DataTypes.StringType,
            "customerid_logicalname" to DataTypes.StringType,
            "description" to DataTypes.StringType,
            "flag" to DataTypes.BooleanType,
            "hobbies" to DataTypes.createArrayType(DataTypes.IntegerType, false),
            "industrycode" to DataTypes.IntegerType,
            "n" to DataTypes.IntegerType,
            "name" to DataTypes.StringType,
            "ownerid" to DataTypes.StringType,
            "ownerid_logicalname" to DataTypes.StringType,
            "price" to DecimalType(11, 4),
            "primarycontactid" to DataTypes.StringType,
            "primarycontactid_logicalname" to DataTypes.StringType,
            "ratio" to DataTypes.DoubleType,
            "revenue" to DecimalType(17, 2),
            "statecode" to DataTypes.IntegerType,
            "statuscode" to DataTypes.IntegerType,
            "versionnumber" to DataTypes.LongType,
        )
        schema.fieldNames().first() shouldBe "accountid"
    }

    test("choice labels are added when asked; decimals without range metadata get the service's limits") {
        SchemaMapping.infer(columns, choiceLabels = true).fieldNames().filter { it.endsWith("_label") } shouldBe
            listOf("hobbies_label", "industrycode_label", "statecode_label", "statuscode_label")
        SchemaMapping.decimalType(column("m", ColumnType.MONEY)) shouldBe DecimalType(19, 4)
        SchemaMapping.decimalType(column("d", ColumnType.DECIMAL, precision = 10)) shouldBe DecimalType(22, 10)
    }

    test("a user schema binds by name to columns and their companions; unknown fields are refused by name") {
        val user = StructType().add("Name", DataTypes.StringType).add("primarycontactid", DataTypes.StringType)
            .add("primarycontactid_logicalname", DataTypes.StringType).add("industrycode_label", DataTypes.StringType)
        SchemaMapping.bind(user, columns, "account").map { it.kind to it.wireName } shouldBe listOf(
            BindingKind.VALUE to "name",
            BindingKind.LOOKUP_ID to "_primarycontactid_value",
            BindingKind.LOOKUP_TABLE to "_primarycontactid_value",
            BindingKind.CHOICE_LABEL to "industrycode",
        )
        shouldThrow<InvalidInputException> {
            SchemaMapping.bind(StructType().add("nope", DataTypes.StringType).add("name_label", DataTypes.StringType), columns, "account")
        }.message shouldContain "nope, name_label"
    }
})
