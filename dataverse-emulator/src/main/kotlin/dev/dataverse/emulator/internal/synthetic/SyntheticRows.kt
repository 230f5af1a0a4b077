package dev.dataverse.emulator.internal.synthetic

import dev.dataverse.emulator.EmulatorOptions
import dev.dataverse.emulator.internal.model.ColumnDefinition
import dev.dataverse.emulator.internal.model.ColumnFactory
import dev.dataverse.emulator.internal.model.StableIds
import dev.dataverse.emulator.internal.model.TableDefinition
import java.math.BigDecimal
import java.time.Instant
import java.util.UUID

/**
 * The read-only `dv_syntheticrow` table for streaming tests and benchmarks: [count] rows computed from their index
 * on demand, so listing millions of them never holds more than one page in memory. Row `i` (from 0) has the id
 * `5e000000-0000-4000-8000-<i as 12 hex digits>`, so ids sort (as GUID text) in index order, and its values follow
 * from `i`: `dv_name` "Row <i+1>", `dv_number` i, `dv_amount` (i mod 100000) × 1.25, `dv_createdon`
 * 2024-01-01T00:00:00Z plus i seconds, `dv_flag` true for even i.
 */
internal class SyntheticRows(val count: Long) {
    init {
        require(count in 1..EmulatorOptions.MAX_SYNTHETIC_ROWS) { "syntheticRows must be between 1 and ${EmulatorOptions.MAX_SYNTHETIC_ROWS}, was $count" }
    }

    /** The table's definition, listed in metadata like any other table. */
    val table: TableDefinition = definition()

    /** The id of row [index]. */
    fun idOf(index: Long): UUID = UUID(ID_HIGH, ID_LOW_BASE or index)

    /** The index of the row with [id], or null when no row of this table has it. */
    fun indexOf(id: UUID): Long? {
        if (id.mostSignificantBits != ID_HIGH || (id.leastSignificantBits and INDEX_MASK.inv()) != ID_LOW_BASE) return null
        val index = id.leastSignificantBits and INDEX_MASK
        return index.takeIf { it < count }
    }

    /** The name of row [index]. */
    fun nameOf(index: Long): String = "Row ${index + 1}"

    /** The integer of row [index]. */
    fun numberOf(index: Long): Int = (index % Int.MAX_VALUE).toInt()

    /** The amount of row [index], in cents. */
    fun amountCentsOf(index: Long): Long = (index % AMOUNT_CYCLE) * AMOUNT_STEP_CENTS

    /** The creation time of row [index]. */
    fun createdOnOf(index: Long): Instant = Instant.ofEpochSecond(EPOCH_2024 + index)

    /** The flag of row [index]. */
    fun flagOf(index: Long): Boolean = index % 2 == 0L

    /** The row version of row [index], which its `@odata.etag` shows. */
    fun versionOf(index: Long): Long = index + 1

    /** The stored-form value (as other tables store it) of [column] in row [index], for annotations. */
    fun valueOf(column: ColumnDefinition, index: Long): Any = when (column.logicalName) {
        ID -> idOf(index)
        NAME -> nameOf(index)
        NUMBER -> numberOf(index)
        AMOUNT -> BigDecimal.valueOf(amountCentsOf(index), 2)
        CREATED_ON -> createdOnOf(index)
        FLAG -> flagOf(index)
        else -> throw IllegalArgumentException("The synthetic table has no column ${column.logicalName}")
    }

    private fun definition(): TableDefinition {
        val columns = ColumnFactory(LOGICAL_NAME)
        return TableDefinition(
            logicalName = LOGICAL_NAME,
            schemaName = "dv_SyntheticRow",
            entitySetName = ENTITY_SET,
            primaryIdAttribute = ID,
            primaryNameAttribute = NAME,
            displayName = "Synthetic Row",
            displayCollectionName = "Synthetic Rows",
            metadataId = StableIds.of("entity", LOGICAL_NAME),
            columns = listOf(
                columns.primaryId(ID, "dv_SyntheticRowId", "Synthetic Row"),
                columns.text(NAME, "dv_Name", "Name", NAME_LENGTH),
                columns.integer(NUMBER, "dv_Number", "Number", Int.MIN_VALUE.toLong(), Int.MAX_VALUE.toLong()),
                columns.money(AMOUNT, "dv_Amount", "Amount", BigDecimal.ZERO, BigDecimal("1000000000")),
                columns.dateTime(CREATED_ON, "dv_CreatedOn", "Created On"),
                columns.boolean(FLAG, "dv_Flag", "Flag", "Yes", "No"),
            ),
            isCustomEntity = true,
            ownershipType = "OrganizationOwned",
        )
    }

    companion object {
        const val LOGICAL_NAME: String = "dv_syntheticrow"
        const val ENTITY_SET: String = "dv_syntheticrows"
        const val ID: String = "dv_syntheticrowid"
        const val NAME: String = "dv_name"
        const val NUMBER: String = "dv_number"
        const val AMOUNT: String = "dv_amount"
        const val CREATED_ON: String = "dv_createdon"
        const val FLAG: String = "dv_flag"

        private const val ID_HIGH = 0x5e00000000004000L
        private const val ID_LOW_BASE = Long.MIN_VALUE // 0x8000000000000000: the variant bits of 8000-...
        private const val INDEX_MASK = (1L shl 48) - 1
        private const val AMOUNT_CYCLE = 100_000L
        private const val AMOUNT_STEP_CENTS = 125L
        private const val EPOCH_2024 = 1_704_067_200L
        private const val NAME_LENGTH = 100
    }
}
