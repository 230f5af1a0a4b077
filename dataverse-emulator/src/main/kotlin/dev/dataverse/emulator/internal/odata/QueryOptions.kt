package dev.dataverse.emulator.internal.odata

import dev.dataverse.emulator.internal.ApiErrors

/** One `$orderby` item. */
internal data class OrderByItem(val property: String, val descending: Boolean)

/** One `$expand` item with its nested options (`primarycontactid($select=fullname)`). */
internal data class ExpandItem(val navigation: String, val options: QueryOptions)

/** The system query options of a request, parsed but not yet checked against a table. */
internal data class QueryOptions(
    val select: List<String>? = null,
    val filter: FilterExpression? = null,
    val orderBy: List<OrderByItem> = emptyList(),
    val top: Int? = null,
    val count: Boolean = false,
    val expand: List<ExpandItem> = emptyList(),
    val skipToken: String? = null,
) {
    companion object {
        /** Options valid on a collection of records. */
        val COLLECTION: Set<String> = setOf("\$select", "\$filter", "\$orderby", "\$top", "\$count", "\$expand", "\$skiptoken")

        /** Options valid on a single record. */
        val SINGLE: Set<String> = setOf("\$select", "\$expand")

        /**
         * Options valid inside `$expand(...)`. A nested `$expand` is allowed (Learn: "Join tables using OData", Nested
         * expand of single-valued navigation properties); which options suit which navigation property is checked
         * against the table (`Projection`).
         */
        val NESTED: Set<String> = setOf("\$select", "\$filter", "\$orderby", "\$top", "\$expand")

        /** Learn ("Join tables using OData"): "You can include up to 15 `$expand` options in a query." */
        const val MAX_EXPAND_OPTIONS: Int = 15

        private val UNSUPPORTED = mapOf(
            "\$skip" to "The query parameter \$skip is not supported. Use the @odata.nextLink of the response to page.",
            "\$apply" to "The query parameter \$apply is not supported by the emulator.",
            "\$search" to "The query parameter \$search is not supported by the emulator.",
            "\$compute" to "The query parameter \$compute is not supported by the emulator.",
            "\$levels" to "The query parameter \$levels is not supported by the emulator.",
            "\$format" to "The query parameter \$format is not supported; only JSON is returned.",
            // Entity-set collections answer these before parsing options; everywhere else they cannot be honoured.
            "fetchxml" to "The fetchXml query option is not supported on this resource.",
            "sql" to "The sql query option is not supported on this resource.",
        )

        /**
         * Parses [parameters] (decoded name to value), accepting only the options in [allowed];
         * parameters not starting with `$` are ignored unless the emulator knows it cannot honour them.
         */
        fun parse(parameters: List<QueryParameter>, allowed: Set<String>): QueryOptions =
            parse(parameters.associate { it.name.lowercase() to it.value }, allowed, ExpandCount())

        private fun parse(options: Map<String, String>, allowed: Set<String>, expands: ExpandCount): QueryOptions {
            for (name in options.keys) {
                UNSUPPORTED[name]?.let { throw ApiErrors.badRequest(it) }
                if (name.startsWith("$") && name !in allowed) {
                    val known = name in COLLECTION
                    throw ApiErrors.badRequest(
                        if (known) "The query option '$name' is not allowed on this resource." else "The query parameter '$name' is not supported.",
                    )
                }
            }
            return QueryOptions(
                select = options["\$select"]?.let(::parseSelect),
                filter = options["\$filter"]?.let(FilterParser::parse),
                orderBy = options["\$orderby"]?.let(::parseOrderBy).orEmpty(),
                top = options["\$top"]?.let(::parseTop),
                count = options["\$count"]?.let(::parseCount) ?: false,
                expand = options["\$expand"]?.let { parseExpand(it, expands) }.orEmpty(),
                skipToken = options["\$skiptoken"],
            )
        }

        /** `name,revenue` to its names; `*` means every column (null). */
        fun parseSelect(text: String): List<String>? {
            val names = text.split(',').map { it.trim() }
            if (names.any { it.isEmpty() }) throw ApiErrors.badRequest("The \$select value '$text' is not valid: it has an empty item.")
            return if (names == listOf("*")) null else names
        }

        private fun parseOrderBy(text: String): List<OrderByItem> = text.split(',').map { item ->
            val words = item.trim().split(Regex("\\s+"))
            val direction = words.getOrNull(1)
            if (words[0].isEmpty() || words.size > 2 || (direction != null && direction != "asc" && direction != "desc")) {
                throw ApiErrors.badRequest("The \$orderby item '${item.trim()}' is not valid: expected '<property> [asc|desc]'.")
            }
            OrderByItem(words[0], descending = direction == "desc")
        }

        private fun parseTop(text: String): Int =
            text.trim().toIntOrNull()?.takeIf { it >= 0 }
                ?: throw ApiErrors.badRequest("Invalid value '$text' for \$top: expected a non-negative integer.")

        private fun parseCount(text: String): Boolean = when (text.trim()) {
            "true" -> true
            "false" -> false
            else -> throw ApiErrors.badRequest("Invalid value '$text' for \$count: expected true or false.")
        }

        /**
         * The items of [text], counting each (nested ones too) in [expands]: the count is refused past
         * [MAX_EXPAND_OPTIONS] before a nested item is parsed, which also bounds how deep the parse recurses.
         */
        private fun parseExpand(text: String, expands: ExpandCount): List<ExpandItem> =
            RequestTarget.splitOutsideQuotes(text, ',').map { it.trim() }.map { item ->
                if (item.isEmpty() || item == "*") throw ApiErrors.badRequest("The \$expand item '$item' is not supported: name each navigation property.")
                expands.add()
                val open = item.indexOf('(')
                if (open < 0) return@map ExpandItem(item, QueryOptions())
                if (!item.endsWith(")")) throw ApiErrors.badRequest("The \$expand item '$item' is not valid: missing ')'.")
                val nested = RequestTarget.splitOutsideQuotes(item.substring(open + 1, item.length - 1), ';')
                    .filter { it.isNotBlank() }
                    .associate { it.substringBefore('=').trim().lowercase() to it.substringAfter('=', "").trim() }
                ExpandItem(item.substring(0, open).trim(), parse(nested, NESTED, expands))
            }
    }

    /** The `$expand` options of one query, at every level. */
    private class ExpandCount {
        private var count = 0

        fun add() {
            if (++count > QueryOptions.MAX_EXPAND_OPTIONS) throw tooManyExpands()
        }
    }
}

/**
 * A query with more `$expand` options than the service allows. The limit is documented (Learn: "Join tables using
 * OData"), the service's error for it is not: the code is the generic OData query error, a guess clients must not key on.
 */
internal fun tooManyExpands() = ApiErrors.badRequest(
    "The query has more than ${QueryOptions.MAX_EXPAND_OPTIONS} \$expand options; a query can include up to ${QueryOptions.MAX_EXPAND_OPTIONS}.",
)
