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

    fun double(name: String, schema: String, display: String, min: BigDecimal, max: BigDecimal, precision: Int): ColumnDefinition =
        column(name, schema, ColumnType.DOUBLE, display).copy(minValue = min, maxValue = max, precision = precision)

    fun decimal(name: String, schema: String, display: String, min: BigDecimal, max: BigDecimal, precision: Int): ColumnDefinition =
        column(name, schema, ColumnType.DECIMAL, display).copy(minValue = min, maxValue = max, precision = precision)

    fun multiSelect(name: String, schema: String, display: String, options: List<OptionDefinition>): ColumnDefinition =
        column(name, schema, ColumnType.MULTI_SELECT_PICKLIST, display).copy(options = options)

    /**
     * A file or image column plus its read-only supporting column `<name>_name`, which carries the file name; the
     * service adds the same supporting column.
     */
    fun file(name: String, schema: String, display: String, maxSizeInKB: Int, image: Boolean = false): List<ColumnDefinition> {
        val type = if (image) ColumnType.IMAGE else ColumnType.FILE
        return listOf(
            column(name, schema, type, display).copy(maxSizeInKB = maxSizeInKB),
            fileName(name, schema, display),
        )
    }

    /** The supporting column `<file>_name` of file column [file]. */
    fun fileName(file: String, fileSchema: String, display: String): ColumnDefinition =
        text("${file}_name", "${fileSchema}_Name", "$display Name", FILE_NAME_LENGTH).readOnly().copy(attributeOf = file)

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
        audit(CREATED_BY, "CreatedBy", "Created By"),
        audit(MODIFIED_BY, "ModifiedBy", "Modified By"),
        audit(CREATED_ON_BEHALF_BY, "CreatedOnBehalfBy", "Created By (Delegate)"),
        audit(MODIFIED_ON_BEHALF_BY, "ModifiedOnBehalfBy", "Modified By (Delegate)"),
    )

    /**
     * A read-only lookup to the user who wrote a record, set by the server. Impersonated writes record the impersonated
     * user in `createdby`/`modifiedby` and the real caller in the `...onbehalfby` columns (Learn: "Impersonate another
     * user using the Web API", determine the actual user). Relationship names follow the service's pattern for custom
     * tables, `lk_<table>_<column>`.
     */
    private fun audit(name: String, schema: String, display: String): ColumnDefinition =
        lookup(name, schema, display, listOf(LookupTarget(StandardTables.SYSTEM_USER, name, "lk_${table}_$name"))).readOnly()

    companion object {
        const val CREATED_BY: String = "createdby"
        const val MODIFIED_BY: String = "modifiedby"
        const val CREATED_ON_BEHALF_BY: String = "createdonbehalfby"
        const val MODIFIED_ON_BEHALF_BY: String = "modifiedonbehalfby"
    }

    /** A column of any [type] with a stable id; callers add the type's details. */
    fun column(name: String, schema: String, type: ColumnType, display: String): ColumnDefinition =
        ColumnDefinition(
            logicalName = name,
            schemaName = schema,
            type = type,
            displayName = display,
            metadataId = StableIds.of("attribute", table, name),
        )
}

private const val FILE_NAME_LENGTH = 255

/** This column as one the server computes: clients cannot set it. */
internal fun ColumnDefinition.readOnly(): ColumnDefinition = copy(validForCreate = false, validForUpdate = false)
