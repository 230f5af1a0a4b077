package dev.dataverse.emulator.internal.odata

import java.math.BigDecimal
import java.time.Instant
import java.time.LocalDate
import java.util.UUID

/** A literal value of the OData URL syntax, as used in `$filter` and in key predicates. */
internal sealed interface Literal {
    /** The EDM type name of the literal, for error messages. */
    val edmType: String

    data class Text(val value: String) : Literal {
        override val edmType: String get() = "Edm.String"
    }

    data class Integer(val value: Long) : Literal {
        override val edmType: String get() = if (value in Int.MIN_VALUE..Int.MAX_VALUE) "Edm.Int32" else "Edm.Int64"
    }

    data class Decimal(val value: BigDecimal, val hasExponent: Boolean) : Literal {
        override val edmType: String get() = if (hasExponent) "Edm.Double" else "Edm.Decimal"
    }

    data class Bool(val value: Boolean) : Literal {
        override val edmType: String get() = "Edm.Boolean"
    }

    data object Null : Literal {
        override val edmType: String get() = "null"
    }

    data class Guid(val value: UUID) : Literal {
        override val edmType: String get() = "Edm.Guid"
    }

    data class DateTime(val value: Instant) : Literal {
        override val edmType: String get() = "Edm.DateTimeOffset"
    }

    data class Date(val value: LocalDate) : Literal {
        override val edmType: String get() = "Edm.Date"
    }
}
