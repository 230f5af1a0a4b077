package dev.dataverse.internal.schema

import dev.dataverse.schema.*

import dev.dataverse.InvalidInputException

/** Checks shared by the snapshot model's constructors; they raise [InvalidInputException] naming the field. */
internal object SchemaChecks {
    fun name(value: String, field: String): String {
        if (value.isBlank()) throw InvalidInputException("'$field' cannot be blank.")
        return value
    }

    fun optional(value: String?, field: String): String? {
        if (value != null && value.isBlank()) throw InvalidInputException("'$field' cannot be blank; pass null to leave it out.")
        return value
    }

    /** Sorts [items] by [key] in ordinal order (snapshot-spec: Determinism) and refuses two with the same key, ignoring case. */
    fun <T> sortedUnique(items: List<T>, what: String, key: (T) -> String): List<T> {
        val sorted = items.sortedWith(compareBy<T> { key(it) })
        val seen = HashSet<String>()
        for (item in sorted) {
            if (!seen.add(key(item).lowercase())) throw InvalidInputException("Two $what are named '${key(item)}'.")
        }
        return java.util.Collections.unmodifiableList(sorted)
    }

    fun <T> frozen(items: List<T>): List<T> = java.util.Collections.unmodifiableList(ArrayList(items))
}
