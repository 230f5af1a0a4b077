package dev.dataverse.spark.internal

import dev.dataverse.InvalidInputException
import dev.dataverse.spark.DataverseSparkOptions
import java.lang.reflect.Modifier
import java.util.Locale

/**
 * The option names the format accepts, and the refusal of any other with the names it is close to. Pure.
 *
 * Spark hands a data source every option the user set, whatever its name; an option the connector does not know (a JDBC
 * habit such as `numPartitions`, a typo such as `chunksize` for `chunkSize`... which is case-insensitive and so fine) would
 * be ignored without a word and the job would run with the default. So unknown names fail the job before anything is
 * sent. Three families of keys are not the user's and pass: `path`/`paths` (set by `load(path)`), the metadata Spark's
 * session catalog stores with a `USING dataverse` table (`provider`, `owner`, `location`, and the options again, prefixed
 * `option.`), and the options of a token provider (`tokenProvider.*`).
 */
internal object OptionNames {
    /** Every option of [DataverseSparkOptions], lower-cased, with its documented spelling. */
    val known: Map<String, String> = DataverseSparkOptions::class.java.declaredFields
        .filter { Modifier.isStatic(it.modifiers) && it.type == String::class.java && it.name != "INSTANCE" }
        .map { it.get(null) as String }
        .filterNot { it.endsWith(".") }
        .associateBy { it.lowercase(Locale.ROOT) }

    /** Keys Spark adds itself: `load(path)` and `save(path)`. */
    private val SPARK_KEYS = setOf("path", "paths")

    /**
     * Keys Spark's session catalog passes for a table created with `CREATE TABLE ... USING dataverse` (its
     * `V2SessionCatalog` hands the table's properties over, with the `OPTIONS` again under `option.`).
     */
    private val CATALOG_KEYS = setOf(
        "provider", "owner", "location", "comment", "external", "is_managed_location", "collation", "transient_lastddltime",
    )

    /** Whether [options] (lower-cased keys) describe a table of Spark's session catalog: it stores the provider with them. */
    fun fromSessionCatalog(options: Map<String, String>): Boolean =
        options["provider"].equals("dataverse", ignoreCase = true) || options["provider"] == "dev.dataverse.spark.DataverseDataSource"

    /**
     * Refuses the first key of [options] (lower-cased) that is no option of the format.
     *
     * @throws InvalidInputException naming the key and, when there are any, the options it is close to.
     */
    fun requireKnown(options: Map<String, String>, originalNames: Map<String, String>) {
        val catalog = fromSessionCatalog(options)
        for (key in options.keys.sorted()) {
            if (key in known || key in SPARK_KEYS || key.startsWith(PROVIDER_PREFIX)) continue
            if (catalog && (key in CATALOG_KEYS || key.startsWith("option."))) continue
            val name = originalNames[key] ?: key
            val close = suggestions(key)
            throw InvalidInputException(
                "The 'dataverse' format has no option '$name'" +
                    (if (close.isEmpty()) "" else "; did you mean ${close.joinToString(" or ") { "'$it'" }}?") +
                    " Options for a token provider class go under '${DataverseSparkOptions.TOKEN_PROVIDER_PREFIX}'.",
            )
        }
    }

    /** The known options closest to [key]: within a small edit distance, or containing it or contained in it. */
    fun suggestions(key: String): List<String> {
        val lower = key.lowercase(Locale.ROOT)
        return known.entries
            .map { (name, spelling) -> spelling to score(lower, name) }
            .filter { it.second != null }
            .sortedWith(compareBy({ it.second }, { it.first }))
            .take(MAX_SUGGESTIONS)
            .map { it.first }
    }

    private fun score(key: String, name: String): Int? {
        val distance = distance(key, name)
        if (distance <= maxOf(2, name.length / 4)) return distance
        val shorter = minOf(key.length, name.length)
        if (shorter >= MIN_CONTAINED && (key.contains(name) || name.contains(key))) return distance
        return null
    }

    /** Optimal-string-alignment distance: insertions, deletions, substitutions and transpositions of neighbours. */
    fun distance(a: String, b: String): Int {
        val d = Array(a.length + 1) { IntArray(b.length + 1) }
        for (i in 0..a.length) d[i][0] = i
        for (j in 0..b.length) d[0][j] = j
        for (i in 1..a.length) {
            for (j in 1..b.length) {
                val cost = if (a[i - 1] == b[j - 1]) 0 else 1
                d[i][j] = minOf(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = minOf(d[i][j], d[i - 2][j - 2] + 1)
            }
        }
        return d[a.length][b.length]
    }

    private val PROVIDER_PREFIX = DataverseSparkOptions.TOKEN_PROVIDER_PREFIX.lowercase(Locale.ROOT)
    private const val MAX_SUGGESTIONS = 3
    private const val MIN_CONTAINED = 4
}
