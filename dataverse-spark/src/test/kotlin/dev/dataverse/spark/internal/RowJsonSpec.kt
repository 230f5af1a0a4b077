package dev.dataverse.spark.internal

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow
import org.apache.spark.sql.catalyst.util.ArrayBasedMapData
import org.apache.spark.sql.catalyst.util.GenericArrayData
import org.apache.spark.sql.types.DataTypes
import org.apache.spark.sql.types.Decimal
import org.apache.spark.sql.types.StructType
import org.apache.spark.unsafe.types.UTF8String
import java.math.BigDecimal
import java.time.Instant
import java.time.LocalDate

class RowJsonSpec : FunSpec({
    test("internal values come out as what they stand for: ISO instants and dates, exact decimals, arrays, structs, maps") {
        val inner = StructType().add("code", DataTypes.IntegerType).add("label", DataTypes.StringType)
        val schema = StructType()
            .add("name", DataTypes.StringType).add("when", DataTypes.TimestampType).add("day", DataTypes.DateType)
            .add("amount", DataTypes.createDecimalType(20, 4)).add("tags", DataTypes.createArrayType(DataTypes.IntegerType))
            .add("nested", inner).add("attributes", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType))
            .add("ratio", DataTypes.DoubleType).add("missing", DataTypes.StringType).add("flag", DataTypes.BooleanType)
        val instant = Instant.parse("1969-12-31T23:59:59.250Z") // before the epoch: floor division of the microseconds
        val row = GenericInternalRow(
            arrayOf(
                UTF8String.fromString("O'Neil \"quoted\""),
                instant.epochSecond * 1_000_000 + instant.nano / 1_000,
                LocalDate.parse("2024-02-29").toEpochDay().toInt(),
                Decimal.apply(BigDecimal("12345678901234.5678")),
                GenericArrayData(arrayOf<Any?>(1, null, 3)),
                GenericInternalRow(arrayOf<Any?>(7, UTF8String.fromString("seven"))),
                ArrayBasedMapData(GenericArrayData(arrayOf<Any?>(UTF8String.fromString("a"))), GenericArrayData(arrayOf<Any?>(2L))),
                Double.NaN, null, true,
            ),
        )
        RowJson.of(row, schema).toString() shouldBe
            """{"name":"O'Neil \"quoted\"","when":"1969-12-31T23:59:59.250Z","day":"2024-02-29","amount":12345678901234.5678,""" +
            """"tags":[1,null,3],"nested":{"code":7,"label":"seven"},"attributes":{"a":2},"ratio":"NaN","missing":null,"flag":true}"""
    }
})
