package dev.dataverse.emulator.internal.model

import java.math.BigDecimal

/**
 * Short constructors for the column shapes Dataverse tables use, giving each column a stable metadata id
 * derived from its table and name.
 */
internal class ColumnFactory(private val table: String) {

    fun primaryId(name: String, schema: String, display: String): ColumnDefinition =
        column(name, schema, ColumnType.UNIQUE_IDENTIFIER, display).copy(validForUpdate = false)

    fun text(name: String, schema: String, display: String, maxLength: Int, format: String = "Text"): ColumnDefinition =
        column(name, schema, ColumnType.STRING, display).copy(maxLength = maxLength, format = format)

    fun memo(name: String, schema: String, display: String, maxLength: Int): ColumnDefinition =
        column(name, schema, ColumnType.MEMO, display).copy(maxLength = maxLength, format = "TextArea")

    fun integer(name: String, schema: String, display: String, min: Long, max: Long): ColumnDefinition =
        column(name, schema, ColumnType.INTEGER, display).copy(minValue = BigDecimal(min), maxValue = BigDecimal(max))

    fun money(name: String, schema: String, display: String, min: BigDecimal, max: BigDecimal): ColumnDefinition =
        column(name, schema, ColumnType.MONEY, display).copy(minValue = min, maxValue = max, precision = 2)

    fun boolean(name: String, schema: String, display: String, trueLabel: String, falseLabel: String): ColumnDefinition =
        column(name, schema, ColumnType.BOOLEAN, display).copy(
            options = listOf(OptionDefinition(1, trueLabel), OptionDefinition(0, falseLabel)),
            defaultValue = false,
        )

    fun choice(name: String, schema: String, display: String, options: List<OptionDefinition>): ColumnDefinition =
        column(name, schema, ColumnType.PICKLIST, display).copy(options = options)

    fun state(options: List<OptionDefinition>): ColumnDefinition =
        column("statecode", "StateCode", ColumnType.STATE, "Status")
            .copy(options = options, defaultValue = options.first().value)

    fun status(options: List<OptionDefinition>): ColumnDefinition =
        column("statuscode", "StatusCode", ColumnType.STATUS, "Status Reason")
            .copy(options = options, defaultValue = options.first().value)

    fun lookup(name: String, schema: String, display: String, targets: List<LookupTarget>): ColumnDefinition {
        val type = if (targets.size > 1) ColumnType.CUSTOMER else ColumnType.LOOKUP
        return column(name, schema, type, display).copy(targets = targets)
    }

    fun dateTime(name: String, schema: String, display: String): ColumnDefinition =
        column(name, schema, ColumnType.DATE_TIME, display)

    fun dateOnly(name: String, schema: String, display: String): ColumnDefinition =
        column(name, schema, ColumnType.DATE_ONLY, display)

    /** The audit and concurrency columns every table has; the server sets them. */
    fun systemColumns(): List<ColumnDefinition> = listOf(
        dateTime("createdon", "CreatedOn", "Created On").readOnly(),
        dateTime("modifiedon", "ModifiedOn", "Modified On").readOnly(),
        column("versionnumber", "VersionNumber", ColumnType.BIG_INT, "Version Number").copy(
            minValue = BigDecimal(Long.MIN_VALUE),
            maxValue = BigDecimal(Long.MAX_VALUE),
        ).readOnly(),
    )

    private fun column(name: String, schema: String, type: ColumnType, display: String): ColumnDefinition =
        ColumnDefinition(
            logicalName = name,
            schemaName = schema,
            type = type,
            displayName = display,
            metadataId = StableIds.of("attribute", table, name),
        )
}

/** This column as one the server computes: clients cannot set it. */
internal fun ColumnDefinition.readOnly(): ColumnDefinition = copy(validForCreate = false, validForUpdate = false)
