package dev.dataverse.emulator.internal.messages

import dev.dataverse.emulator.CustomApiBindingType
import java.util.concurrent.ConcurrentHashMap

/**
 * The messages the emulator serves, by unique name (case-sensitive, as the service's resource names are). Standard
 * messages are always there; custom APIs come and go through the embedding and admin APIs.
 */
internal class MessageRegistry {
    private val standard = StandardMessages.all().associateBy { it.name }
    private val custom = ConcurrentHashMap<String, MessageDefinition>()

    /** The message [name] unbound, or bound to [table] (collection-bound when [record] is false). */
    fun find(name: String, table: String?, record: Boolean): MessageDefinition? {
        val definition = custom[name] ?: standard[name] ?: return null
        val expected = when {
            table == null -> CustomApiBindingType.GLOBAL
            record -> CustomApiBindingType.ENTITY
            else -> CustomApiBindingType.ENTITY_COLLECTION
        }
        if (definition.bindingType != expected) return null
        return definition.takeIf { table == null || it.boundTable.equals(table, ignoreCase = true) }
    }

    /** Called after the custom APIs changed, to bring the `customapis` tables up to date. */
    @Volatile
    var onChange: () -> Unit = {}

    fun register(definition: MessageDefinition) {
        require(definition.name !in standard) { "'${definition.name}' is a standard message the emulator serves already." }
        custom[definition.name] = definition
        onChange()
    }

    fun unregister(name: String): Boolean = (custom.remove(name) != null).also { if (it) onChange() }

    /** Whether [name] is a standard message. */
    fun isStandard(name: String): Boolean = name in standard

    fun customNames(): List<String> = custom.keys.sorted()

    /** The registered custom APIs by name, as a copy. */
    fun customApis(): Map<String, MessageDefinition> = HashMap(custom)

    /** Replaces the registered custom APIs with [apis]. */
    fun load(apis: Map<String, MessageDefinition>) {
        custom.keys.retainAll(apis.keys)
        custom.putAll(apis)
        onChange()
    }
}
