package dev.dataverse.emulator.internal.options

/**
 * The service's rule for solution unique names: the characters of InvalidSolutionUniqueName (Learn:
 * web-service-error-codes) and at most [MAX_LENGTH] of them (Learn: "Solution table/entity reference", UniqueName
 * MaxLength 65).
 */
internal object SolutionNames {
    const val MAX_LENGTH: Int = 65

    const val RULE: String = "letters A-Z and a-z, digits 0-9 and _, not starting with a digit, at most $MAX_LENGTH characters"

    /** Whether a solution can have [name] as its unique name. */
    fun isValid(name: String): Boolean = name.length <= MAX_LENGTH && hasValidCharacters(name)

    /** Whether [name] keeps the character rule the service reports with InvalidSolutionUniqueName. */
    fun hasValidCharacters(name: String): Boolean =
        name.isNotEmpty() && (name[0].isAsciiLetter() || name[0] == '_') && name.all { it.isAsciiLetter() || it in '0'..'9' || it == '_' }

    private fun Char.isAsciiLetter(): Boolean = this in 'a'..'z' || this in 'A'..'Z'
}
