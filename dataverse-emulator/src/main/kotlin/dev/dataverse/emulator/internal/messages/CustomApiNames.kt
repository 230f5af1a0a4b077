package dev.dataverse.emulator.internal.messages

/** The names custom APIs, their parameters and response properties may have: identifiers, as the service requires. */
internal object CustomApiNames {
    private val NAME = Regex("[A-Za-z_][A-Za-z0-9_]{0,127}")

    fun isValid(name: String): Boolean = NAME.matches(name)
}
