package dev.dataverse.emulator.internal.options

import dev.dataverse.emulator.internal.http.ApiCall
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.CopyOnWriteArrayList

/**
 * The solution components schema requests created with `MSCRM.SolutionUniqueName`, by solution unique name, so tests can
 * check that schema went into the solution asked for (Learn: "Create and update table definitions using the Web API").
 * Components are named `<kind>:<name>`, e.g. `table:new_product`, `column:new_product.new_price`.
 */
internal class Solutions {
    private val components = ConcurrentHashMap<String, CopyOnWriteArrayList<String>>()

    /** Records the component [kind] [name] in the solution [call] names, if it names one. */
    fun record(call: ApiCall, kind: String, name: String) {
        val solution = call.request.header(HEADER)?.trim()?.takeIf { it.isNotEmpty() } ?: return
        components.computeIfAbsent(solution) { CopyOnWriteArrayList() } += "$kind:$name"
    }

    /** The components of [solution] (matched case-insensitively, as unique names are), in the order they were created. */
    fun components(solution: String): List<String> =
        components.entries.filter { it.key.equals(solution, ignoreCase = true) }.flatMap { it.value }

    /** Every solution that received components, with them. */
    fun all(): Map<String, List<String>> = components.mapValues { it.value.toList() }.toSortedMap()

    fun clear() = components.clear()

    /** Replaces every solution's components with [solutions] (as [all] gives them). */
    fun load(solutions: Map<String, List<String>>) {
        components.clear()
        solutions.forEach { (solution, names) -> components[solution] = CopyOnWriteArrayList(names) }
    }

    companion object {
        const val HEADER: String = "MSCRM.SolutionUniqueName"
    }
}
