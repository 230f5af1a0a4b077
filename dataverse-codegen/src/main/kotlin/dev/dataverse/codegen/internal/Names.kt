package dev.dataverse.codegen.internal

import java.text.Normalizer

/**
 * The identifier rules of generated code (documented in the README, section "Typed models"). Every rule is a pure
 * function of the snapshot, so the same snapshot always gives the same names.
 *
 * - Type names: the schema name split at every character that is not an ASCII letter or digit, each part with its first
 *   letter upper-cased (`new_project` → `NewProject`, `Account` → `Account`).
 * - Property names: the type name of the column's schema name with its first letter lower-cased (`PrimaryContactId` →
 *   `primaryContactId`); a Java or Kotlin keyword gets a trailing `_` (`class` → `class_`).
 * - Column constants: the logical name upper-cased (`new_color` → `NEW_COLOR`); `MODEL` becomes `MODEL_COLUMN`.
 * - Choice constants: the label with accents removed, every run of other characters than ASCII letters and digits as one
 *   `_`, upper-cased (`Not started!` → `NOT_STARTED`); no label or nothing left → `VALUE_<value>` (`VALUE_MINUS_1` for
 *   -1); a leading digit gets a leading `_` (`2nd` → `_2ND`); labels shared by several options get `_<value>` on each.
 * - Any name still taken gets `_2`, `_3`... in the snapshot's order (logical names, option values).
 */
internal object Names {
    private val JAVA_KEYWORDS = setOf(
        "abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class", "const", "continue", "default",
        "do", "double", "else", "enum", "extends", "final", "finally", "float", "for", "goto", "if", "implements", "import",
        "instanceof", "int", "interface", "long", "native", "new", "package", "private", "protected", "public", "return",
        "short", "static", "strictfp", "super", "switch", "synchronized", "this", "throw", "throws", "transient", "try",
        "void", "volatile", "while", "true", "false", "null", "var", "yield", "record", "sealed", "permits", "non-sealed", "_",
    )
    private val KOTLIN_KEYWORDS = setOf(
        "as", "break", "class", "continue", "do", "else", "false", "for", "fun", "if", "in", "interface", "is", "null",
        "object", "package", "return", "super", "this", "throw", "true", "try", "typealias", "typeof", "val", "var", "when", "while",
    )

    /** Names generated members use, which properties must not take (Java: `getClass()`; Kotlin data classes: `copy`). */
    private val RESERVED_PROPERTIES = setOf("copy", "class", "hashCode", "equals", "toString", "builder", "toBuilder")

    fun isKeyword(name: String): Boolean = name in JAVA_KEYWORDS || name in KOTLIN_KEYWORDS

    private fun parts(name: String): List<String> = asciiFold(name).split(Regex("[^A-Za-z0-9]+")).filter { it.isNotEmpty() }

    /** A type name from a schema name; [fallback] when nothing usable is left. */
    fun typeName(schemaName: String, fallback: String): String {
        val joined = parts(schemaName).joinToString("") { it.replaceFirstChar(Char::uppercaseChar) }
        val name = joined.ifEmpty { fallback }
        return if (name.first().isDigit()) "_$name" else name
    }

    fun propertyName(schemaName: String, fallback: String): String {
        val name = typeName(schemaName, fallback).let { if (it.startsWith("_")) it else it.replaceFirstChar(Char::lowercaseChar) }
        return if (isKeyword(name) || name in RESERVED_PROPERTIES) "${name}_" else name
    }

    fun constantName(logicalName: String): String {
        val name = parts(logicalName).joinToString("_").uppercase().ifEmpty { "COLUMN" }
        val escaped = if (name.first().isDigit()) "_$name" else name
        return if (escaped == "MODEL") "MODEL_COLUMN" else escaped
    }

    /** Enum constants for options `(value, label)` in value order, by the rules above. */
    fun choiceConstants(options: List<Pair<Int, String?>>): List<String> {
        val natural = options.map { (value, label) ->
            val base = label?.let { parts(it).joinToString("_").uppercase() }.orEmpty()
            when {
                base.isEmpty() -> valueName(value)
                base.first().isDigit() -> "_$base"
                else -> base
            }
        }
        val counts = natural.groupingBy { it }.eachCount()
        val withValues = natural.mapIndexed { i, name ->
            if (counts.getValue(name) > 1 && !name.startsWith("VALUE_")) "${name}_${valueSuffix(options[i].first)}" else name
        }
        return unique(withValues)
    }

    /** [names] with later repeats suffixed `_2`, `_3`... */
    fun unique(names: List<String>, taken: Set<String> = emptySet()): List<String> {
        val used = HashSet(taken)
        return names.map { name ->
            var candidate = name
            var n = 2
            while (!used.add(candidate)) candidate = "${name}_${n++}"
            candidate
        }
    }

    private fun valueName(value: Int) = "VALUE_${valueSuffix(value)}"

    private fun valueSuffix(value: Int) = if (value < 0) "MINUS_${-value.toLong()}" else value.toString()

    private fun asciiFold(text: String): String =
        Normalizer.normalize(text, Normalizer.Form.NFD).replace(Regex("\\p{M}+"), "")

    /** Text for a string literal in Kotlin or Java source. */
    fun literal(text: String, kotlin: Boolean): String = buildString {
        append('"')
        for (c in text) when {
            c == '\\' -> append("\\\\")
            c == '"' -> append("\\\"")
            c == '\n' -> append("\\n")
            c == '\r' -> append("\\r")
            c == '\t' -> append("\\t")
            c == '$' && kotlin -> append("\\$")
            c < ' ' || Character.isSurrogate(c) -> append(String.format("\\u%04x", c.code))
            else -> append(c)
        }
        append('"')
    }

    // Text safe inside a documentation comment: no comment delimiters (Kotlin nests comment openers), no line breaks.
    fun comment(text: String): String =
        text.replace("*/", "*&#47;").replace("/*", "&#47;*").replace(Regex("[\\r\\n]+"), " ").replace("\\u", "\\\\u")
}
