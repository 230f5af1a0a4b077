package dev.dataverse.internal.protocol

import dev.dataverse.InvalidInputException

/** Rules for the names of custom schema objects (tables, columns, relationships, keys), checked before sending. */
internal object SchemaNames {
    /** `prefix_Name`: a customization prefix of 2–8 letters or digits starting with a letter, then letters, digits, `_`. */
    private val CUSTOM = Regex("([A-Za-z][A-Za-z0-9]{1,7})_[A-Za-z0-9][A-Za-z0-9_]*")
    private const val MAX_LENGTH = 50
    private const val MAX_RELATIONSHIP_LENGTH = 100
    private const val MAX_LABEL_LENGTH = 100

    fun requireCustom(name: String, what: String): String {
        if (name.length > MAX_LENGTH) throw InvalidInputException("The $what '$name' is longer than $MAX_LENGTH characters.")
        if (!CUSTOM.matches(name)) {
            throw InvalidInputException(
                "The $what '$name' is invalid: it must start with a publisher prefix of 2 to 8 letters or digits and an " +
                    "underscore (e.g. new_Name), followed by ASCII letters, digits or underscores.",
            )
        }
        if (name.substringBefore('_').equals("mscrm", ignoreCase = true)) {
            throw InvalidInputException("The $what '$name' uses the reserved prefix 'mscrm'.")
        }
        return name
    }

    fun requireRelationship(name: String): String {
        if (name.length > MAX_RELATIONSHIP_LENGTH) {
            throw InvalidInputException("The relationship schema name '$name' is longer than $MAX_RELATIONSHIP_LENGTH characters.")
        }
        if (!Regex("[A-Za-z][A-Za-z0-9_]*").matches(name)) {
            throw InvalidInputException("The relationship schema name '$name' may only contain ASCII letters, digits and underscores.")
        }
        return name
    }

    fun requireLabel(label: String, what: String): String {
        if (label.isBlank()) throw InvalidInputException("'$what' cannot be blank.")
        if (label.length > MAX_LABEL_LENGTH) throw InvalidInputException("'$what' is longer than $MAX_LABEL_LENGTH characters.")
        if (label.any { it.isISOControl() }) throw InvalidInputException("'$what' cannot contain control characters.")
        return label
    }

    /** The publisher prefix of a valid custom schema name, e.g. `new` of `new_Product`. */
    fun prefixOf(schemaName: String): String = requireCustom(schemaName, "table schema name").substringBefore('_')
}
