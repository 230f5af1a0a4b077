package dev.dataverse.internal.protocol

import java.net.URLDecoder
import java.util.UUID

/**
 * What an `OData-EntityId` (or `Location`) header of a write says about the record written. The service names the
 * record the way the request addressed it:
 * - by primary id: `.../accounts(00000000-0000-0000-0000-000000000001)` (Learn: "Create a table row using the Web API");
 * - by alternate key: `.../example_records(example_key1=2,example_key2=2)` (Learn: "Use Upsert to Create or Update a
 *   record", Web API sample code), which does not carry the record's id at all;
 * - by an elastic table's partitioned key: `.../contoso_sensordatas(contoso_sensordataid=<guid>,partitionid='device-001')`
 *   (Learn: "Use elastic tables using code").
 */
internal sealed interface EntityIdHeader {
    /** The header names the record by its primary id [id] (alone, or with its partition). */
    data class Id(val id: UUID) : EntityIdHeader

    /** The header names the record by the alternate key [segment] (between the parentheses): its id is not in it. */
    data class AlternateKey(val segment: String) : EntityIdHeader

    /** The header has no key segment the client can read. */
    data object Unreadable : EntityIdHeader
}

internal object EntityIdHeaders {
    /**
     * Parses [header], the URL of the record a write touched, for a table whose primary id column is
     * [primaryIdAttribute]. Never throws: a header the client cannot read is [EntityIdHeader.Unreadable], and what to do
     * about it is the caller's choice (the write it answers was applied).
     */
    fun parse(header: String, primaryIdAttribute: String): EntityIdHeader {
        val text = header.trim()
        val open = text.indexOf('(')
        if (open < 0 || !text.endsWith(")") || open == text.length - 1) return EntityIdHeader.Unreadable
        val segment = text.substring(open + 1, text.length - 1)
        // A bare primary id, what every create by id answers, needs no key-segment parsing.
        if (segment.length == GUID_LENGTH) parseGuidOrNull(segment)?.let { return EntityIdHeader.Id(it) }
        val pairs = split(decoded(segment)) ?: return EntityIdHeader.Unreadable
        if (pairs.size == 1 && pairs[0].first == null) {
            return parseGuidOrNull(pairs[0].second)?.let { EntityIdHeader.Id(it) } ?: EntityIdHeader.Unreadable
        }
        if (pairs.any { it.first == null }) return EntityIdHeader.Unreadable
        val names = pairs.map { it.first!!.lowercase() }
        val idValue = pairs.firstOrNull { it.first!!.equals(primaryIdAttribute, ignoreCase = true) }?.second
        val onlyIdAndPartition = names.all { it == primaryIdAttribute.lowercase() || it == PARTITION_ID }
        if (idValue != null && onlyIdAndPartition) {
            parseGuidOrNull(idValue)?.let { return EntityIdHeader.Id(it) }
        }
        return EntityIdHeader.AlternateKey(segment)
    }

    /** Percent-decoded when the service encoded the segment (the emulator does, for partition ids); as sent otherwise. */
    private fun decoded(segment: String): String =
        if ('%' !in segment) segment else try {
            URLDecoder.decode(segment.replace("+", "%2B"), Charsets.UTF_8)
        } catch (e: IllegalArgumentException) {
            segment
        }

    /**
     * The `name=value` pairs of a key segment (a name is `null` for a bare value), split at commas outside single-quoted
     * strings, where `''` is an escaped quote. `null` when a string is not closed or a pair is empty.
     */
    private fun split(segment: String): List<Pair<String?, String>>? {
        val parts = ArrayList<String>()
        val current = StringBuilder()
        var quoted = false
        var i = 0
        while (i < segment.length) {
            val c = segment[i]
            when {
                c == '\'' && quoted && i + 1 < segment.length && segment[i + 1] == '\'' -> {
                    current.append("''")
                    i++
                }
                c == '\'' -> {
                    quoted = !quoted
                    current.append(c)
                }
                c == ',' && !quoted -> {
                    parts += current.toString()
                    current.clear()
                }
                else -> current.append(c)
            }
            i++
        }
        if (quoted) return null
        parts += current.toString()
        return parts.map { part ->
            val equals = part.indexOf('=').takeIf { it >= 0 && !part.substring(0, it).contains('\'') }
            val name = equals?.let { part.substring(0, it).trim() }
            val value = (equals?.let { part.substring(it + 1) } ?: part).trim()
            if (value.isEmpty() || name?.isEmpty() == true) return null
            name to value
        }
    }

    private const val PARTITION_ID = "partitionid"
    private const val GUID_LENGTH = 36
}
