package dev.dataverse.internal

import dev.dataverse.ChoiceLabel
import dev.dataverse.InvalidInputException
import dev.dataverse.internal.protocol.Identifiers
import dev.dataverse.internal.protocol.TableName

/**
 * Replaces [ChoiceLabel] values in write payloads by what the service stores: the option value of a choice, state or
 * status column, `true`/`false` for a yes/no column, and comma-separated option values (`"100000000,100000002"`) for a
 * multi-select choice column. The one place every write path (single records, bulk, `$batch`) resolves labels, so all
 * of them accept the same labels and fail the same way, before anything is sent.
 *
 * A payload without labels is returned as it is, without a metadata request.
 */
internal class ChoiceLabels(private val choices: ChoiceCache) {

    /** Whether [values] (top level) hold a [ChoiceLabel]. */
    fun present(values: Map<String, Any?>?): Boolean = values != null && values.values.any { it is ChoiceLabel }

    /**
     * [values] with every label resolved against [table]'s options (validated, lower case).
     *
     * @throws InvalidInputException when a column is not a choice-like column, a label is not one of its options
     * (naming the table, column, label and the labels there are), or a single-choice column gets several labels.
     */
    suspend fun resolve(table: TableName, values: Map<String, Any?>): Map<String, Any?> {
        if (!present(values)) return values
        val resolved = LinkedHashMap<String, Any?>(values.size)
        for ((key, value) in values) {
            resolved[key] = if (value is ChoiceLabel) resolve(table, key, value) else value
        }
        return resolved
    }

    private suspend fun resolve(table: TableName, key: String, label: ChoiceLabel): Any {
        Identifiers.requireColumn(key)
        val column = key.lowercase()
        val (kind, options) = choices.lookup(table, column)
        if (kind == ChoiceCache.Kind.MULTI_SELECT) return label.labels.map { options.valueOf(it) }.distinct().joinToString(",")
        val single = label.labels.singleOrNull() ?: throw InvalidInputException(
            "Column '$column' of table '$table' holds one option, but ${label.labels.size} labels were given: ${label.labels}.",
        )
        val value = options.valueOf(single)
        return if (kind == ChoiceCache.Kind.BOOLEAN) value == 1 else value
    }
}
