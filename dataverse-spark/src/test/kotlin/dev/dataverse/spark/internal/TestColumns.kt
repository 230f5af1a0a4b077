package dev.dataverse.spark.internal

import dev.dataverse.ColumnInfo
import dev.dataverse.ColumnType
import java.math.BigDecimal
import java.util.UUID

/** A column definition as metadata would give it, for tests of the pure mapping logic. */
fun column(
    name: String,
    type: ColumnType,
    primaryId: Boolean = false,
    precision: Int? = null,
    min: BigDecimal? = null,
    max: BigDecimal? = null,
    create: Boolean = true,
    update: Boolean = true,
): ColumnInfo = ColumnInfo(
    logicalName = name, schemaName = name, type = type, attributeType = type.name, displayName = null, isCustom = false,
    isPrimaryId = primaryId, isPrimaryName = false, requiredLevel = null, maxLength = null, minValue = min, maxValue = max,
    precision = precision, maxSizeInKB = null, targets = emptyList(), isValidForCreate = create, isValidForUpdate = update,
    metadataId = UUID.nameUUIDFromBytes(name.toByteArray()),
)
