package dev.dataverse.emulator.internal.options

/** The service's rule for solution unique names (Learn: web-service-error-codes, InvalidSolutionUniqueName). */
internal object SolutionNames {
    const val RULE: String = "letters A-Z and a-z, digits 0-9 and _, not starting with a digit"

    fun isValid(name: String): Boolean =
        name.isNotEmpty() && (name[0].isAsciiLetter() || name[0] == '_') && name.all { it.isAsciiLetter() || it in '0'..'9' || it == '_' }

    private fun Char.isAsciiLetter(): Boolean = this in 'a'..'z' || this in 'A'..'Z'
}
