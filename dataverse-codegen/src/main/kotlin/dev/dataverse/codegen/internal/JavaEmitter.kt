package dev.dataverse.codegen.internal

import dev.dataverse.codegen.GeneratedFile

/**
 * Java sources for Java 11 and later: a final immutable class with a builder per table (records would need Java 16), an
 * enum per choice. Ids and single-table lookups are `UUID`s, polymorphic lookups `EntityReference`s.
 */
internal class JavaEmitter(private val packageName: String, private val header: String) {
    fun emit(model: GenModel): List<GeneratedFile> = model.tables.map { table(it) } + model.choices.map { choice(it) }

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
}
