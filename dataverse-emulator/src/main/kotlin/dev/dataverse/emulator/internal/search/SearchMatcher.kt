package dev.dataverse.emulator.internal.search

import kotlin.math.ln

/** What a clause matched in one document: the spans to highlight, by column, and a relevance score. */
internal class SearchHits(val score: Double = 0.0, val spans: Map<String, List<IntRange>> = emptyMap()) {
    operator fun plus(other: SearchHits): SearchHits {
        val merged = LinkedHashMap<String, List<IntRange>>(spans)
        other.spans.forEach { (column, ranges) -> merged[column] = merged[column].orEmpty() + ranges }
        return SearchHits(score + other.score, merged)
    }
}

/**
 * Evaluates a [SearchClause] against a document's searched columns. Scores add up one plus the log of the number of
 * occurrences per matched word, times its boost: enough to rank documents that match more, and more often, first;
 * the service's ranking is not reproduced.
 */
internal class SearchMatcher(private val columns: List<String>) {
    fun match(clause: SearchClause?, document: SearchDocument): SearchHits? = if (clause == null) SearchHits(1.0) else eval(clause, document)

    private fun eval(clause: SearchClause, document: SearchDocument): SearchHits? = when (clause) {
        is SearchClause.Term -> words(document, clause.field, clause.boost) { token ->
            when {
                clause.prefix -> token.startsWith(clause.text) ||
                    (clause.fuzzy > 0 && SearchText.startsWithinEdits(token, clause.text, clause.fuzzy))
                clause.fuzzy > 0 -> SearchText.withinEdits(token, clause.text, clause.fuzzy)
                else -> token == clause.text
            }
        }
        is SearchClause.Pattern -> words(document, clause.field, 1.0) { clause.regex.matches(it) }
        is SearchClause.Phrase -> phrase(clause, document)
        is SearchClause.And -> clause.clauses.fold(SearchHits() as SearchHits?) { hits, part -> hits?.let { found -> eval(part, document)?.let { found + it } } }
        is SearchClause.Or -> clause.clauses.mapNotNull { eval(it, document) }.takeIf { it.isNotEmpty() }?.reduce(SearchHits::plus)
        is SearchClause.Not -> if (eval(clause.clause, document) == null) SearchHits() else null
    }

    private fun searched(field: String?): List<String> = if (field == null) columns else columns.filter { it == field }

    private inline fun words(document: SearchDocument, field: String?, boost: Double, matches: (String) -> Boolean): SearchHits? {
        var count = 0
        val spans = LinkedHashMap<String, List<IntRange>>()
        for (column in searched(field)) {
            val found = document.tokens(column).filter { matches(it.text) }
            if (found.isEmpty()) continue
            count += found.size
            spans[column] = found.map { it.start until it.end }
        }
        return if (count == 0) null else SearchHits(boost * (1 + ln(count.toDouble())), spans)
    }

    private fun phrase(clause: SearchClause.Phrase, document: SearchDocument): SearchHits? {
        var count = 0
        val spans = LinkedHashMap<String, List<IntRange>>()
        for (column in searched(clause.field)) {
            val tokens = document.tokens(column)
            val found = (0..tokens.size - clause.words.size).filter { start ->
                clause.words.indices.all { tokens[start + it].text == clause.words[it] }
            }
            if (found.isEmpty()) continue
            count += found.size
            spans[column] = found.map { tokens[it].start until tokens[it + clause.words.size - 1].end }
        }
        return if (count == 0) null else SearchHits(clause.boost * clause.words.size * (1 + ln(count.toDouble())), spans)
    }
}
