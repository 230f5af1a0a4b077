package dev.dataverse.emulator.internal.odata

/**
 * The `Prefer` request header(s): `return=representation`, `odata.maxpagesize=N`,
 * `odata.include-annotations="..."` and, for `$batch`, `odata.continue-on-error`. Values may be quoted and contain commas.
 */
internal class Preferences(
    val returnRepresentation: Boolean,
    val maxPageSize: Int?,
    /** The include-annotations value without quotes, e.g. `*` or `OData.Community.Display.V1.FormattedValue`. */
    val includeAnnotations: String?,
    /** `odata.continue-on-error` (or `=true`): a `$batch` answers every request instead of stopping at the first failure. */
    val continueOnError: Boolean = false,
    /** `odata.track-changes`: a collection read that should end with a delta link (change tracking). */
    val trackChanges: Boolean = false,
) {
    /** The annotations the client asked for. */
    val annotations: AnnotationFilter get() = AnnotationFilter.parse(includeAnnotations)

    companion object {
        /** Parses every `Prefer` header value the request carries. */
        fun parse(headerValues: List<String>): Preferences {
            val entries = headerValues.flatMap { HeaderValues.splitOutsideDoubleQuotes(it, ',') }
                .map { it.substringBefore(';').trim() }
                .filter { it.isNotEmpty() }
                .associate { it.substringBefore('=').trim().lowercase() to it.substringAfter('=', "").trim().removeSurrounding("\"") }
            return Preferences(
                returnRepresentation = entries["return"] == "representation",
                maxPageSize = entries["odata.maxpagesize"]?.toIntOrNull()?.takeIf { it > 0 },
                includeAnnotations = entries["odata.include-annotations"] ?: entries["include-annotations"],
                continueOnError = (entries["odata.continue-on-error"] ?: entries["continue-on-error"])
                    ?.let { it.isEmpty() || it.equals("true", ignoreCase = true) } ?: false,
                trackChanges = entries.containsKey("odata.track-changes") || entries.containsKey("track-changes"),
            )
        }
    }
}

/** Splits header values on a separator outside double quotes. */
internal object HeaderValues {
    fun splitOutsideDoubleQuotes(text: String, separator: Char): List<String> {
        val parts = mutableListOf<String>()
        var inQuotes = false
        var start = 0
        for ((index, char) in text.withIndex()) {
            if (char == '"') inQuotes = !inQuotes
            if (char == separator && !inQuotes) {
                parts += text.substring(start, index)
                start = index + 1
            }
        }
        parts += text.substring(start)
        return parts
    }
}

/**
 * Which instance annotations a response includes, per `odata.include-annotations`: `*`, exact names,
 * namespace wildcards (`Microsoft.Dynamics.CRM.*`) and exclusions (`-name`).
 */
internal class AnnotationFilter private constructor(private val includes: List<String>, private val excludes: List<String>) {

    /** Whether annotation [name] (e.g. `OData.Community.Display.V1.FormattedValue`) is requested. */
    fun includes(name: String): Boolean = includes.any { matches(it, name) } && excludes.none { matches(it, name) }

    /** Whether any annotation at all can be included. */
    val isEmpty: Boolean get() = includes.isEmpty()

    private fun matches(pattern: String, name: String): Boolean = when {
        pattern == "*" -> true
        pattern.endsWith(".*") -> name.startsWith(pattern.dropLast(1))
        else -> pattern == name
    }

    companion object {
        val NONE: AnnotationFilter = AnnotationFilter(emptyList(), emptyList())

        fun parse(value: String?): AnnotationFilter {
            if (value.isNullOrBlank()) return NONE
            val patterns = value.split(',').map { it.trim() }.filter { it.isNotEmpty() }
            return AnnotationFilter(
                includes = patterns.filterNot { it.startsWith("-") },
                excludes = patterns.filter { it.startsWith("-") }.map { it.drop(1) },
            )
        }
    }
}
