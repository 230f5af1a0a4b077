package dev.dataverse.emulator.internal.search

import dev.dataverse.emulator.internal.ApiException
import dev.dataverse.emulator.internal.model.ColumnType
import dev.dataverse.emulator.internal.model.MetadataCatalog
import dev.dataverse.emulator.internal.model.TableDefinition
import dev.dataverse.emulator.internal.odata.FilterParser
import dev.dataverse.emulator.internal.records.ColumnValues
import dev.dataverse.emulator.internal.records.RecordFilters
import dev.dataverse.emulator.internal.store.LookupValue
import dev.dataverse.emulator.internal.store.RecordStore
import dev.dataverse.emulator.internal.store.StoredRecord
import dev.dataverse.emulator.internal.work.RequestDeadline
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive

/**
 * The emulator's Dataverse search: query, suggest and autocomplete over the records of the searchable tables, answering
 * with the JSON shapes Learn documents ("Dataverse Search query", "... suggest", "... autocomplete"). Matching is
 * word-based (see [SearchText], [SearchSyntax]); ranking is the emulator's own.
 */
internal class SearchEngine(
    private val catalog: MetadataCatalog,
    private val store: RecordStore,
    val settings: SearchSettings,
    private val excluded: () -> String?,
) {
    private val index = SearchIndex()

    /** One table searched: the columns matched and returned, and the filters of the request that apply to it. */
    private class Scope(val table: TableDefinition, val searchColumns: List<String>, val selectColumns: List<String>, val filter: (StoredRecord) -> Boolean)

    private class Found(val document: SearchDocument, val hits: SearchHits)

    fun query(parameters: SearchParameters): JsonObject {
        val top = parameters.top ?: DEFAULT_TOP
        if (top !in 0..MAX_TOP) throw SearchParameters.invalid("The 'top' parameter must be between 0 and $MAX_TOP.")
        val scopes = scopes(parameters)
        val facets = parameters.facets.map { spec -> SearchFacet.parse(spec) { table, column -> scopes.any { (table == null || it.table.logicalName == table) && it.table.column(column) != null } } }
        val clause = clause(parameters)
        val found = find(scopes, clause)
        val ordered = found.sortedWith(order(parameters.orderBy, scopes))
        val page = ordered.drop(parameters.skip ?: 0).take(top)
        val byTable = scopes.associateBy { it.table.logicalName }
        return answer(
            "Value" to JsonArray(page.map { result(it, byTable.getValue(it.document.table.logicalName)) }),
            "Facets" to JsonObject(facets.associate { it.key to it.compute(found.map(Found::document), ::lookupName) }),
            "QueryContext" to JsonNull,
            "Count" to JsonPrimitive(if (parameters.count) found.size.toLong() else -1L),
        )
    }

    fun suggest(parameters: SearchParameters): JsonObject {
        val top = parameters.top ?: DEFAULT_SUGGEST_TOP
        if (top !in 1..MAX_TOP) throw SearchParameters.invalid("The 'top' parameter must be between 1 and $MAX_TOP.")
        val scopes = scopes(parameters)
        val clause = SearchSyntax.parse(parameters.search, lucene = false, all = true)?.let { asPrefixes(it, if (parameters.fuzzy) 1 else 0) }
        val found = find(scopes, clause).sortedWith(order(parameters.orderBy, scopes)).take(top)
        val byTable = scopes.associateBy { it.table.logicalName }
        return answer(
            "Value" to JsonArray(
                found.map { match ->
                    val scope = byTable.getValue(match.document.table.logicalName)
                    val column = scope.searchColumns.firstOrNull { it in match.hits.spans } ?: scope.table.primaryNameAttribute
                    val text = match.document.text(column).orEmpty()
                    JsonObject(
                        mapOf(
                            "Text" to JsonPrimitive(SearchText.highlight(text, match.hits.spans[column].orEmpty())),
                            "Document" to JsonObject(
                                linkedMapOf<String, JsonElement>(
                                    "@search.objectid" to JsonPrimitive(match.document.record.id.toString()),
                                    "@search.entityname" to JsonPrimitive(scope.table.logicalName),
                                    "@search.objecttypecode" to JsonPrimitive(scope.table.objectTypeCode ?: 0),
                                ) + attributes(match.document, scope),
                            ),
                        ),
                    )
                },
            ),
            "QueryContext" to JsonNull,
        )
    }

    fun autocomplete(parameters: SearchParameters): JsonObject {
        val words = SearchText.tokens(parameters.search).map { it.text }
        val partial = words.lastOrNull() ?: return answer("Value" to JsonNull, "QueryContext" to JsonNull)
        val before = words.dropLast(1)
        val scopes = scopes(parameters)
        val clause = if (before.isEmpty()) null else SearchClause.And(before.map { SearchClause.Term(it) })
        val frequency = HashMap<String, Int>()
        for (match in find(scopes, clause)) {
            val columns = scopes.first { it.table.logicalName == match.document.table.logicalName }.searchColumns
            for (column in columns) {
                for (token in match.document.tokens(column)) {
                    val completes = token.text.startsWith(partial) ||
                        (parameters.fuzzy && SearchText.startsWithinEdits(token.text, partial, 1))
                    if (completes) frequency.merge(token.text, 1, Int::plus)
                }
            }
        }
        val best = frequency.entries.sortedWith(compareByDescending<Map.Entry<String, Int>> { it.value }.thenBy { it.key.length }.thenBy { it.key }).firstOrNull()?.key
        val value = best?.let { (before + "${SearchText.HIT_START}$it${SearchText.HIT_END}").joinToString(" ") }
        return answer("Value" to (value?.let(::JsonPrimitive) ?: JsonNull), "QueryContext" to JsonNull)
    }

    private fun clause(parameters: SearchParameters): SearchClause? = try {
        SearchSyntax.parse(parameters.search, parameters.lucene, parameters.searchModeAll)
    } catch (e: SearchSyntaxException) {
        throw SearchSyntaxError(e.message!!)
    }

    /** Suggest matches what was typed so far: every word may be the start of a longer one. */
    private fun asPrefixes(clause: SearchClause, fuzzy: Int): SearchClause = when (clause) {
        is SearchClause.Term -> clause.copy(prefix = true, fuzzy = fuzzy)
        is SearchClause.And -> SearchClause.And(clause.clauses.map { asPrefixes(it, fuzzy) })
        is SearchClause.Or -> SearchClause.Or(clause.clauses.map { asPrefixes(it, fuzzy) })
        is SearchClause.Not -> SearchClause.Not(asPrefixes(clause.clause, fuzzy))
        else -> clause
    }

    private fun find(scopes: List<Scope>, clause: SearchClause?): List<Found> = scopes.flatMap { scope ->
        val store = store.table(scope.table.logicalName) ?: return@flatMap emptyList()
        val matcher = SearchMatcher(scope.searchColumns)
        index.documents(store).mapNotNull { document ->
            RequestDeadline.check()
            if (!scope.filter(document.record)) return@mapNotNull null
            matcher.match(clause, document)?.let { Found(document, it) }
        }
    }

    private fun scopes(parameters: SearchParameters): List<Scope> {
        val global = parameters.filter?.let { text -> parse(text) }
        val requested = parameters.entities
        val tables = if (requested == null) {
            catalog.tables().filter { settings.isSearchable(it.logicalName) && it.logicalName != excluded() }.map { it to null }
        } else {
            requested.map { entity ->
                val table = catalog.table(entity.name)?.takeIf { settings.isSearchable(it.logicalName) && it.logicalName != excluded() }
                    ?: throw SearchParameters.invalid("The entity '${entity.name}' is not enabled for Dataverse search.")
                table to entity
            }
        }
        return tables.mapNotNull { (table, entity) ->
            fun columns(names: List<String>, what: String) = names.onEach { name ->
                if (table.column(name) == null) throw SearchParameters.invalid("The $what column '$name' does not exist on entity '${table.logicalName}'.")
            }
            val searchColumns = when {
                entity != null && entity.searchColumns.isNotEmpty() -> columns(entity.searchColumns, "search")
                entity != null -> listOf(table.primaryNameAttribute)
                // Stand-in for the table's Quick Find view, which decides the searched columns in the service.
                else -> table.columns.filter { it.type == ColumnType.STRING || it.type == ColumnType.MEMO }.map { it.logicalName }
            }
            val selectColumns = entity?.selectColumns?.takeIf { it.isNotEmpty() }?.let { columns(it, "select") } ?: listOf(table.primaryNameAttribute)
            // Guess: a global filter naming a column a table lacks leaves that table's records out, as a document
            // without the field cannot satisfy the comparison in the index.
            val globalFilter = global?.let { expression -> compileOrNull(table, expression) ?: return@mapNotNull null }
            val entityFilter = entity?.filter?.let { text -> RecordFilters.compile(table, parse(text)) }
            Scope(table, searchColumns, selectColumns) { record -> (globalFilter?.invoke(record) ?: true) && (entityFilter?.invoke(record) ?: true) }
        }
    }

    private fun parse(filter: String) = try {
        FilterParser.parse(filter)
    } catch (e: ApiException) {
        throw SearchParameters.invalid("Invalid filter '$filter': ${e.message}")
    }

    private fun compileOrNull(table: TableDefinition, expression: dev.dataverse.emulator.internal.odata.FilterExpression) = try {
        RecordFilters.compile(table, expression)
    } catch (e: ApiException) {
        null
    }

    private fun order(orderBy: List<String>, scopes: List<Scope>): Comparator<Found> {
        val byRelevance = compareByDescending<Found> { it.hits.score }.thenBy { it.document.table.logicalName }.thenBy { it.document.record.id.toString() }
        if (orderBy.isEmpty()) return byRelevance
        val clauses = orderBy.map { clause ->
            val parts = clause.trim().split(Regex("\\s+"))
            val column = parts[0].lowercase()
            val descending = when (parts.getOrNull(1)?.lowercase()) {
                null, "asc" -> false
                "desc" -> true
                else -> throw SearchParameters.invalid("Invalid orderby clause '$clause'.")
            }
            if (parts.size > 2 || (column != SCORE && scopes.none { it.table.column(column) != null })) {
                throw SearchParameters.invalid("Invalid orderby clause '$clause': '$column' is not a column of the tables searched.")
            }
            val key = compareBy<Found, Comparable<*>?>(SearchValues.ORDER) { found ->
                if (column == SCORE) found.hits.score.toBigDecimal() else SearchValues.comparable(found.document.record[column])
            }
            if (descending) key.reversed() else key
        }
        return clauses.reduce { a, b -> a.then(b) }.then(byRelevance)
    }

    private fun result(found: Found, scope: Scope): JsonObject {
        val document = found.document
        val highlights = found.hits.spans.mapNotNull { (column, spans) ->
            document.text(column)?.let { column to JsonArray(listOf(JsonPrimitive(SearchText.highlight(it, spans)))) }
        }.toMap()
        return JsonObject(
            linkedMapOf(
                "Id" to JsonPrimitive(document.record.id.toString()),
                "EntityName" to JsonPrimitive(document.table.logicalName),
                // As in Learn's example answer: 0 here, the table's type code in the `@search.objecttypecode` attribute.
                "ObjectTypeCode" to JsonPrimitive(0),
                "Attributes" to JsonObject(linkedMapOf<String, JsonElement>("@search.objecttypecode" to JsonPrimitive(scope.table.objectTypeCode ?: 0)) + attributes(document, scope)),
                "Highlights" to JsonObject(highlights),
                "Score" to JsonPrimitive(found.hits.score),
            ),
        )
    }

    private fun attributes(document: SearchDocument, scope: Scope): Map<String, JsonElement> =
        scope.selectColumns.mapNotNull { column -> document.record[column]?.let { column to ColumnValues.toJson(it) } }.toMap()

    private fun lookupName(value: LookupValue): String? {
        val table = catalog.table(value.table) ?: return null
        return store.table(table).get(value.id)?.get(table.primaryNameAttribute) as? String
    }

    private fun answer(vararg fields: Pair<String, JsonElement>): JsonObject = JsonObject(linkedMapOf<String, JsonElement>("Error" to JsonNull) + fields)

    /** Forgets the analysed words of every record. */
    fun clear() = index.clear()

    companion object {
        /** Learn ("skip and top parameters"): up to 50 results by default, at most 100. */
        const val DEFAULT_TOP: Int = 50
        const val MAX_TOP: Int = 100

        /** Learn ("Dataverse Search suggest", top parameter): 5 suggestions by default. */
        const val DEFAULT_SUGGEST_TOP: Int = 5
        private const val SCORE = "@search.score"
    }
}

/** Search text the search service could not parse; answered inside a successful response, as its `Error`. */
internal class SearchSyntaxError(message: String) : RuntimeException(message)
