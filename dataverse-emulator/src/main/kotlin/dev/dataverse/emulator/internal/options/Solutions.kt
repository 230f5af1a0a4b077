package dev.dataverse.emulator.internal.options

import dev.dataverse.emulator.internal.ApiException
import dev.dataverse.emulator.internal.ErrorCodes
import dev.dataverse.emulator.internal.http.ApiCall
import java.util.Locale
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.CopyOnWriteArrayList

/**
 * The solutions the emulator has, and the components schema requests created in them with `MSCRM.SolutionUniqueName`,
 * so tests can check that schema went into the solution asked for (Learn: "Create and update table definitions using the
 * Web API"). Components are named `<kind>:<name>`, e.g. `table:new_product`, `column:new_product.new_price`.
 *
 * The emulator has the default solution (unique name `Default`) and the unmanaged solutions it was told about
 * (`EmulatorOptions.solutions`, `DataverseEmulator.addSolution`); a schema request naming another one is refused before
 * it changes anything, as the service refuses a solution that does not exist, and a name breaking the service's rule for
 * unique names with its InvalidSolutionUniqueName error. Unique names are matched ignoring case.
 */
internal class Solutions(initial: Set<String>) {
    private val known = ConcurrentHashMap<String, String>()
    private val components = ConcurrentHashMap<String, CopyOnWriteArrayList<String>>()

    init {
        add(DEFAULT)
        initial.forEach(::add)
    }

    /** Adds the unmanaged solution [uniqueName]; false when the emulator already has it. */
    fun add(uniqueName: String): Boolean {
        require(SolutionNames.isValid(uniqueName)) { "'$uniqueName' is not a solution unique name (${SolutionNames.RULE})" }
        return known.putIfAbsent(key(uniqueName), uniqueName) == null
    }

    /** The unique names of the solutions the emulator has, `Default` included, sorted ignoring case. */
    fun names(): List<String> = known.values.sortedWith(String.CASE_INSENSITIVE_ORDER)

    /**
     * The solution [call] names, as the emulator knows it, or null when it names none. Throws the service's error for a
     * malformed name (400, InvalidSolutionUniqueName `0x8004F002`, Learn's message) or one the emulator does not have
     * (404 with the not-found code `0x80040217`: a guess, as Learn documents no error for it; clients must not key on it),
     * which a name longer than any solution's (65 characters) is too.
     */
    fun target(call: ApiCall): String? {
        val name = call.request.header(HEADER)?.trim()?.takeIf { it.isNotEmpty() } ?: return null
        if (!SolutionNames.hasValidCharacters(name)) {
            throw ApiException(
                400, INVALID_SOLUTION_UNIQUE_NAME,
                "Invalid character specified for solution unique name. Only characters within the ranges [A-Z], [a-z], [0-9] or _ " +
                    "are allowed. The first character may only be in the ranges [A-Z], [a-z] or _.",
            )
        }
        return known[key(name)] ?: throw ApiException(404, ErrorCodes.RECORD_NOT_FOUND, "solution With UniqueName = '$name' Does Not Exist")
    }

    /** Records the component [kind] [name] in the solution [call] names, if it names one. */
    fun record(call: ApiCall, kind: String, name: String) {
        val solution = target(call) ?: return
        components.computeIfAbsent(solution) { CopyOnWriteArrayList() } += "$kind:$name"
    }

    /** The components of [solution] (matched case-insensitively, as unique names are), in the order they were created. */
    fun components(solution: String): List<String> =
        components.entries.filter { it.key.equals(solution, ignoreCase = true) }.flatMap { it.value }

    /** Every solution that received components, with them. */
    fun all(): Map<String, List<String>> = components.mapValues { it.value.toList() }.toSortedMap()

    fun clear() = components.clear()

    /** Replaces the solutions with [names] and every solution's components with [solutions] (as [names] and [all] give them). */
    fun load(names: List<String>, solutions: Map<String, List<String>>) {
        known.clear()
        add(DEFAULT)
        names.forEach(::add)
        components.clear()
        solutions.forEach { (solution, parts) -> components[solution] = CopyOnWriteArrayList(parts) }
    }

    private fun key(name: String): String = name.lowercase(Locale.ROOT)

    companion object {
        const val HEADER: String = "MSCRM.SolutionUniqueName"

        /** The unique name of the default solution, which every environment has. */
        const val DEFAULT: String = "Default"

        /** Learn (reference/web-service-error-codes): InvalidSolutionUniqueName. */
        const val INVALID_SOLUTION_UNIQUE_NAME: String = "0x8004F002"
    }
}
