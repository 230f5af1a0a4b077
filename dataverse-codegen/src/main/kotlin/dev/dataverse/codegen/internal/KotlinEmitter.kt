package dev.dataverse.codegen.internal

import dev.dataverse.codegen.GeneratedFile

/** Kotlin sources: a data class with a companion model per table, a value class for its id, an enum per choice. */
internal class KotlinEmitter(private val packageName: String, private val header: String) {
    fun emit(model: GenModel): List<GeneratedFile> =
        model.tables.map { table(it) } + model.choices.map { choice(it) } + model.customApis.map { customApi(it) }

    private fun path(type: String) = packageName.replace('.', '/') + "/$type.kt"

    private fun type(column: GenColumn, table: GenTable): String = when (column.kind) {
        Kind.STRING -> "String"
        Kind.INT -> "Int"
        Kind.LONG -> "Long"
        Kind.DECIMAL -> "BigDecimal"
        Kind.DOUBLE -> "Double"
        Kind.BOOLEAN -> "Boolean"
        Kind.INSTANT -> "Instant"
        Kind.DATE -> "LocalDate"
        Kind.UUID -> if (column.isPrimaryId) table.idTypeName else "UUID"
        Kind.CHOICE -> column.choice!!.typeName
        Kind.MULTI_CHOICE -> "Set<${column.choice!!.typeName}>"
        Kind.LOOKUP -> if (column.targets.size > 1) "EntityReference" else column.target?.idTypeName ?: "UUID"
        Kind.FILE -> error("file columns have no property")
    }

    private fun constant(column: GenColumn): String = when (column.kind) {
        Kind.STRING -> "StringColumn(\"${column.logicalName}\")"
        Kind.INT -> "ComparableColumn<Int>(\"${column.logicalName}\")"
        Kind.LONG -> "ComparableColumn<Long>(\"${column.logicalName}\")"
        Kind.DECIMAL -> "ComparableColumn<BigDecimal>(\"${column.logicalName}\")"
        Kind.DOUBLE -> "ComparableColumn<Double>(\"${column.logicalName}\")"
        Kind.BOOLEAN -> "Column<Boolean>(\"${column.logicalName}\")"
        Kind.INSTANT -> "ComparableColumn<Instant>(\"${column.logicalName}\")"
        Kind.DATE -> "ComparableColumn<LocalDate>(\"${column.logicalName}\")"
        Kind.UUID -> "Column<UUID>(\"${column.logicalName}\")"
        Kind.CHOICE -> "ChoiceColumn<${column.choice!!.typeName}>(\"${column.logicalName}\")"
        Kind.MULTI_CHOICE -> "MultiChoiceColumn<${column.choice!!.typeName}>(\"${column.logicalName}\")"
        Kind.LOOKUP -> "LookupColumn(\"${column.logicalName}\", linkedMapOf(" +
            column.targets.entries.joinToString(", ") { (t, n) -> "\"$t\" to \"$n\"" } + "))"
        Kind.FILE -> "FileColumn(\"${column.logicalName}\")"
    }

    private fun constantType(column: GenColumn): String = constant(column).substringBefore('(')

    private fun read(column: GenColumn, table: GenTable): String {
        val name = "\"${column.logicalName}\""
        return when (column.kind) {
            Kind.STRING -> "record.getString($name)"
            Kind.INT -> "record.getInt($name)"
            Kind.LONG -> "record.getLong($name)"
            Kind.DECIMAL -> "record.getDecimal($name)"
            Kind.DOUBLE -> "record.getDouble($name)"
            Kind.BOOLEAN -> "record.getBoolean($name)"
            Kind.INSTANT -> "record.getInstant($name)"
            Kind.DATE -> "record.getLocalDate($name)"
            Kind.UUID -> if (column.isPrimaryId) "record.getUuid($name)?.let(::${table.idTypeName})" else "record.getUuid($name)"
            Kind.CHOICE -> "ModelValues.choice(record, $name, ${column.choice!!.typeName}.values())"
            Kind.MULTI_CHOICE -> "ModelValues.multiChoice(record, $name, ${column.choice!!.typeName}.values())"
            Kind.LOOKUP -> when {
                column.targets.size > 1 -> "ModelValues.lookup(record, ${column.constant})"
                column.target != null -> "ModelValues.lookupId(record, ${column.constant})?.let(::${column.target.idTypeName})"
                else -> "ModelValues.lookupId(record, ${column.constant})"
            }
            Kind.FILE -> error("file columns have no property")
        }
    }

    private fun write(column: GenColumn): String {
        val name = "\"${column.logicalName}\""
        return when (column.kind) {
            Kind.UUID -> if (column.isPrimaryId) "values[$name] = it.value" else "values[$name] = it"
            Kind.CHOICE -> "values[$name] = it.value"
            Kind.MULTI_CHOICE -> "values[$name] = ModelValues.multiChoiceText(it)"
            Kind.LOOKUP -> when {
                column.targets.size > 1 -> "ModelValues.putLookup(values, ${column.constant}, it)"
                else -> "ModelValues.putLookup(values, ${column.constant}, EntityReference(\"${column.targets.keys.single()}\", it${if (column.target != null) ".value" else ""}))"
            }
            else -> "values[$name] = it"
        }
    }

    private fun doc(column: GenColumn): String =
        Names.comment((column.displayName?.let { "$it (`${column.logicalName}`)" } ?: "`${column.logicalName}`") +
            if (!column.validForCreate && !column.validForUpdate) "; read-only" else if (!column.validForUpdate) "; set on create only" else if (!column.validForCreate) "; set on update only" else "")

    private fun table(table: GenTable): GeneratedFile {
        val schema = table.schema
        val properties = table.columns.filter { it.kind != Kind.FILE }
        val out = StringBuilder()
        out.append(header)
        out.append("@file:Suppress(\"RedundantVisibilityModifier\", \"unused\")\n\n")
        out.append("package $packageName\n\n")
        listOf(
            "dev.dataverse.DataverseRecord", "dev.dataverse.EntityReference", "dev.dataverse.Filter",
            "dev.dataverse.model.ChoiceColumn", "dev.dataverse.model.Column", "dev.dataverse.model.ComparableColumn",
            "dev.dataverse.model.FileColumn", "dev.dataverse.model.LookupColumn", "dev.dataverse.model.ModelValues",
            "dev.dataverse.model.MultiChoiceColumn", "dev.dataverse.model.StringColumn", "dev.dataverse.model.TableModel",
            "dev.dataverse.model.TypedTable", "dev.dataverse.model.WriteOperation", "java.math.BigDecimal", "java.time.Instant",
            "java.time.LocalDate", "java.util.UUID",
        ).forEach { out.append("import $it\n") }
        val name = table.typeName
        val id = table.idTypeName
        out.append("\n/** The primary id of a `${schema.logicalName}` record. */\n")
        out.append("@JvmInline\npublic value class $id(public val value: UUID) {\n")
        out.append("    override fun toString(): String = value.toString()\n}\n\n")
        out.append("/**\n * ${Names.comment(schema.displayName ?: schema.schemaName)} (`${schema.logicalName}`, entity set `${schema.entitySetName}`).\n")
        out.append(" *\n * Unset (`null`) properties are not written; read-only columns are never written.\n")
        if (table.skipped.isNotEmpty()) out.append(" * Columns without a typed form: ${Names.comment(table.skipped.joinToString())}.\n")
        out.append(" */\n")
        out.append("public data class $name(\n")
        for (column in properties) {
            out.append("    /** ${doc(column)}. */\n")
            out.append("    public val ${column.property}: ${type(column, table)}? = null,\n")
        }
        out.append(") {\n")
        out.append("    /** The table's model and column constants: `records.typed($name)`, `$name.${properties.first().constant}`. */\n")
        out.append("    public companion object : TableModel<$name> {\n")
        for (column in table.columns) {
            out.append("        /** ${doc(column)}. */\n")
            out.append("        @JvmField\n        public val ${column.constant}: ${constantType(column)} = ${constant(column)}\n\n")
        }
        out.append("        /** This model, under the name Java code uses. */\n")
        out.append("        @JvmField\n        public val MODEL: TableModel<$name> = this\n\n")
        out.append("        override val logicalName: String get() = \"${schema.logicalName}\"\n\n")
        out.append("        override val primaryIdColumn: String get() = \"${schema.primaryIdColumn}\"\n\n")
        out.append("        override val columns: List<String> = listOf(${properties.joinToString(", ") { "\"${it.selectName}\"" }})\n\n")
        out.append("        override val needsAnnotations: Boolean get() = ${table.needsAnnotations}\n\n")
        out.append("        override fun fromRecord(record: DataverseRecord): $name = $name(\n")
        for (column in properties) out.append("            ${column.property} = ${read(column, table)},\n")
        out.append("        )\n\n")
        out.append("        override fun toValues(entity: $name, operation: WriteOperation): Map<String, Any?> {\n")
        out.append("            val values = LinkedHashMap<String, Any?>()\n")
        for (column in properties.filter { it.writable }) {
            val condition = when {
                column.isPrimaryId -> "operation == WriteOperation.CREATE"
                column.validForCreate && column.validForUpdate -> null
                column.validForCreate -> "operation == WriteOperation.CREATE"
                else -> "operation == WriteOperation.UPDATE"
            }
            val statement = "entity.${column.property}?.let { ${write(column)} }"
            out.append("            ").append(condition?.let { "if ($it) $statement" } ?: statement).append('\n')
        }
        out.append("            return values\n        }\n\n")
        out.append("        override fun idOf(entity: $name): UUID? = entity.${table.primaryId.property}?.value\n")
        out.append("    }\n}\n\n")
        out.append("/** Retrieves the `${schema.logicalName}` record with [id]; see [TypedTable.get]. */\n")
        out.append("public suspend fun TypedTable<$name>.get(id: $id): $name = get(id.value)\n\n")
        out.append("/** Deletes the `${schema.logicalName}` record with [id]; see [TypedTable.delete]. */\n")
        out.append("public suspend fun TypedTable<$name>.delete(id: $id): Unit = delete(id.value)\n\n")
        out.append("/** A lookup filter on a `${schema.logicalName}` id: `_<lookup>_value eq id`. */\n")
        out.append("public infix fun LookupColumn.eq(id: $id): Filter = eq(id.value)\n")
        return GeneratedFile(path(name), out.toString())
    }

    private fun choice(choice: GenChoice): GeneratedFile {
        val out = StringBuilder(header)
        out.append("package $packageName\n\nimport dev.dataverse.model.ChoiceValue\n\n")
        out.append("/** ${Names.comment(choice.description)}. */\n")
        out.append("public enum class ${choice.typeName}(\n")
        out.append("    override val value: Int,\n    /** The option's label in the snapshot, or `null` when it has none. */\n    public val label: String?,\n")
        out.append(") : ChoiceValue {\n")
        for (option in choice.options) {
            option.label?.let { out.append("    /** ${Names.comment(it)}. */\n") }
            out.append("    ${option.constant}(${option.value}, ${option.label?.let { Names.literal(it, kotlin = true) } ?: "null"}),\n")
        }
        out.append("    ;\n\n    public companion object {\n")
        out.append("        /**\n         * The option with [value].\n         *\n         * @throws IllegalArgumentException when no option has it.\n         */\n")
        out.append("        @JvmStatic\n        public fun fromValue(value: Int): ${choice.typeName} =\n")
        out.append("            values().firstOrNull { it.value == value } ?: throw IllegalArgumentException(\"No option of ${choice.typeName} has value \$value.\")\n")
        out.append("    }\n}\n")
        return GeneratedFile(path(choice.typeName), out.toString())
    }

    private val types = ApiValueTypes(kotlin = true)

    private fun apiDoc(value: GenApiValue, request: Boolean): String = Names.comment(
        "`${value.uniqueName}` (${value.type.schemaName}${value.table?.let { " of `$it`" } ?: ""}" +
            (if (request) if (value.optional) ", optional; `null` leaves it out" else ", required" else "") + ")",
    )

    private fun customApi(api: GenCustomApi): GeneratedFile {
        val schema = api.schema
        val hasResponse = api.properties.isNotEmpty()
        val returnType = if (hasResponse) api.responseType else "Unit"
        val out = StringBuilder(header)
        out.append("@file:Suppress(\"RedundantVisibilityModifier\", \"unused\")\n\n")
        out.append("package $packageName\n\n")
        listOf(
            "dev.dataverse.DataverseRecord", "dev.dataverse.EntityReference", "dev.dataverse.MessageEntity",
            "dev.dataverse.MessageRequest", "dev.dataverse.MessageResult", "dev.dataverse.Messages",
            "dev.dataverse.model.MessageValues", "java.math.BigDecimal", "java.time.Instant", "java.util.UUID",
        ).forEach { out.append("import $it\n") }
        val name = Names.literal(schema.uniqueName, kotlin = true)
        out.append("\n/**\n * A call of the custom API `${schema.uniqueName}` (${api.kindText}): its request parameters, typed.\n")
        out.append(" * [execute] sends it through the untyped [Messages.execute] and reads the response")
        out.append(if (hasResponse) " into [${api.responseType}].\n" else " (the API has no response properties).\n")
        out.append(" *\n * Required parameters are constructor parameters without a default; optional ones default to `null`, which leaves\n")
        out.append(" * them out of the request. Values are checked as [MessageRequest] checks them, before anything is sent.\n */\n")
        if (api.target == null && api.parameters.isEmpty()) {
            out.append("public data object ${api.requestType} {\n")
        } else {
            out.append("public data class ${api.requestType}(\n")
            api.target?.let { out.append("    /** The id of the `${schema.boundTable}` record the API is bound to. */\n    public val $it: UUID,\n") }
            val ordered = api.parameters.filter { !it.optional } + api.parameters.filter { it.optional }
            for (p in ordered) {
                out.append("    /** ${apiDoc(p, true)}. */\n")
                out.append("    public val ${p.property}: ${types.requestType(p)}${if (p.optional) "? = null" else ""},\n")
            }
            out.append(") {\n")
        }
        out.append("    /**\n     * The untyped request this call sends, e.g. to add it to a `\$batch`.\n     *\n")
        out.append("     * @throws dev.dataverse.InvalidInputException when a value cannot be sent (see [MessageRequest]).\n     */\n")
        out.append("    public fun toMessageRequest(): MessageRequest {\n")
        out.append("        val builder = MessageRequest.${if (schema.isFunction) "function" else "action"}($name)\n")
        val table = schema.boundTable?.let { Names.literal(it, kotlin = true) }
        if (api.boundToRecord) out.append("        builder.boundTo($table, ${api.target})\n")
        if (api.boundToTable) out.append("        builder.boundToTable($table)\n")
        for (p in api.parameters) {
            val literal = Names.literal(p.uniqueName, kotlin = true)
            if (p.optional) {
                out.append("        ${p.property}?.let { builder.parameter($literal, it) }\n")
            } else {
                out.append("        builder.parameter($literal, ${p.property})\n")
            }
        }
        out.append("        return builder.build()\n    }\n\n")
        out.append("    /**\n     * Calls the API through [messages]")
        out.append(if (hasResponse) " and returns its response properties.\n" else ".\n")
        out.append("     *\n     * @throws dev.dataverse.InvalidInputException when a value cannot be sent, before anything is sent.\n")
        out.append("     * @throws dev.dataverse.NotFoundException when the service knows no such API (or the bound record does not exist).\n")
        out.append("     * @throws dev.dataverse.DataverseException for the API's own errors, as the service reports them.\n     */\n")
        if (hasResponse) {
            out.append("    public suspend fun execute(messages: Messages): $returnType = ${api.responseType}.fromResult(messages.execute(toMessageRequest()))\n")
        } else {
            out.append("    public suspend fun execute(messages: Messages) {\n        messages.execute(toMessageRequest())\n    }\n")
        }
        out.append("}\n")
        if (hasResponse) {
            out.append("\n/**\n * The response properties of the custom API `${schema.uniqueName}`; a property the response lacks is `null` (an\n")
            out.append(" * `EntityCollection` one is empty).\n */\n")
            out.append("public data class ${api.responseType}(\n")
            for (p in api.properties) {
                val collection = p.type == ApiType.ENTITY_COLLECTION
                out.append("    /** ${apiDoc(p, false)}. */\n")
                out.append("    public val ${p.property}: ${types.responseType(p)}${if (collection) " = emptyList()" else "? = null"},\n")
            }
            out.append(") {\n    public companion object {\n")
            out.append("        /**\n         * The typed response read from an untyped [result], e.g. one of a `\$batch`.\n         *\n")
            out.append("         * @throws dev.dataverse.ColumnTypeException when a property holds a value of another type.\n         */\n")
            out.append("        @JvmStatic\n        public fun fromResult(result: MessageResult): ${api.responseType} {\n")
            out.append("            val record = MessageValues.response(result)\n")
            out.append("            return ${api.responseType}(\n")
            for (p in api.properties) out.append("                ${p.property} = ${types.readProperty(p)},\n")
            out.append("            )\n        }\n    }\n}\n")
        }
        return GeneratedFile(path(api.requestType), out.toString())
    }
}
