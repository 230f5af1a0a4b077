package dev.dataverse.internal.protocol

import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive

/**
 * The tables of expanded records carried as annotations inside their nested objects, so that a record written out
 * (`dataverse-jackson`) and read back with [dev.dataverse.DataverseRecord.fromJson] keeps them: the service's JSON has
 * no such annotation, and the client otherwise learns the tables from relationship metadata before the read.
 */
internal object NestedTables {
    const val TABLE = "@dataverse.table"
    const val PRIMARY_ID_COLUMN = "@dataverse.primaryidcolumn"

    /** [record]'s columns without the annotations of its nested objects, and the expand targets they named. */
    fun read(record: JsonObject): Pair<JsonObject, Map<String, ExpandTarget>> {
        // The common case, a record with no annotated nested object, keeps its object as it is.
        if (record.values.none(::annotated)) return record to emptyMap()
        val targets = LinkedHashMap<String, ExpandTarget>()
        val columns = LinkedHashMap<String, JsonElement>(record.size)
        for ((name, value) in record) {
            columns[name] = when (value) {
                is JsonObject -> nested(value).also { (_, target) -> target?.let { targets[name] = it } }.first
                is JsonArray -> {
                    var first: ExpandTarget? = null
                    JsonArray(
                        value.map { item ->
                            if (item !is JsonObject) return@map item
                            val (stripped, target) = nested(item)
                            if (first == null) first = target
                            stripped
                        },
                    ).also { first?.let { targets[name] = it } }
                }
                else -> value
            }
        }
        return JsonObject(columns) to targets
    }

    private fun annotated(value: JsonElement): Boolean = when (value) {
        is JsonObject -> TABLE in value || PRIMARY_ID_COLUMN in value || value.values.any(::annotated)
        is JsonArray -> value.any(::annotated)
        else -> false
    }

    /** A nested object without this library's annotations, and the target they name (none without a table). */
    private fun nested(value: JsonObject): Pair<JsonObject, ExpandTarget?> {
        val table = string(value[TABLE])?.let { Identifiers.requireTable(it) }
        val idColumn = string(value[PRIMARY_ID_COLUMN])?.also { Identifiers.requireColumn(it, "primary id column") }
        val (columns, inner) = read(JsonObject(value - TABLE - PRIMARY_ID_COLUMN))
        return columns to table?.let { ExpandTarget(it, idColumn, inner) }
    }

    private fun string(value: JsonElement?): String? = (value as? JsonPrimitive)?.takeIf { it.isString }?.content
}
