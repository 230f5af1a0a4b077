package dev.dataverse.jackson.internal

import dev.dataverse.BulkResult
import dev.dataverse.DataverseException
import dev.dataverse.DataverseRecord
import dev.dataverse.EntityReference
import dev.dataverse.InvalidInputException
import dev.dataverse.Page
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import java.util.UUID

/**
 * The JSON forms of the client's values, written and read once for both Jacksons.
 *
 * A record is the object the Web API sent — every column and annotation, in its order, numbers with their exact text —
 * plus two annotations of this library naming its table and primary id column, so that it reads back as the same record.
 * An expanded record nested in it carries the same two annotations when it knows its table (the core's
 * [DataverseRecord.fromJson] reads them back), so that it too keeps its table and id:
 * ```json
 * {"@dataverse.table":"account","@dataverse.primaryidcolumn":"accountid","@odata.etag":"W/\"1\"",
 *  "accountid":"7a4c…","name":"Contoso","revenue":1000.50,"revenue@OData.Community.Display.V1.FormattedValue":"$1,000.50",
 *  "primarycontactid":{"@dataverse.table":"contact","@dataverse.primaryidcolumn":"contactid","contactid":"0d7f…"}}
 * ```
 */
internal object DataverseFormats {
    const val TABLE = DataverseRecord.NESTED_TABLE
    const val PRIMARY_ID_COLUMN = DataverseRecord.NESTED_PRIMARY_ID_COLUMN

    fun writeRecord(record: DataverseRecord, out: JsonOut) {
        out.startObject()
        record.table?.let { out.name(TABLE); out.string(it) }
        record.primaryIdColumn?.let { out.name(PRIMARY_ID_COLUMN); out.string(it) }
        for ((name, value) in record.toJson()) {
            out.name(name)
            when {
                // Expanded navigation properties, through the record's own view of them: it knows their tables.
                value is JsonObject -> writeRecord(record.getExpanded(name)!!, out)
                value is JsonArray && value.isNotEmpty() && value.all { it is JsonObject } -> {
                    out.startArray()
                    record.getExpandedList(name).forEach { writeRecord(it, out) }
                    out.endArray()
                }
                else -> writeElement(value, out)
            }
        }
        out.endObject()
    }

    private fun writeElement(element: JsonElement, out: JsonOut) {
        when (element) {
            is JsonNull -> out.nul()
            is JsonPrimitive -> when {
                element.isString -> out.string(element.content)
                element.content == "true" -> out.bool(true)
                element.content == "false" -> out.bool(false)
                else -> out.number(element.content)
            }
            is JsonObject -> {
                out.startObject()
                for ((name, value) in element) {
                    out.name(name)
                    writeElement(value, out)
                }
                out.endObject()
            }
            is JsonArray -> {
                out.startArray()
                element.forEach { writeElement(it, out) }
                out.endArray()
            }
        }
    }

    /** Reads the record at the current `{` of [input], leaving it on the closing `}`. */
    fun readRecord(input: JsonIn): DataverseRecord {
        if (input.token != Token.START_OBJECT) input.fail("A DataverseRecord is a JSON object.")
        var table: String? = null
        var primaryIdColumn: String? = null
        val json = StringBuilder("{")
        var first = true
        while (input.next() == Token.NAME) {
            val name = input.text
            when (name) {
                TABLE -> table = readString(input, name)
                PRIMARY_ID_COLUMN -> primaryIdColumn = readString(input, name)
                else -> {
                    if (!first) json.append(',')
                    first = false
                    appendString(json, name)
                    json.append(':')
                    input.next()
                    copyValue(input, json)
                }
            }
        }
        if (input.token != Token.END_OBJECT) input.fail("Unterminated DataverseRecord object.")
        json.append('}')
        return try {
            DataverseRecord.fromJson(table, primaryIdColumn, json.toString())
        } catch (e: InvalidInputException) {
            input.fail("Not a DataverseRecord: ${e.message}")
        }
    }

    /** Appends the JSON text of the value at the current token, leaving [input] on its last token. */
    private fun copyValue(input: JsonIn, out: StringBuilder) {
        when (input.token) {
            Token.STRING -> appendString(out, input.text)
            Token.NUMBER -> out.append(input.text)
            Token.TRUE -> out.append("true")
            Token.FALSE -> out.append("false")
            Token.NULL -> out.append("null")
            Token.START_OBJECT -> {
                out.append('{')
                var first = true
                while (input.next() == Token.NAME) {
                    if (!first) out.append(',')
                    first = false
                    appendString(out, input.text)
                    out.append(':')
                    input.next()
                    copyValue(input, out)
                }
                out.append('}')
            }
            Token.START_ARRAY -> {
                out.append('[')
                var first = true
                while (input.next().let { it != Token.END_ARRAY && it != null }) {
                    if (!first) out.append(',')
                    first = false
                    copyValue(input, out)
                }
                out.append(']')
            }
            else -> input.fail("Unexpected ${input.token} in a DataverseRecord.")
        }
    }

    private fun appendString(out: StringBuilder, value: String) {
        out.append('"')
        for (c in value) {
            when {
                c == '"' -> out.append("\\\"")
                c == '\\' -> out.append("\\\\")
                c < ' ' -> out.append("\\u").append(String.format("%04x", c.code))
                else -> out.append(c)
            }
        }
        out.append('"')
    }

    private fun readString(input: JsonIn, name: String): String? = when (input.next()) {
        Token.STRING -> input.text
        Token.NULL -> null
        else -> input.fail("'$name' must be a string.")
    }

    fun writePage(page: Page, out: JsonOut) {
        out.startObject()
        out.name(RECORDS)
        out.startArray()
        page.records.forEach { writeRecord(it, out) }
        out.endArray()
        out.name(CONTINUATION_TOKEN)
        page.continuationToken?.let(out::string) ?: out.nul()
        out.name(TOTAL_COUNT)
        page.totalCount?.let { out.number(it.toString()) } ?: out.nul()
        out.name(TOTAL_COUNT_LIMIT_EXCEEDED)
        out.bool(page.totalCountLimitExceeded)
        out.name(HAS_NEXT)
        out.bool(page.hasNext)
        out.endObject()
    }

    /** Reads the page at the current `{`; `hasNext` is derived from the token, and other unknown properties are skipped. */
    fun readPage(input: JsonIn): Page {
        if (input.token != Token.START_OBJECT) input.fail("A Page is a JSON object.")
        val records = ArrayList<DataverseRecord>()
        var token: String? = null
        var totalCount: Long? = null
        var limitExceeded = false
        while (input.next() == Token.NAME) {
            when (val name = input.text) {
                RECORDS -> when (input.next()) {
                    Token.START_ARRAY -> while (input.next() == Token.START_OBJECT) records += readRecord(input)
                    Token.NULL -> {}
                    else -> input.fail("'$RECORDS' must be an array of records.")
                }
                CONTINUATION_TOKEN -> token = readString(input, name)
                TOTAL_COUNT -> totalCount = when (input.next()) {
                    Token.NUMBER -> input.text.toLongOrNull() ?: input.fail("'$TOTAL_COUNT' must be a whole number.")
                    Token.NULL -> null
                    else -> input.fail("'$TOTAL_COUNT' must be a whole number.")
                }
                TOTAL_COUNT_LIMIT_EXCEEDED -> limitExceeded = when (input.next()) {
                    Token.TRUE -> true
                    Token.FALSE, Token.NULL -> false
                    else -> input.fail("'$TOTAL_COUNT_LIMIT_EXCEEDED' must be a boolean.")
                }
                else -> skipValue(input)
            }
        }
        if (input.token != Token.END_OBJECT) input.fail("Unterminated Page object.")
        return Page(records, token, totalCount, limitExceeded)
    }

    /** Skips the value after a property name, leaving [input] on its last token. */
    private fun skipValue(input: JsonIn) {
        input.next()
        copyValue(input, StringBuilder())
    }

    /**
     * A bulk result: counts, each input's outcome and id by position, and the failures with their index and error (type,
     * status, Dataverse code, message). The inputs themselves are not written: they are the caller's own values, of any
     * type, which the caller matches to `index`.
     */
    fun writeBulkResult(result: BulkResult, out: JsonOut) {
        out.startObject()
        out.name("size"); out.number(result.size.toString())
        out.name("succeeded"); out.number(result.succeeded.toString())
        out.name("failed"); out.number(result.failures.size.toString())
        out.name("notAttempted"); out.number(result.notAttempted.toString())
        out.name("success"); out.bool(result.isSuccess)
        out.name("outcomes")
        out.startArray()
        for (index in 0 until result.size) out.string(result.outcome(index).name)
        out.endArray()
        out.name("ids")
        out.startArray()
        result.ids.forEach { id -> id?.let { out.string(it.toString()) } ?: out.nul() }
        out.endArray()
        out.name("failures")
        out.startArray()
        for (failure in result.failures) {
            out.startObject()
            out.name("index"); out.number(failure.index.toString())
            out.name("error")
            writeError(failure.error, out)
            out.endObject()
        }
        out.endArray()
        out.endObject()
    }

    private fun writeError(error: DataverseException, out: JsonOut) {
        out.startObject()
        out.name("type"); out.string(error.javaClass.name)
        out.name("message"); error.message?.let(out::string) ?: out.nul()
        out.name("statusCode"); out.number(error.statusCode.toString())
        out.name("errorCode"); error.errorCode?.let(out::string) ?: out.nul()
        out.name("transient"); out.bool(error.isTransient)
        out.endObject()
    }

    fun writeEntityReference(reference: EntityReference, out: JsonOut) {
        out.startObject()
        out.name("table"); out.string(reference.table)
        out.name("id"); out.string(reference.id.toString())
        out.endObject()
    }

    fun readEntityReference(input: JsonIn): EntityReference {
        if (input.token != Token.START_OBJECT) input.fail("An EntityReference is a JSON object with 'table' and 'id'.")
        var table: String? = null
        var id: String? = null
        while (input.next() == Token.NAME) {
            when (val name = input.text) {
                "table" -> table = readString(input, name)
                "id" -> id = readString(input, name)
                else -> skipValue(input)
            }
        }
        if (table == null || id == null) input.fail("An EntityReference needs both 'table' and 'id'.")
        val uuid = try {
            UUID.fromString(id)
        } catch (e: IllegalArgumentException) {
            input.fail("'id' of an EntityReference must be a GUID.")
        }
        return try {
            EntityReference(table, uuid)
        } catch (e: InvalidInputException) {
            input.fail("Not an EntityReference: ${e.message}")
        }
    }

    private const val RECORDS = "records"
    private const val CONTINUATION_TOKEN = "continuationToken"
    private const val TOTAL_COUNT = "totalCount"
    private const val TOTAL_COUNT_LIMIT_EXCEEDED = "totalCountLimitExceeded"
    private const val HAS_NEXT = "hasNext"
}
