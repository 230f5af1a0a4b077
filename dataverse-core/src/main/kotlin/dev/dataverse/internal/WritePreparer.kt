package dev.dataverse.internal

import dev.dataverse.BatchReference
import dev.dataverse.EntityReference
import dev.dataverse.InvalidInputException
import dev.dataverse.RecordKey
import dev.dataverse.internal.protocol.BulkCodec
import dev.dataverse.internal.protocol.Identifiers
import dev.dataverse.internal.protocol.Payloads
import dev.dataverse.internal.protocol.RequestBody
import dev.dataverse.internal.protocol.TableMetadata
import dev.dataverse.internal.protocol.TableName
import dev.dataverse.internal.protocol.json.JsonWriter
import dev.dataverse.internal.protocol.parseGuidOrNull
import kotlinx.serialization.json.JsonPrimitive
import java.util.UUID

/**
 * The one way a record's values become a request body, for every write path: single writes, bulk actions, `$batch`
 * operations — and so the Spark connector, which writes through bulk. In order:
 *
 * 1. **choice labels** ([dev.dataverse.ChoiceLabel]) become the values the service stores ([ChoiceLabels]);
 * 2. **validate** every key and value ([Payloads]), before any metadata lookup the next step needs;
 * 3. **bind lookups**: each [EntityReference] becomes `<navigation>@odata.bind` with its table's entity set (a batch
 *    operation's [BatchReference] becomes `$n`);
 * 4. **assign the id** of a create the caller did not give one, so that a retry after a dropped connection recognises
 *    its own earlier success as a duplicate of that id instead of creating a second record;
 * 5. **JSON**, written straight to bytes ([JsonWriter]), with what the request form adds: the addressing and
 *    `@odata.type` of a bulk action's target.
 *
 * Bad input fails with [InvalidInputException] before anything is sent.
 */
internal class WritePreparer(private val tables: TableMetadataCache) {
    /**
     * A record write ready to send: its table, the id it writes (a create's assigned id), its body, and its [values]
     * with labels resolved (for a path that sends them again another way: a bulk chunk replayed through `$batch`).
     */
    class Prepared(val table: TableMetadata, val id: UUID?, val body: RequestBody.Bytes, val values: Map<String, Any?>)

    /** Whether the write creates a record (and so gets an id) or changes one (update, upsert: the key addresses it). */
    enum class Kind { CREATE, CHANGE }

    /**
     * How the body is framed. [RECORD]: the record's own body (`POST {set}`, `PATCH {set}(key)`, a `$batch` part).
     * [bulkTarget]: an item of a bulk action's `Targets`, carrying `@odata.type` and the members that address the record.
     */
    class Shape private constructor(val key: RecordKey?, val odataType: Boolean) {
        companion object {
            val RECORD = Shape(null, odataType = false)

            /**
             * A bulk action's target; for an update or upsert, [key] addresses the record ([BulkCodec.addressing]: its
             * primary id and partition, or `@odata.id`), written first.
             */
            fun bulkTarget(key: RecordKey? = null) = Shape(key, odataType = true)
        }
    }

    /**
     * Prepares [values] for [table]: labels, validation, lookups, id, JSON, in that order (see the class). [references]
     * turns a `$batch` operation's [BatchReference] into its `$n`; outside a batch a reference is refused.
     */
    suspend fun prepare(
        table: TableName,
        values: Map<String, Any?>,
        kind: Kind,
        shape: Shape = Shape.RECORD,
        references: ((BatchReference) -> String)? = null,
    ): Prepared {
        val resolved = labels(table, values)
        // Validation comes before any lookup a write needs, so that invalid input sends nothing at all. Encoding checks
        // everything validation does, as it writes: when every lookup is already cached there is nothing to send before
        // the body, and the body is encoded once, which validates it. Otherwise validation runs first, then the lookups.
        val cached = tables.cached(table)
        val bindingOf = if (cached != null) cachedBindings(resolved, references) else null
        if (cached != null && bindingOf != null) {
            encode(cached, resolved, kind, shape, bindingOf, validated = false)?.let { return it }
        }
        val bound = bind(resolved, references)
        return encode(tables.get(table), resolved, kind, shape, bound, validated = true)!!
    }

    /** Steps 1 and 2 for a list validated whole before anything is sent: [values] with labels resolved, checked. */
    suspend fun resolveAndCheck(table: TableName, values: Map<String, Any?>, references: ((BatchReference) -> String)? = null): Map<String, Any?> {
        val resolved = labels(table, values)
        Payloads.validate(resolved, placeholders(references))
        return resolved
    }

    private suspend fun labels(table: TableName, values: Map<String, Any?>): Map<String, Any?> {
        @Suppress("SENSELESS_COMPARISON") // Java callers can pass nulls.
        if (values == null) throw InvalidInputException("'values' cannot be null.")
        return tables.choiceLabels.resolve(table, values)
    }

    /**
     * Steps 2 and 3: checks [values] (nothing is looked up for invalid input), then finds the entity sets of the tables
     * their references point to, and returns how each reference is bound.
     */
    private suspend fun bind(values: Map<String, Any?>, references: ((BatchReference) -> String)?): (Any) -> String? {
        // Before the table's own metadata is looked up (step 4 needs it), so invalid input sends nothing at all.
        Payloads.validate(values, placeholders(references))
        val referenced = Payloads.referencedTables(values)
        if (referenced.isEmpty()) return noReferences(references)
        val entitySets = referenced.associateWith { tables.get(TableName.of(it)).entitySetName }
        return bindings(entitySets, references)
    }

    /**
     * Step 3 without validation or lookups: how each reference is bound when the entity sets of every table [values]
     * refer to are cached; `null` when one is not, or when the values are too malformed to say which tables they refer to.
     */
    private fun cachedBindings(values: Map<String, Any?>, references: ((BatchReference) -> String)?): ((Any) -> String?)? {
        val referenced = try {
            Payloads.referencedTables(values)
        } catch (e: InvalidInputException) {
            return null
        }
        if (referenced.isEmpty()) return noReferences(references)
        val entitySets = HashMap<String, String>(referenced.size * 2)
        for (name in referenced) {
            val tableName = try {
                TableName.of(name)
            } catch (e: InvalidInputException) {
                return null
            }
            entitySets[name] = tables.cached(tableName)?.entitySetName ?: return null
        }
        return bindings(entitySets, references)
    }

    private fun noReferences(references: ((BatchReference) -> String)?): (Any) -> String? =
        references?.let { batch -> { value -> (value as? BatchReference)?.let(batch) } } ?: NO_BINDINGS

    private fun bindings(entitySets: Map<String, String>, references: ((BatchReference) -> String)?): (Any) -> String? = { value ->
        when (value) {
            is EntityReference -> "/${entitySets.getValue(value.table.lowercase())}(${value.id})"
            is BatchReference -> references?.invoke(value)
            else -> null
        }
    }

    /**
     * Steps 4 and 5. Not [validated] yet, the encoding is the validation, and `null` is returned when it cannot be: when
     * a member the request form adds replaces one of [values] (a bulk target's addressing), whose value the body would
     * not show.
     */
    private fun encode(table: TableMetadata, values: Map<String, Any?>, kind: Kind, shape: Shape, bindingOf: (Any) -> String?, validated: Boolean): Prepared? {
        var id: UUID? = null
        var extras = shape.key?.let { BulkCodec.addressing(table, it) } ?: emptyMap()
        if (kind == Kind.CREATE) {
            val primaryId = table.primaryIdAttribute
            id = givenId(values[primaryId], primaryId)
            if (id == null) {
                id = UUID.randomUUID()
                extras = LinkedHashMap<String, Any?>(extras).apply { put(primaryId, id) }
            }
        }
        if (shape.odataType) extras = LinkedHashMap<String, Any?>(extras).apply { put(ODATA_TYPE, "Microsoft.Dynamics.CRM.${table.logicalName}") }
        if (!validated && extras.keys.any { values.containsKey(it) }) return null
        val writer = JsonWriter(INITIAL_BODY + values.size * MEMBER_ESTIMATE)
        writer.beginObject()
        Payloads.writeMembers(writer, values, bindingOf, replace = extras)
        for ((key, value) in extras) {
            if (!values.containsKey(key)) Payloads.writeMembers(writer, mapOf(key to value), NO_BINDINGS)
        }
        writer.endObject()
        return Prepared(table, id, writer.toBody(), values)
    }

    /**
     * The id a create's values give their record: a GUID (as a [UUID], or as text) in the primary id column. `null` when
     * they give none (absent, null, not text), and the client assigns one; text that is no GUID is refused.
     */
    private fun givenId(value: Any?, primaryId: String): UUID? {
        val text = when (value) {
            is UUID -> return value
            is String -> value
            is Char -> value.toString()
            is JsonPrimitive -> value.takeIf { it.isString }?.content ?: return null
            else -> return null
        }
        return parseGuidOrNull(text) ?: throw InvalidInputException("Column '$primaryId' must be a GUID, but was ${Identifiers.quote(text)}.")
    }

    private companion object {
        const val ODATA_TYPE = "@odata.type"
        const val INITIAL_BODY = 64
        const val MEMBER_ESTIMATE = 48
        val NO_BINDINGS: (Any) -> String? = { null }

        /** Bindings for validation only: references are checked for where they stand, not resolved. */
        fun placeholders(references: ((BatchReference) -> String)?): (Any) -> String? = { value ->
            when (value) {
                is EntityReference -> "/x(${value.id})"
                is BatchReference -> references?.invoke(value)
                else -> null
            }
        }
    }
}
