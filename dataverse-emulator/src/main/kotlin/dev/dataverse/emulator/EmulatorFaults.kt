package dev.dataverse.emulator

import java.util.Random
import java.util.concurrent.CopyOnWriteArrayList

/**
 * The fault rules of a running [DataverseEmulator] ([DataverseEmulator.faults]): add and remove them at any time,
 * from any thread; they apply to requests that arrive afterwards. It starts with `EmulatorOptions.faults`.
 */
public class EmulatorFaults private constructor(private val seed: Long?, initial: List<FaultRule>) {
    private val rules = CopyOnWriteArrayList(initial)
    private val diceLock = Any()
    private var dice: Random = newDice()

    /** Adds [rule] after the existing rules. */
    public fun add(rule: FaultRule) {
        rules += rule
    }

    /** Removes [rule] (the first equal one); returns whether there was one. */
    public fun remove(rule: FaultRule): Boolean = rules.remove(rule)

    /** Removes every rule: requests are served normally again. */
    public fun clear() {
        rules.clear()
    }

    /** The rules, in the order they are tried. */
    public fun rules(): List<FaultRule> = rules.toList()

    override fun toString(): String = "EmulatorFaults(${rules.toList()})"

    /**
     * The rule that hits a request with [method] on [path], or null: each matching rule in order rolls the dice once,
     * and the first hit wins. Rolls are drawn in request order from the seeded sequence.
     */
    @JvmSynthetic
    internal fun pick(method: String, path: String): FaultRule? {
        val current = rules
        if (current.isEmpty()) return null
        synchronized(diceLock) {
            for (rule in current) {
                if (rule.matches(method, path) && dice.nextDouble() < rule.probability) return rule
            }
        }
        return null
    }

    /** Clears the rules and restarts the random sequence from the seed. */
    @JvmSynthetic
    internal fun reset() {
        synchronized(diceLock) {
            rules.clear()
            dice = newDice()
        }
    }

    /** Replaces the rules with [rules] and restarts the random sequence from the seed (a restored snapshot). */
    @JvmSynthetic
    internal fun load(rules: List<FaultRule>) {
        synchronized(diceLock) {
            this.rules.clear()
            this.rules.addAll(rules)
            dice = newDice()
        }
    }

    private fun newDice(): Random = if (seed != null) Random(seed) else Random()

    internal companion object {
        @JvmSynthetic
        internal operator fun invoke(seed: Long?, initial: List<FaultRule>): EmulatorFaults = EmulatorFaults(seed, initial)
    }
}
