package dev.dataverse.codegen.internal

import dev.dataverse.codegen.GeneratedFile

/**
 * Java sources for Java 11 and later: a final immutable class with a builder per table (records would need Java 16), an
 * enum per choice. Ids and single-table lookups are `UUID`s, polymorphic lookups `EntityReference`s.
 */
internal class JavaEmitter(private val packageName: String, private val header: String) {
    fun emit(model: GenModel): List<GeneratedFile> =
        model.tables.map { table(it) } + model.choices.map { choice(it) } + model.customApis.flatMap { customApi(it) }

    private fun path(type: String) = packageName.replace('.', '/') + "/$type.java"

    private fun type(column: GenColumn): String = when (column.kind) {
        Kind.STRING -> "String"
        Kind.INT -> "Integer"
        Kind.LONG -> "Long"
        Kind.DECIMAL -> "BigDecimal"
        Kind.DOUBLE -> "Double"
        Kind.BOOLEAN -> "Boolean"
        Kind.INSTANT -> "Instant"
        Kind.DATE -> "LocalDate"
        Kind.UUID -> "UUID"
        Kind.CHOICE -> column.choice!!.typeName
        Kind.MULTI_CHOICE -> "Set<${column.choice!!.typeName}>"
        Kind.LOOKUP -> if (column.targets.size == 1) "UUID" else "EntityReference"
        Kind.FILE -> error("file columns have no property")
    }

    private fun constantType(column: GenColumn): String = when (column.kind) {
        Kind.STRING -> "StringColumn"
        Kind.INT -> "ComparableColumn<Integer>"
        Kind.LONG -> "ComparableColumn<Long>"
        Kind.DECIMAL -> "ComparableColumn<BigDecimal>"
        Kind.DOUBLE -> "ComparableColumn<Double>"
        Kind.BOOLEAN -> "Column<Boolean>"
        Kind.INSTANT -> "ComparableColumn<Instant>"
        Kind.DATE -> "ComparableColumn<LocalDate>"
        Kind.UUID -> "Column<UUID>"
        Kind.CHOICE -> "ChoiceColumn<${column.choice!!.typeName}>"
        Kind.MULTI_CHOICE -> "MultiChoiceColumn<${column.choice!!.typeName}>"
        Kind.LOOKUP -> "LookupColumn"
        Kind.FILE -> "FileColumn"
    }

    private fun constant(column: GenColumn): String = when (column.kind) {
        Kind.LOOKUP -> "new LookupColumn(\"${column.logicalName}\", targets(" +
            column.targets.entries.joinToString(", ") { (t, n) -> "\"$t\", \"$n\"" } + "))"
        else -> "new ${constantType(column).substringBefore('<')}<>(\"${column.logicalName}\")"
            .replace("StringColumn<>", "StringColumn").replace("FileColumn<>", "FileColumn")
    }

    private fun read(column: GenColumn): String {
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
            Kind.UUID -> "record.getUuid($name)"
            Kind.CHOICE -> "ModelValues.choice(record, $name, ${column.choice!!.typeName}.values())"
            Kind.MULTI_CHOICE -> "ModelValues.multiChoice(record, $name, ${column.choice!!.typeName}.values())"
            Kind.LOOKUP -> if (column.targets.size == 1) "ModelValues.lookupId(record, ${column.constant})" else "ModelValues.lookup(record, ${column.constant})"
            Kind.FILE -> error("file columns have no property")
        }
    }

    private fun write(column: GenColumn, value: String): String {
        val name = "\"${column.logicalName}\""
        return when (column.kind) {
            Kind.CHOICE -> "values.put($name, $value.getValue());"
            Kind.MULTI_CHOICE -> "values.put($name, ModelValues.multiChoiceText($value));"
            Kind.LOOKUP -> if (column.targets.size == 1) {
                "ModelValues.putLookup(values, ${column.constant}, new EntityReference(\"${column.targets.keys.single()}\", $value));"
            } else {
                "ModelValues.putLookup(values, ${column.constant}, $value);"
            }
            else -> "values.put($name, $value);"
        }
    }

    /** Markdown code spans (the shared descriptions use them) as Javadoc's `{@code}`. */
    private fun javadoc(text: String): String = text.replace(Regex("`([^`{}]*)`"), "{@code $1}")

    private fun doc(column: GenColumn): String = javadoc(
        Names.comment((column.displayName?.let { "$it (`${column.logicalName}`)" } ?: "`${column.logicalName}`") +
            if (!column.validForCreate && !column.validForUpdate) "; read-only" else if (!column.validForUpdate) "; set on create only" else if (!column.validForCreate) "; set on update only" else ""),
    )

    private fun getter(column: GenColumn) = "get" + column.property.replaceFirstChar(Char::uppercaseChar)

    private fun table(table: GenTable): GeneratedFile {
        val schema = table.schema
        val name = table.typeName
        val properties = table.columns.filter { it.kind != Kind.FILE }
        val out = StringBuilder(header)
        out.append("package $packageName;\n\n")
        listOf(
            "dev.dataverse.DataverseRecord", "dev.dataverse.EntityReference", "dev.dataverse.model.ChoiceColumn",
            "dev.dataverse.model.Column", "dev.dataverse.model.ComparableColumn", "dev.dataverse.model.FileColumn",
            "dev.dataverse.model.LookupColumn", "dev.dataverse.model.ModelValues", "dev.dataverse.model.MultiChoiceColumn",
            "dev.dataverse.model.StringColumn", "dev.dataverse.model.TableModel", "dev.dataverse.model.WriteOperation",
            "java.math.BigDecimal", "java.time.Instant", "java.time.LocalDate", "java.util.Arrays", "java.util.Collections",
            "java.util.LinkedHashMap", "java.util.LinkedHashSet", "java.util.List", "java.util.Map", "java.util.Objects",
            "java.util.Set", "java.util.UUID",
        ).forEach { out.append("import $it;\n") }
        out.append("\n/**\n * ${Names.comment(schema.displayName ?: schema.schemaName)} ({@code ${schema.logicalName}}, entity set {@code ${schema.entitySetName}}).\n")
        out.append(" *\n * <p>Immutable; build one with {@link #builder()}. Unset ({@code null}) properties are not written; read-only columns\n")
        out.append(" * are never written. Use {@code client.records().typed($name.MODEL)} for typed operations.\n")
        if (table.skipped.isNotEmpty()) out.append(" * <p>Columns without a typed form: ${Names.comment(table.skipped.joinToString())}.\n")
        out.append(" */\n")
        out.append("@SuppressWarnings({\"unused\", \"rawtypes\", \"unchecked\"})\n")
        out.append("public final class $name {\n")
        for (column in table.columns) {
            out.append("    /** ${doc(column)}. */\n")
            out.append("    public static final ${constantType(column)} ${column.constant} = ${constant(column)};\n")
        }
        out.append("\n    /** The table's model: {@code client.records().typed($name.MODEL)}. */\n")
        out.append("    public static final TableModel<$name> MODEL = new Model();\n\n")
        for (column in properties) out.append("    private final ${type(column)} ${column.property};\n")
        out.append("\n    private $name(Builder builder) {\n")
        for (column in properties) {
            val value = if (column.kind == Kind.MULTI_CHOICE) {
                "builder.${column.property} == null ? null : Collections.unmodifiableSet(new LinkedHashSet<>(builder.${column.property}))"
            } else {
                "builder.${column.property}"
            }
            out.append("        this.${column.property} = $value;\n")
        }
        out.append("    }\n\n")
        out.append("    /** A builder with every property unset. */\n    public static Builder builder() {\n        return new Builder();\n    }\n\n")
        out.append("    /** A builder holding this instance's properties, to derive a changed copy. */\n")
        out.append("    public Builder toBuilder() {\n        Builder builder = new Builder();\n")
        for (column in properties) out.append("        builder.${column.property} = ${column.property};\n")
        out.append("        return builder;\n    }\n\n")
        for (column in properties) {
            out.append("    /** ${doc(column)}; {@code null} when unset. */\n")
            out.append("    public ${type(column)} ${getter(column)}() {\n        return ${column.property};\n    }\n\n")
        }
        out.append("    @Override\n    public boolean equals(Object other) {\n        if (this == other) return true;\n")
        out.append("        if (!(other instanceof $name)) return false;\n        $name that = ($name) other;\n        return ")
        out.append(properties.joinToString("\n            && ") { "Objects.equals(${it.property}, that.${it.property})" }).append(";\n    }\n\n")
        out.append("    @Override\n    public int hashCode() {\n        return Objects.hash(${properties.joinToString(", ") { it.property }});\n    }\n\n")
        out.append("    @Override\n    public String toString() {\n        return \"$name(\"")
        properties.forEachIndexed { i, c -> out.append("\n            + \"${if (i > 0) ", " else ""}${c.property}=\" + ${c.property}") }
        out.append("\n            + \")\";\n    }\n\n")
        out.append("    /** Builds {@link $name} instances; not thread-safe. */\n    public static final class Builder {\n")
        for (column in properties) out.append("        private ${type(column)} ${column.property};\n")
        out.append("\n        private Builder() {\n        }\n\n")
        for (column in properties) {
            out.append("        /** Sets ${doc(column)}; {@code null} unsets it. */\n")
            out.append("        public Builder ${column.property}(${type(column)} value) {\n            this.${column.property} = value;\n            return this;\n        }\n\n")
        }
        out.append("        /** The instance. */\n        public $name build() {\n            return new $name(this);\n        }\n    }\n\n")
        out.append("    private static Map<String, String> targets(String... tableAndNavigation) {\n")
        out.append("        Map<String, String> targets = new LinkedHashMap<>();\n")
        out.append("        for (int i = 0; i < tableAndNavigation.length; i += 2) targets.put(tableAndNavigation[i], tableAndNavigation[i + 1]);\n")
        out.append("        return targets;\n    }\n\n")
        out.append("    private static final class Model implements TableModel<$name> {\n")
        out.append("        private static final List<String> COLUMNS = Collections.unmodifiableList(Arrays.asList(\n            ")
        out.append(properties.joinToString(",\n            ") { "\"${it.selectName}\"" }).append("));\n\n")
        out.append("        @Override\n        public String getLogicalName() {\n            return \"${schema.logicalName}\";\n        }\n\n")
        out.append("        @Override\n        public String getPrimaryIdColumn() {\n            return \"${schema.primaryIdColumn}\";\n        }\n\n")
        out.append("        @Override\n        public List<String> getColumns() {\n            return COLUMNS;\n        }\n\n")
        out.append("        @Override\n        public boolean getNeedsAnnotations() {\n            return ${table.needsAnnotations};\n        }\n\n")
        out.append("        @Override\n        public $name fromRecord(DataverseRecord record) {\n            Builder builder = new Builder();\n")
        for (column in properties) out.append("            builder.${column.property} = ${read(column)};\n")
        out.append("            return builder.build();\n        }\n\n")
        out.append("        @Override\n        public Map<String, Object> toValues($name entity, WriteOperation operation) {\n")
        out.append("            Map<String, Object> values = new LinkedHashMap<>();\n")
        out.append("            boolean create = operation == WriteOperation.CREATE;\n")
        for (column in properties.filter { it.writable }) {
            val condition = when {
                column.isPrimaryId -> "create && "
                column.validForCreate && column.validForUpdate -> ""
                column.validForCreate -> "create && "
                else -> "!create && "
            }
            out.append("            if (${condition}entity.${column.property} != null) ${write(column, "entity.${column.property}")}\n")
        }
        out.append("            return values;\n        }\n\n")
        out.append("        @Override\n        public UUID idOf($name entity) {\n            return entity.${table.primaryId.property};\n        }\n\n")
        out.append("        @Override\n        public String toString() {\n            return \"TableModel(${schema.logicalName})\";\n        }\n    }\n}\n")
        return GeneratedFile(path(name), out.toString())
    }

    private fun choice(choice: GenChoice): GeneratedFile {
        val out = StringBuilder(header)
        out.append("package $packageName;\n\nimport dev.dataverse.model.ChoiceValue;\n\n")
        out.append("/** ${javadoc(Names.comment(choice.description))}. */\n")
        out.append("public enum ${choice.typeName} implements ChoiceValue {\n")
        choice.options.forEachIndexed { i, option ->
            option.label?.let { out.append("    /** ${Names.comment(it)}. */\n") }
            out.append("    ${option.constant}(${option.value}, ${option.label?.let { Names.literal(it, kotlin = false) } ?: "null"})")
            out.append(if (i == choice.options.lastIndex) ";\n" else ",\n")
        }
        if (choice.options.isEmpty()) out.append("    ;\n")
        out.append("\n    private final int value;\n    private final String label;\n\n")
        out.append("    ${choice.typeName}(int value, String label) {\n        this.value = value;\n        this.label = label;\n    }\n\n")
        out.append("    /** The option's value as the service stores it. */\n    @Override\n    public int getValue() {\n        return value;\n    }\n\n")
        out.append("    /** The option's label in the snapshot, or {@code null} when it has none. */\n    public String getLabel() {\n        return label;\n    }\n\n")
        out.append("    /**\n     * The option with {@code value}.\n     *\n     * @throws IllegalArgumentException when no option has it\n     */\n")
        out.append("    public static ${choice.typeName} fromValue(int value) {\n")
        out.append("        for (${choice.typeName} option : values()) {\n            if (option.value == value) return option;\n        }\n")
        out.append("        throw new IllegalArgumentException(\"No option of ${choice.typeName} has value \" + value + \".\");\n    }\n}\n")
        return GeneratedFile(path(choice.typeName), out.toString())
    }

    private val types = ApiValueTypes(kotlin = false)

    /** A copy for list values, so that instances stay immutable. */
    private fun copied(value: GenApiValue, expression: String): String =
        if (value.type == ApiType.ENTITY_COLLECTION || value.type == ApiType.STRING_ARRAY) {
            "copy($expression)"
        } else {
            expression
        }

    private fun apiDoc(value: GenApiValue, request: Boolean): String = javadoc(
        Names.comment(
            "`${value.uniqueName}` (${value.type.schemaName}${value.table?.let { " of `$it`" } ?: ""}" +
                (if (request) if (value.optional) ", optional; `null` leaves it out" else ", required" else "") + ")",
        ),
    )

    private fun apiGetter(property: String) = "get" + property.replaceFirstChar(Char::uppercaseChar)

    private fun customApi(api: GenCustomApi): List<GeneratedFile> {
        val schema = api.schema
        val hasResponse = api.properties.isNotEmpty()
        val name = api.requestType
        val result = if (hasResponse) api.responseType else "Void"
        // The bound record's id first, then the parameters in the snapshot's order (by unique name).
        val fields = listOfNotNull(api.target?.let { Triple(it, "UUID", "the id of the {@code ${schema.boundTable}} record the API is bound to (required)") }) +
            api.parameters.map { Triple(it.property, types.requestType(it), apiDoc(it, true)) }
        val out = StringBuilder(header)
        out.append("package $packageName;\n\n")
        listOf(
            "dev.dataverse.DataverseRecord", "dev.dataverse.EntityReference", "dev.dataverse.MessageEntity",
            "dev.dataverse.MessageRequest", "dev.dataverse.MessageResult", "dev.dataverse.java.AsyncMessages",
            "dev.dataverse.java.BlockingMessages", "dev.dataverse.model.MessageValues", "java.math.BigDecimal",
            "java.time.Instant", "java.util.ArrayList", "java.util.Collections", "java.util.List", "java.util.Objects",
            "java.util.UUID", "java.util.concurrent.CompletableFuture",
        ).forEach { out.append("import $it;\n") }
        out.append("\n/**\n * A call of the custom API {@code ${schema.uniqueName}} (${javadoc(api.kindText)}): its request parameters, typed.\n")
        out.append(" *\n * <p>Immutable; build one with {@link #builder()}, which rejects a missing required parameter with\n")
        out.append(" * {@link dev.dataverse.InvalidInputException} before anything is sent. {@link #execute(BlockingMessages)} and\n")
        out.append(" * {@link #executeAsync(AsyncMessages)} send it through the untyped {@code execute(MessageRequest)}")
        out.append(if (hasResponse) " and read the response\n * into {@link ${api.responseType}}.\n" else "; the API has no response\n * properties.\n")
        out.append(" */\n@SuppressWarnings({\"unused\", \"rawtypes\", \"unchecked\"})\npublic final class $name {\n")
        for ((field, type, _) in fields) out.append("    private final $type $field;\n")
        out.append("\n    private $name(Builder builder) {\n")
        api.target?.let { out.append("        this.$it = MessageValues.required(${Names.literal(schema.uniqueName, false)}, \"target\", builder.$it);\n") }
        for (p in api.parameters) {
            val value = if (p.optional) "builder.${p.property}" else "MessageValues.required(${Names.literal(schema.uniqueName, false)}, ${Names.literal(p.uniqueName, false)}, builder.${p.property})"
            out.append("        this.${p.property} = ${copied(p, value)};\n")
        }
        out.append("    }\n\n")
        out.append("    private static <T> List<T> copy(List<T> list) {\n        return list == null ? null : Collections.unmodifiableList(new ArrayList<>(list));\n    }\n\n")
        out.append("    /** A builder with every parameter unset. */\n    public static Builder builder() {\n        return new Builder();\n    }\n\n")
        for ((field, type, doc) in fields) {
            out.append("    /** ${doc.replaceFirstChar(Char::uppercaseChar)}; {@code null} when unset. */\n")
            out.append("    public $type ${apiGetter(field)}() {\n        return $field;\n    }\n\n")
        }
        out.append("    /**\n     * The untyped request this call sends, e.g. to add it to a {@code \$batch}.\n     *\n")
        out.append("     * @throws dev.dataverse.InvalidInputException when a value cannot be sent (see {@link MessageRequest})\n     */\n")
        out.append("    public MessageRequest toMessageRequest() {\n")
        out.append("        MessageRequest.Builder builder = MessageRequest.${if (schema.isFunction) "function" else "action"}(${Names.literal(schema.uniqueName, false)});\n")
        val table = schema.boundTable?.let { Names.literal(it, kotlin = false) }
        if (api.boundToRecord) out.append("        builder.boundTo($table, ${api.target});\n")
        if (api.boundToTable) out.append("        builder.boundToTable($table);\n")
        for (p in api.parameters) {
            val literal = Names.literal(p.uniqueName, kotlin = false)
            out.append(if (p.optional) "        if (${p.property} != null) " else "        ").append("builder.parameter($literal, ${p.property});\n")
        }
        out.append("        return builder.build();\n    }\n\n")
        val throws = "     * @throws dev.dataverse.InvalidInputException when a value cannot be sent, before anything is sent\n" +
            "     * @throws dev.dataverse.NotFoundException when the service knows no such API (or the bound record does not exist)\n" +
            "     * @throws dev.dataverse.DataverseException for the API's own errors, as the service reports them\n"
        out.append("    /**\n     * Calls the API through {@code messages} and waits for its ${if (hasResponse) "response" else "completion"}.\n     *\n$throws     */\n")
        if (hasResponse) {
            out.append("    public $result execute(BlockingMessages messages) {\n        return $result.fromResult(messages.execute(toMessageRequest()));\n    }\n\n")
        } else {
            out.append("    public void execute(BlockingMessages messages) {\n        messages.execute(toMessageRequest());\n    }\n\n")
        }
        out.append("    /**\n     * Calls the API through {@code messages}; the future completes with ${if (hasResponse) "its response" else "{@code null}"} or the\n")
        out.append("     * exceptions of {@link #execute(BlockingMessages)}.\n     *\n")
        out.append("     * @throws dev.dataverse.InvalidInputException when a value cannot be sent, before anything is sent\n     */\n")
        out.append("    public CompletableFuture<$result> executeAsync(AsyncMessages messages) {\n")
        out.append("        MessageRequest request = toMessageRequest();\n")
        out.append(if (hasResponse) "        return messages.execute(request).thenApply($result::fromResult);\n" else "        return messages.execute(request).thenApply(ignored -> null);\n")
        out.append("    }\n\n")
        val names = fields.map { it.first }
        out.append("    @Override\n    public boolean equals(Object other) {\n        if (this == other) return true;\n")
        out.append("        if (!(other instanceof $name)) return false;\n")
        if (names.isEmpty()) {
            out.append("        return true;\n    }\n\n")
        } else {
            out.append("        $name that = ($name) other;\n        return ")
            out.append(names.joinToString("\n            && ") { "Objects.equals($it, that.$it)" }).append(";\n    }\n\n")
        }
        out.append("    @Override\n    public int hashCode() {\n        return Objects.hash(${names.joinToString(", ")});\n    }\n\n")
        out.append("    @Override\n    public String toString() {\n        return \"$name(\"")
        names.forEachIndexed { i, f -> out.append("\n            + \"${if (i > 0) ", " else ""}$f=\" + $f") }
        out.append("\n            + \")\";\n    }\n\n")
        out.append("    /** Builds {@link $name} instances; not thread-safe. */\n    public static final class Builder {\n")
        for ((field, type, _) in fields) out.append("        private $type $field;\n")
        out.append("\n        private Builder() {\n        }\n\n")
        for ((field, type, doc) in fields) {
            out.append("        /** Sets ${doc.replaceFirstChar(Char::lowercaseChar)}; {@code null} unsets it. */\n")
            out.append("        public Builder $field($type value) {\n            this.$field = value;\n            return this;\n        }\n\n")
        }
        out.append("        /**\n         * The request.\n         *\n         * @throws dev.dataverse.InvalidInputException naming the first required parameter that is not set\n         */\n")
        out.append("        public $name build() {\n            return new $name(this);\n        }\n    }\n}\n")
        val files = mutableListOf(GeneratedFile(path(name), out.toString()))
        if (hasResponse) files += response(api)
        return files
    }

    private fun response(api: GenCustomApi): GeneratedFile {
        val name = api.responseType
        val out = StringBuilder(header)
        out.append("package $packageName;\n\n")
        listOf(
            "dev.dataverse.DataverseRecord", "dev.dataverse.EntityReference", "dev.dataverse.MessageResult",
            "dev.dataverse.model.MessageValues", "java.math.BigDecimal", "java.time.Instant", "java.util.ArrayList",
            "java.util.Collections", "java.util.List", "java.util.Objects", "java.util.UUID",
        ).forEach { out.append("import $it;\n") }
        out.append("\n/**\n * The response properties of the custom API {@code ${api.schema.uniqueName}}; a property the response lacks is\n")
        out.append(" * {@code null} (an {@code EntityCollection} one is empty). Immutable.\n */\n")
        out.append("@SuppressWarnings({\"unused\", \"rawtypes\", \"unchecked\"})\npublic final class $name {\n")
        for (p in api.properties) out.append("    private final ${types.responseType(p)} ${p.property};\n")
        out.append("\n    private $name(DataverseRecord record) {\n")
        for (p in api.properties) out.append("        this.${p.property} = ${copied(p, types.readProperty(p))};\n")
        out.append("    }\n\n")
        out.append("    private static <T> List<T> copy(List<T> list) {\n        return list == null ? null : Collections.unmodifiableList(new ArrayList<>(list));\n    }\n\n")
        out.append("    /**\n     * The typed response read from an untyped {@code result}, e.g. one of a {@code \$batch}.\n     *\n")
        out.append("     * @throws dev.dataverse.ColumnTypeException when a property holds a value of another type\n     */\n")
        out.append("    public static $name fromResult(MessageResult result) {\n        return new $name(MessageValues.response(result));\n    }\n\n")
        for (p in api.properties) {
            out.append("    /** ${apiDoc(p, false).replaceFirstChar(Char::uppercaseChar)}. */\n")
            out.append("    public ${types.responseType(p)} ${apiGetter(p.property)}() {\n        return ${p.property};\n    }\n\n")
        }
        val names = api.properties.map { it.property }
        out.append("    @Override\n    public boolean equals(Object other) {\n        if (this == other) return true;\n")
        out.append("        if (!(other instanceof $name)) return false;\n        $name that = ($name) other;\n        return ")
        out.append(names.joinToString("\n            && ") { "Objects.equals($it, that.$it)" }).append(";\n    }\n\n")
        out.append("    @Override\n    public int hashCode() {\n        return Objects.hash(${names.joinToString(", ")});\n    }\n\n")
        out.append("    @Override\n    public String toString() {\n        return \"$name(\"")
        names.forEachIndexed { i, f -> out.append("\n            + \"${if (i > 0) ", " else ""}$f=\" + $f") }
        out.append("\n            + \")\";\n    }\n}\n")
        return GeneratedFile(path(name), out.toString())
    }
}
