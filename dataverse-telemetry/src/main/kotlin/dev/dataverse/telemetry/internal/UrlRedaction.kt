package dev.dataverse.telemetry.internal

/**
 * The URL of a request as telemetry may carry it. Query values (filters, FetchXML, SQL) and alternate-key values in the
 * path are record data, so each value becomes `REDACTED` while names stay: `accounts(accountnumber='A-1')?$filter=x`
 * becomes `accounts(accountnumber=REDACTED)?$filter=REDACTED`. Record ids (GUIDs) stay: they identify, they are not data.
 * The OpenTelemetry conventions ask for redaction of sensitive query values in `url.full`; here every value is sensitive.
 */
internal object UrlRedaction {
    const val REDACTED = "REDACTED"
    private val GUID = Regex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")

    fun redact(url: String): String {
        val withoutFragment = url.substringBefore('#')
        val queryStart = withoutFragment.indexOf('?')
        val path = if (queryStart < 0) withoutFragment else withoutFragment.substring(0, queryStart)
        val out = StringBuilder(url.length)
        redactPath(path, out)
        if (queryStart >= 0) {
            out.append('?')
            withoutFragment.substring(queryStart + 1).split('&').forEachIndexed { index, pair ->
                if (index > 0) out.append('&')
                val eq = pair.indexOf('=')
                if (eq < 0) out.append(pair) else out.append(pair, 0, eq + 1).append(REDACTED)
            }
        }
        return out.toString()
    }

    /** Copies [path], replacing each value inside parentheses (key predicates, function parameters) unless it is a GUID. */
    private fun redactPath(path: String, out: StringBuilder) {
        var index = 0
        while (index < path.length) {
            val open = path.indexOf('(', index)
            if (open < 0) {
                out.append(path, index, path.length)
                return
            }
            out.append(path, index, open + 1)
            val close = closing(path, open + 1)
            if (close < 0) { // Unbalanced: nothing after it can be told apart from data.
                out.append(REDACTED)
                return
            }
            splitOutsideQuotes(path.substring(open + 1, close)).forEachIndexed { i, part ->
                if (i > 0) out.append(',')
                out.append(redactPart(part))
            }
            out.append(')')
            index = close + 1
        }
    }

    private fun redactPart(part: String): String {
        if (part.isEmpty() || GUID.matches(part)) return part
        val eq = part.indexOf('=')
        if (eq < 0) return REDACTED
        val value = part.substring(eq + 1)
        return part.substring(0, eq + 1) + if (GUID.matches(value)) value else REDACTED
    }

    /** The index of the `)` closing a parenthesis opened before [from], skipping quoted literals; -1 if none. */
    private fun closing(path: String, from: Int): Int {
        var depth = 0
        var quoted = false
        for (i in from until path.length) {
            val c = path[i]
            when {
                c == '\'' -> quoted = !quoted // '' inside a literal toggles twice: still quoted
                quoted -> {}
                c == '(' -> depth++
                c == ')' -> if (depth == 0) return i else depth--
            }
        }
        return -1
    }

    private fun splitOutsideQuotes(text: String): List<String> {
        val parts = ArrayList<String>(2)
        var quoted = false
        var start = 0
        for (i in text.indices) {
            val c = text[i]
            if (c == '\'') quoted = !quoted
            if (c == ',' && !quoted) {
                parts += text.substring(start, i)
                start = i + 1
            }
        }
        parts += text.substring(start)
        return parts
    }
}
