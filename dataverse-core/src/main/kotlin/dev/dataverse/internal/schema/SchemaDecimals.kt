package dev.dataverse.internal.schema

import java.math.BigDecimal

/** The exact text of a decimal in a snapshot: no exponent, no trailing zeros (`-100000000000`, `0.5`). */
internal object SchemaDecimals {
    fun format(value: BigDecimal): String = value.stripTrailingZeros().toPlainString()
}
