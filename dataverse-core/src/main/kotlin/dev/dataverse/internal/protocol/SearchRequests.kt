package dev.dataverse.internal.protocol

import dev.dataverse.InvalidInputException
import dev.dataverse.SearchAutocompleteQuery
import dev.dataverse.SearchEntity
import dev.dataverse.SearchQuery
import dev.dataverse.SearchSuggestQuery
import io.ktor.http.HttpMethod
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonObjectBuilder
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.put

/**
 * Validation and request bodies of the search 2.0 endpoint (Learn: "Dataverse Search query", "... suggest",
 * "... autocomplete"). The service takes `entities`, `facets`, `orderby` and `options` as strings holding JSON, as the
 * Learn examples send them; every other parameter is a plain JSON value. Pure: no I/O.
 */
internal object SearchRequests {
    /** Path of the native search endpoint under the environment URL. */
    const val PATH: String = "/api/search/v2.0/"

    private val ORDER_BY = Regex("(@search\\.score|[A-Za-z_][A-Za-z0-9_]{0,127})(?: +(asc|desc))?", RegexOption.IGNORE_CASE)

    /** A facet field: `entityname`, a column, or `table:column`. */
    private val FACET_FIELD = Regex("(?:[A-Za-z_][A-Za-z0-9_]{0,127}:)?[A-Za-z_@][A-Za-z0-9_.]{0,127}")
    private val FACET_SORTS = setOf("count", "-count", "value", "-value")
    private val INTERVAL_UNITS = setOf("minute", "hour", "day", "week", "month", "quarter", "year")
    private val TIME_OFFSET = Regex("[+-]\\d{2}(?::?\\d{2})?")

    /** Learn (query, search parameter): `+ - & | ! ( ) { } [ ] ^ " ~ * ? : \ /` must be escaped to be searched for. */
    private const val SPECIAL = "+-&|!(){}[]^\"~*?:\\/"

    fun escape(text: String): String {
        @Suppress("SENSELESS_COMPARISON") // Java callers can pass nulls.
        if (text == null) throw InvalidInputException("'text' cannot be null.")
        return buildString { text.forEach { if (it in SPECIAL) append('\\'); append(it) } }
    }

    fun requireSearch(search: String, minLength: Int) {
        @Suppress("SENSELESS_COMPARISON")
        if (search == null || search.isBlank()) throw InvalidInputException("'search' cannot be blank: give the text to search for.")
        if (search.length !in minLength..SearchQuery.MAX_SEARCH_LENGTH) {
            throw InvalidInputException(
                "'search' must be $minLength to ${SearchQuery.MAX_SEARCH_LENGTH} characters long, but has ${search.length}.",
            )
        }
    }

    fun requireTable(name: String): String = Identifiers.requireTable(name)

    fun columns(columns: List<String>, what: String): List<String> {
        @Suppress("SENSELESS_COMPARISON")
        if (columns == null) throw InvalidInputException("'$what' cannot be null.")
        columns.forEach { Identifiers.requireColumn(it, what.removeSuffix("s").removeSuffix("Column") + " column") }
        return columns.map { it.lowercase() }.distinct()
    }

    fun requireFilter(filter: String?, what: String) {
        if (filter != null && filter.isBlank()) throw InvalidInputException("'$what' cannot be blank: pass null for no filter.")
    }

    fun requireEntities(entities: List<SearchEntity>) {
        @Suppress("SENSELESS_COMPARISON")
        if (entities.any { it == null }) throw InvalidInputException("'entities' cannot hold null.")
        val repeated = entities.groupBy { it.name }.filterValues { it.size > 1 }.keys
        if (repeated.isNotEmpty()) throw InvalidInputException("'entities' names table(s) $repeated more than once.")
    }

    fun requireOrderBy(clauses: List<String>) {
        clauses.forEach { clause ->
            @Suppress("SENSELESS_COMPARISON")
            if (clause == null || !ORDER_BY.matches(clause.trim())) {
                throw InvalidInputException(
                    "Invalid orderBy clause ${Identifiers.quote(clause)}: expected a column or '@search.score', optionally followed by 'asc' or 'desc'.",
                )
            }
        }
    }

    /** Learn (query, facets parameter): `field[,name:value]*`; count/sort exclude values/interval, which exclude each other. */
    fun requireFacets(facets: List<String>) {
        for (facet in facets) {
            @Suppress("SENSELESS_COMPARISON")
            if (facet == null || facet.isBlank()) throw InvalidInputException("'facets' cannot hold a blank facet.")
            val parts = facet.split(',').map { it.trim() }
            fun invalid(why: String): Nothing = throw InvalidInputException("Invalid facet ${Identifiers.quote(facet)}: $why.")
            if (!FACET_FIELD.matches(parts[0])) invalid("expected a field such as 'entityname' or 'account:primarycontactid' first")
            val params = LinkedHashMap<String, String>()
            for (part in parts.drop(1)) {
                val name = part.substringBefore(':', "").trim().lowercase()
                val value = part.substringAfter(':', "").trim()
                if (name.isEmpty() || value.isEmpty()) invalid("expected 'name:value' parameters after the field, found ${Identifiers.quote(part)}")
                if (params.put(name, value) != null) invalid("parameter '$name' is given twice")
                when (name) {
                    "count" -> if ((value.toIntOrNull() ?: 0) < 1) invalid("'count' must be a positive number")
                    "sort" -> if (value !in FACET_SORTS) invalid("'sort' must be one of $FACET_SORTS")
                    "values" -> if (value.split('|').any { it.isBlank() }) invalid("'values' must be pipe-separated values")
                    "interval" -> if (value.lowercase() !in INTERVAL_UNITS && (value.toLongOrNull() ?: 0) < 1) {
                        invalid("'interval' must be a positive number or one of $INTERVAL_UNITS")
                    }
                    "timeoffset" -> if (!TIME_OFFSET.matches(value)) invalid("'timeoffset' must be [+-]hh:mm, [+-]hhmm or [+-]hh")
                    else -> invalid("unknown parameter '$name' (expected count, sort, values, interval or timeoffset)")
                }
            }
            val ranges = params.keys.intersect(setOf("values", "interval"))
            if (ranges.isNotEmpty() && params.keys.any { it == "count" || it == "sort" }) invalid("'count' and 'sort' cannot be combined with 'values' or 'interval'")
            if (ranges.size > 1) invalid("'values' and 'interval' cannot be combined")
            if ("timeoffset" in params && "interval" !in params) invalid("'timeoffset' needs 'interval'")
        }
    }

    /**
     * `POST {environment}/api/search/v2.0/query` (and `suggest`, `autocomplete`) with the query as JSON. A search only
     * reads: sending it again after a failure in flight cannot change anything. The endpoint lives outside the Web API
     * root: the URL is absolute, on [environmentUrl], which the origin guard accepts on this environment only.
     */
    fun query(environmentUrl: String, query: SearchQuery): ApiRequest = post(environmentUrl, "query", queryBody(query))

    fun suggest(environmentUrl: String, query: SearchSuggestQuery): ApiRequest = post(environmentUrl, "suggest", suggestBody(query))

    fun autocomplete(environmentUrl: String, query: SearchAutocompleteQuery): ApiRequest =
        post(environmentUrl, "autocomplete", autocompleteBody(query))

    private fun post(environmentUrl: String, operation: String, body: String): ApiRequest =
        ApiRequest(HttpMethod.Post, environmentUrl + PATH + operation, body = RequestBody.json(body), idempotent = true)

    fun queryBody(query: SearchQuery): String = buildJsonObject {
        scope(query.search, query.entities, query.filter)
        if (query.facets.isNotEmpty()) put("facets", stringArray(query.facets))
        orderBy(query.orderBy)
        if (query.count) put("count", true)
        query.top?.let { put("top", it) }
        query.skip?.let { put("skip", it) }
        options(
            "querytype" to query.queryType?.name?.lowercase(),
            "searchmode" to query.searchMode?.name?.lowercase(),
            "besteffortsearchenabled" to query.bestEffortSearch?.toString(),
            // Guess: Learn's options table names this `groupranking`, its example string `grouprankingenabled`; the
            // example's form (`...enabled`, like `besteffortsearchenabled`) is the one sent.
            "grouprankingenabled" to query.groupRanking?.toString(),
        )?.let { put("options", it) }
    }.toString()

    fun suggestBody(query: SearchSuggestQuery): String = buildJsonObject {
        scope(query.search, query.entities, query.filter)
        if (query.fuzzy) put("fuzzy", true)
        orderBy(query.orderBy)
        query.top?.let { put("top", it) }
        options("advancedsuggestenabled" to query.advancedSuggest?.toString())?.let { put("options", it) }
    }.toString()

    fun autocompleteBody(query: SearchAutocompleteQuery): String = buildJsonObject {
        scope(query.search, query.entities, query.filter)
        if (query.fuzzy) put("fuzzy", true)
    }.toString()

    /** The parameters every operation takes: the text, the tables searched and the global filter. */
    private fun JsonObjectBuilder.scope(search: String, tables: List<SearchEntity>, filter: String?) {
        put("search", search)
        entities(tables)?.let { put("entities", it) }
        filter?.let { put("filter", it) }
    }

    /** `orderby` as the JSON array string of Learn's query example, when there is an order. */
    private fun JsonObjectBuilder.orderBy(clauses: List<String>) {
        if (clauses.isNotEmpty()) put("orderby", stringArray(clauses.map { it.trim() }))
    }

    /** The `entities` string: a JSON array of SearchEntity objects, with the field names of Learn's parameter table. */
    private fun entities(entities: List<SearchEntity>): String? = entities.takeIf { it.isNotEmpty() }?.let { list ->
        JsonArray(
            list.map { entity ->
                buildJsonObject {
                    put("name", entity.name)
                    if (entity.selectColumns.isNotEmpty()) put("selectColumns", JsonArray(entity.selectColumns.map(::JsonPrimitive)))
                    if (entity.searchColumns.isNotEmpty()) put("searchColumns", JsonArray(entity.searchColumns.map(::JsonPrimitive)))
                    entity.filter?.let { put("filter", it) }
                }
            },
        ).toString()
    }

    private fun stringArray(values: List<String>): String = JsonArray(values.map(::JsonPrimitive)).toString()

    /** The `options` string: a JSON object of string values, as Learn's example dictionary; `null` when none is set. */
    private fun options(vararg options: Pair<String, String?>): String? {
        val set = options.filter { it.second != null }
        if (set.isEmpty()) return null
        return JsonObject(set.associate { (name, value) -> name to JsonPrimitive(value) }).toString()
    }
}
